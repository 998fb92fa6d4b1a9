import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';

export type Era = 'modern' | 'legacy';

/** The official MCP client over real HTTP, pinned to the 2026-07-28 revision ('modern') or the 2025 handshake. */
export async function connectMcp(
  baseUrl: string,
  apiKey: string,
  era: Era,
  headers: Record<string, string> = {},
): Promise<Client> {
  const client = new Client(
    { name: 'bland-mcp-e2e', version: '1.0.0' },
    era === 'modern' ? { versionNegotiation: { mode: { pin: '2026-07-28' } } } : {},
  );
  const transport = new StreamableHTTPClientTransport(new URL(`${baseUrl}/mcp`), {
    requestInit: { headers: { Authorization: `Bearer ${apiKey}`, ...headers } },
  });
  await client.connect(transport);
  return client;
}

/** The text of a tool result's first content block. */
export const textOf = (result: { content?: unknown }): string =>
  ((result.content as { type: string; text?: string }[] | undefined)?.[0]?.text ?? '') as string;
