/**
 * The real smoke test (fetch + the official MCP client) against a stand-in of the app on 127.0.0.1 built with
 * the official MCP server SDK. Like the ALB's preview rule, the stand-in only answers requests that carry the
 * preview token and the colour it plays.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { McpServer, createMcpHandler } from '@modelcontextprotocol/server';
import { toNodeHandler } from '@modelcontextprotocol/node';
import { z } from 'zod';
import { runSmokeTest, type SmokeTarget } from '../../scripts/lib/smoke.ts';

const GIT_SHA = '4'.repeat(40);
const API_KEY = 'bmcp_live_smoke_user_key';
const PREVIEW = {
  'X-Bland-Mcp-Preview-Token': 'preview-token-0123456789abcdef0123',
  'X-Bland-Mcp-Color': 'green',
};

function standInApp(options: { brokenBalance: boolean }): Server {
  const mcp = toNodeHandler(
    createMcpHandler(() => {
      const server = new McpServer({ name: 'bland-mcp', version: '1.3.0' });
      server.registerTool(
        'get_credit_balance',
        { description: 'Credit balance', inputSchema: z.object({}) },
        async () =>
          options.brokenBalance
            ? { isError: true, content: [{ type: 'text' as const, text: 'database unavailable' }] }
            : { content: [{ type: 'text' as const, text: '{"balance":100,"held":0,"available":100}' }] },
      );
      return server;
    }),
  );
  return createServer((req, res) => {
    const json = (status: number, body: unknown) =>
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    if (
      req.headers['x-bland-mcp-preview-token'] !== PREVIEW['X-Bland-Mcp-Preview-Token'] ||
      req.headers['x-bland-mcp-color'] !== 'green'
    ) {
      return json(403, { error: 'not the preview route' });
    }
    if (req.url === '/health/ready') return json(200, { status: 'ok' });
    if (req.url === '/version')
      return json(200, {
        name: 'bland-mcp',
        version: '1.3.0',
        gitSha: GIT_SHA,
        builtAt: null,
        nodeVersion: 'v22',
      });
    if (req.url === '/mcp') {
      if (req.headers.authorization !== `Bearer ${API_KEY}`) return json(401, { error: 'invalid_token' });
      return void mcp(req, res);
    }
    return json(404, { error: 'not found' });
  });
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('runSmokeTest', () => {
  let healthy: Server;
  let broken: Server;
  let healthyUrl: string;
  let brokenUrl: string;
  beforeAll(async () => {
    healthy = standInApp({ brokenBalance: false });
    broken = standInApp({ brokenBalance: true });
    [healthyUrl, brokenUrl] = await Promise.all([listen(healthy), listen(broken)]);
  });
  afterAll(async () => {
    await Promise.all([healthy, broken].map((s) => new Promise((resolve) => s.close(resolve))));
  });

  const target = (overrides: Partial<SmokeTarget> = {}): SmokeTarget => ({
    baseUrl: healthyUrl,
    headers: PREVIEW,
    expectedGitSha: GIT_SHA,
    apiKey: API_KEY,
    ...overrides,
  });

  it('passes health, version and an MCP tools/list + get_credit_balance round trip', async () => {
    const report = await runSmokeTest(target());
    expect(report.checks.map((c) => [c.name, c.ok])).toEqual([
      ['GET /health/ready', true],
      ['GET /version', true],
      ['MCP tools/list and get_credit_balance', true],
    ]);
    expect(report.ok).toBe(true);
    expect(report.checks[2]?.detail).toBe('1 tools; get_credit_balance answered');
  });

  it('fails when the colour serves another commit (the request did not reach the new release)', async () => {
    const report = await runSmokeTest(target({ expectedGitSha: '5'.repeat(40) }));
    expect(report.ok).toBe(false);
    expect(report.checks.at(-1)).toMatchObject({
      name: 'GET /version',
      detail: expect.stringMatching(/serves git sha 4{40}, expected 5{40}/),
    });
  });

  it('fails without the preview headers, at the first check', async () => {
    const report = await runSmokeTest(target({ headers: {} }));
    expect(report.checks).toEqual([
      { name: 'GET /health/ready', ok: false, detail: expect.stringMatching(/^HTTP 403/) },
    ]);
  });

  it('fails when the smoke user key is refused', async () => {
    const report = await runSmokeTest(target({ apiKey: 'bmcp_live_revoked' }));
    expect(report.ok).toBe(false);
    expect(report.checks.at(-1)?.name).toBe('MCP tools/list and get_credit_balance');
    // The report ends up in logs and job summaries: it must never carry the key.
    expect(JSON.stringify(report)).not.toContain('bmcp_live_revoked');
  });

  it('fails when get_credit_balance answers with a tool error', async () => {
    const report = await runSmokeTest(target({ baseUrl: brokenUrl }));
    expect(report.ok).toBe(false);
    expect(report.checks.at(-1)?.detail).toMatch(
      /get_credit_balance returned an error: .*database unavailable/,
    );
  });

  it('fails within its timeout when nothing answers', async () => {
    const report = await runSmokeTest(target({ baseUrl: 'http://127.0.0.1:9' }), { timeoutMs: 500 });
    expect(report.ok).toBe(false);
  });
});
