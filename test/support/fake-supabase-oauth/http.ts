import type { IncomingMessage, ServerResponse } from 'node:http';

/** The small HTTP vocabulary of the fake: CORS like Supabase's gateway, JSON in and out, GoTrue error bodies. */

const API_VERSION = '2024-01-01';

export function cors(req: IncomingMessage, res: ServerResponse): void {
  const origin = req.headers.origin;
  if (!origin) return;
  res.setHeader('Access-Control-Allow-Origin', origin);
  res.setHeader('Vary', 'Origin');
  res.setHeader('Access-Control-Expose-Headers', 'X-Supabase-Api-Version');
}

export function preflight(req: IncomingMessage, res: ServerResponse): void {
  cors(req, res);
  res.writeHead(204, {
    'Access-Control-Allow-Methods': 'GET, POST, PUT, DELETE, OPTIONS',
    'Access-Control-Allow-Headers': req.headers['access-control-request-headers'] ?? '',
    'Access-Control-Max-Age': '600',
  });
  res.end();
}

export function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json', 'X-Supabase-Api-Version': API_VERSION });
  res.end(JSON.stringify(body));
}

/** GoTrue's error body for API version 2024-01-01 clients: `{code: <error_code>, message}`. */
export function fail(res: ServerResponse, status: number, code: string, message: string): void {
  json(res, status, { code, message });
}

export async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  if (!text) return {};
  const parsed: unknown = JSON.parse(text);
  return parsed && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : {};
}

export const bearer = (req: IncomingMessage): string | undefined =>
  /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
