/**
 * The smoke test a colour must pass before it gets traffic. It talks to the colour through the public entry
 * point (CloudFront → ALB) with the preview header, which an ALB listener rule routes to the standby target
 * group; `/version` must then report the git sha we expect, which proves the request reached the new colour
 * and not the live one. Checks run in order and stop at the first failure.
 */
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';

export interface SmokeTarget {
  baseUrl: string;
  /** Routing headers (the preview header); sent on every request. */
  headers: Record<string, string>;
  /** null when the release's commit is unknown (a rollback to an untagged AMI): the sha check is skipped. */
  expectedGitSha: string | null;
  apiKey: string;
}

export interface SmokeCheck {
  name: string;
  ok: boolean;
  detail: string;
}

export interface SmokeReport {
  ok: boolean;
  checks: SmokeCheck[];
}

export type SmokeTest = (target: SmokeTarget) => Promise<SmokeReport>;

export interface SmokeOptions {
  timeoutMs?: number;
  fetch?: typeof fetch;
}

type Check = () => Promise<string>;

export async function runSmokeTest(target: SmokeTarget, options: SmokeOptions = {}): Promise<SmokeReport> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const fetchImpl = options.fetch ?? fetch;
  const url = (path: string) => new URL(path, target.baseUrl);

  const getJson = async (path: string): Promise<Record<string, unknown>> => {
    const res = await fetchImpl(url(path), {
      headers: target.headers,
      signal: AbortSignal.timeout(timeoutMs),
    });
    const body = await res.text();
    if (res.status !== 200) throw new Error(`HTTP ${res.status}: ${body.slice(0, 200)}`);
    return JSON.parse(body) as Record<string, unknown>;
  };

  const checks: [string, Check][] = [
    [
      'GET /health/ready',
      async () => `ready (${JSON.stringify(await getJson('/health/ready')).slice(0, 120)})`,
    ],
    [
      'GET /version',
      async () => {
        const version = await getJson('/version');
        if (target.expectedGitSha && version.gitSha !== target.expectedGitSha) {
          throw new Error(`serves git sha ${String(version.gitSha)}, expected ${target.expectedGitSha}`);
        }
        return `${String(version.name)} ${String(version.version)} @ ${String(version.gitSha)}`;
      },
    ],
    ['MCP tools/list and get_credit_balance', () => mcpCheck(url('/mcp'), target, timeoutMs, fetchImpl)],
  ];

  const results: SmokeCheck[] = [];
  for (const [name, check] of checks) {
    try {
      results.push({ name, ok: true, detail: await check() });
    } catch (error) {
      results.push({ name, ok: false, detail: error instanceof Error ? error.message : String(error) });
      return { ok: false, checks: results };
    }
  }
  return { ok: true, checks: results };
}

async function mcpCheck(endpoint: URL, target: SmokeTarget, timeout: number, fetchImpl: typeof fetch) {
  const client = new Client({ name: 'bland-mcp-smoke-test', version: '1.0.0' });
  const transport = new StreamableHTTPClientTransport(endpoint, {
    requestInit: { headers: { ...target.headers, Authorization: `Bearer ${target.apiKey}` } },
    fetch: fetchImpl,
  });
  try {
    await client.connect(transport, { timeout });
    const { tools } = await client.listTools(undefined, { timeout });
    if (!tools.some((t) => t.name === 'get_credit_balance')) {
      throw new Error(`tools/list lacks get_credit_balance (has ${tools.map((t) => t.name).join(', ')})`);
    }
    const result = await client.callTool({ name: 'get_credit_balance', arguments: {} }, { timeout });
    if (result.isError)
      throw new Error(`get_credit_balance returned an error: ${JSON.stringify(result.content)}`);
    return `${tools.length} tools; get_credit_balance answered`;
  } finally {
    await client.close().catch(() => undefined);
  }
}

export function describeSmoke(report: SmokeReport): string {
  return report.checks.map((c) => `${c.ok ? '✓' : '✗'} ${c.name}: ${c.detail}`).join('; ');
}
