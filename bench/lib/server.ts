import { spawn, type ChildProcess } from 'node:child_process';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import type { RecordedRequest } from './load.js';

export async function waitForPort(port: number) {
  for (let i = 0; i < 200; i++) {
    try {
      await fetch(`http://127.0.0.1:${port}/`, { method: 'HEAD' });
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw new Error(`nothing listening on ${port}`);
}

export /** Records the exact HTTP request the official client sends for one tools/call (headers, _meta, body). */
async function recordToolCall(
  port: number,
  key: string,
  tool: string,
  args: Record<string, unknown>,
): Promise<RecordedRequest> {
  let recorded: RecordedRequest | undefined;
  const client = new Client(
    { name: 'bench', version: '1' },
    { versionNegotiation: { mode: { pin: '2026-07-28' } } },
  );
  const transport = new StreamableHTTPClientTransport(new URL(`http://127.0.0.1:${port}/mcp`), {
    requestInit: { headers: { Authorization: `Bearer ${key}` } },
    fetch: async (url, init) => {
      const body = typeof init?.body === 'string' ? init.body : '';
      if (body.includes('"tools/call"')) {
        const headers: Record<string, string> = {};
        new Headers(init?.headers).forEach((value, name) => (headers[name] = value));
        recorded = { path: new URL(String(url)).pathname, headers, body };
      }
      return fetch(url, init);
    },
  });
  await client.connect(transport);
  const result = await client.callTool({ name: tool, arguments: args });
  if (result.isError) throw new Error(`${tool} failed: ${JSON.stringify(result.content)}`);
  await client.close();
  return recorded!;
}

/** Spawns a Node process (PROFILE=dir adds a V8 CPU profile of it there). */
export function start(cmd: string[], env: Record<string, string>): ChildProcess {
  // PROFILE=dir writes a V8 CPU profile of each server process there (open it in Chrome DevTools).
  const profile = process.env.PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.PROFILE}`] : [];
  const child = spawn(process.execPath, [...profile, ...cmd], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  return child;
}
