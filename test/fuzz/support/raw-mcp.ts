/**
 * Raw JSON-RPC over POST /mcp, as a client of either era puts it on the wire, so a test sees the HTTP status and
 * headers the official client hides. 'modern' is the 2026-07-28 revision (per-request `_meta`, the MCP-* headers,
 * JSON answers); 'legacy' is a 2025 client without a session (answered as SSE).
 */
export type Era = 'modern' | 'legacy';

export const MODERN_VERSION = '2026-07-28';
export const LEGACY_VERSION = '2025-11-25';

export interface RpcError {
  code: number;
  message: string;
  data?: unknown;
}

export interface RpcAnswer {
  status: number;
  headers: Headers;
  text: string;
  /** Every JSON-RPC response in the body (one, a batch's, or an SSE stream's). */
  responses: RpcResponse[];
  /** The last of them: the answer to a single request. */
  response?: RpcResponse;
}

export interface RpcResponse {
  id?: unknown;
  result?: Record<string, unknown>;
  error?: RpcError;
}

/** The body and headers a client of `era` sends for one request. */
export function envelope(
  era: Era,
  method: string,
  params: Record<string, unknown> = {},
  id: unknown = 1,
): { headers: Record<string, string>; body: Record<string, unknown> } {
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    accept: 'application/json, text/event-stream',
  };
  if (era === 'legacy') {
    headers['mcp-protocol-version'] = LEGACY_VERSION;
    return { headers, body: { jsonrpc: '2.0', id, method, params } };
  }
  headers['mcp-protocol-version'] = MODERN_VERSION;
  headers['mcp-method'] = headerValue(method);
  const name = method === 'resources/read' ? params.uri : params.name;
  if (typeof name === 'string' && /^(tools\/call|prompts\/get|resources\/read)$/.test(method)) {
    headers['mcp-name'] = headerValue(name);
  }
  const meta = {
    'io.modelcontextprotocol/protocolVersion': MODERN_VERSION,
    'io.modelcontextprotocol/clientInfo': { name: 'bland-mcp-raw', version: '1.0.0' },
    'io.modelcontextprotocol/clientCapabilities': {},
  };
  return { headers, body: { jsonrpc: '2.0', id, method, params: { ...params, _meta: meta } } };
}

/**
 * The 2026-07-28 rule for carrying a value in an HTTP header: plain printable ASCII as is, anything else (or a
 * value that already looks encoded) as `=?base64?<UTF-8 as base64>?=`.
 */
function headerValue(value: string): string {
  const plain = /^[\x20-\x7e\t]+$/.test(value) && value === value.trim() && !/^=\?base64\?.*\?=$/.test(value);
  return plain ? value : `=?base64?${Buffer.from(value, 'utf8').toString('base64')}?=`;
}

/** Sends one JSON-RPC request the way a client of `era` would. */
export async function rpc(
  baseUrl: string,
  token: string | undefined,
  era: Era,
  method: string,
  params: Record<string, unknown> = {},
  extraHeaders: Record<string, string> = {},
): Promise<RpcAnswer> {
  const { headers, body } = envelope(era, method, params);
  return postMcp(baseUrl, JSON.stringify(body), {
    ...headers,
    ...(token !== undefined ? { authorization: `Bearer ${token}` } : {}),
    ...extraHeaders,
  });
}

/** POSTs an exact body to /mcp and reads the answer (JSON or SSE). */
export async function postMcp(
  baseUrl: string,
  body: string | Uint8Array<ArrayBuffer>,
  headers: Record<string, string>,
): Promise<RpcAnswer> {
  const res = await fetch(`${baseUrl}/mcp`, { method: 'POST', headers, body });
  const text = await res.text();
  const responses = readResponses(text);
  return { status: res.status, headers: res.headers, text, responses, response: responses.at(-1) };
}

/** The JSON-RPC responses in a body that is JSON (one message or a batch) or an SSE stream of messages. */
function readResponses(text: string): RpcResponse[] {
  const trimmed = text.trimStart();
  const chunks =
    trimmed.startsWith('{') || trimmed.startsWith('[')
      ? [text]
      : [...text.matchAll(/^data: ?(.*)$/gm)].map((m) => m[1]!);
  return chunks.flatMap((chunk) => {
    try {
      const parsed = JSON.parse(chunk) as unknown;
      return (Array.isArray(parsed) ? parsed : [parsed]).filter(
        (m): m is RpcResponse => !!m && typeof m === 'object' && ('result' in m || 'error' in m),
      );
    } catch {
      return []; // not JSON
    }
  });
}

/** The text of a tool result's first content block. */
export const toolText = (result: Record<string, unknown> | undefined): string =>
  ((result?.content as { text?: string }[] | undefined)?.[0]?.text ?? '') as string;
