import { expect } from '@jest/globals';
import { ApiKeysService } from '../../src/auth/api-keys.service.js';
import { rpc, type Era, type RpcAnswer } from '../fuzz/support/raw-mcp.js';
import { API_ROWS, methodOf, type ApiAnswer, type ApiRow } from './support/api-rows.js';
import { columns, leakedFrom, type Cell } from './support/columns.js';
import { MCP_ROWS, type McpRow } from './support/mcp-rows.js';
import { buildWorld, PUBLIC_URL, type Tenant, type World } from './support/world.js';

const MCP_CHALLENGE = `Bearer resource_metadata="${PUBLIC_URL}/.well-known/oauth-protected-resource/mcp"`;

/** Runs every column of a row; returns the cells whose answer was not the expected one. */
async function failingCells<A extends { status: number; text: string }>(
  w: World,
  send: (cell: Cell) => Promise<{ request: string; answer: A }>,
  check: (cell: Cell, answer: A) => Promise<void> | void,
): Promise<{ column: string; problem: string }[]> {
  const failures: { column: string; problem: string }[] = [];
  for (const cell of columns(w)) {
    const { request, answer } = await send(cell);
    try {
      expect(leakedFrom(w.victim, answer.text, request)).toEqual([]);
      await check(cell, answer);
    } catch (err) {
      const problem = (err as Error).message.replace(/\s+/g, ' ').slice(0, 400);
      failures.push({ column: cell.column, problem: `HTTP ${answer.status}: ${problem}` });
    }
  }
  return failures;
}

/** What the victim owns, to prove the whole matrix left it untouched. */
async function snapshot(w: World, tenant: Tenant) {
  const calls = await w.t.calls.list(tenant.auth, { limit: 100 });
  const keys = await w.t.app.app.get(ApiKeysService).list(tenant.auth.userId);
  return {
    balance: await w.t.credits.balance(tenant.auth.userId),
    ledger: (await w.t.credits.history(tenant.auth.userId, null, 100)).entries.map((e) => e.id),
    calls: calls.calls.map((c) => [c.id, c.status, c.chargedCredits]),
    keys: keys.map((k) => [k.id, k.revokedAt]),
  };
}

/** "GET /api/calls/:id" for every route Express serves under /api. */
function apiRoutes(w: World): string[] {
  const router = (
    w.t.app.app.getHttpAdapter().getInstance() as {
      router: { stack: { route?: { path: string; methods: Record<string, boolean> } }[] };
    }
  ).router;
  return router.stack.flatMap((layer) =>
    layer.route?.path.startsWith('/api')
      ? Object.keys(layer.route.methods).map((m) => `${m.toUpperCase()} ${layer.route!.path}`)
      : [],
  );
}

describe('authorization matrix: every tool, resource, prompt and /api route × who asks for whose data', () => {
  let w: World;
  let victimBefore: Awaited<ReturnType<typeof snapshot>>;

  beforeAll(async () => {
    w = await buildWorld();
    victimBefore = await snapshot(w, w.victim);
  });
  afterAll(() => w.stop());

  it('has a row for every tool, resource and prompt the server lists, and none for anything else', async () => {
    const list = async (method: string) =>
      (await rpc(w.t.app.url, w.owner.token, 'modern', method)).response!.result!;
    const listed = [
      ...((await list('tools/list')).tools as { name: string }[]).map((t) => `tool ${t.name}`),
      ...((await list('resources/templates/list')).resourceTemplates as { uriTemplate: string }[]).map(
        (r) => `resource ${r.uriTemplate}`,
      ),
      ...((await list('resources/list')).resources as { uri: string }[]).map((r) => `resource ${r.uri}`),
      ...((await list('prompts/list')).prompts as { name: string }[]).map((p) => `prompt ${p.name}`),
    ];
    expect(listed.sort()).toEqual(MCP_ROWS.map((r) => `${r.kind} ${r.name}`).sort());
  });

  it('has a row for every /api route the app serves, and none for anything else', () => {
    expect(apiRoutes(w).sort()).toEqual(API_ROWS.map((r) => r.route).sort());
  });

  describe.each<Era>(['modern', 'legacy'])('POST /mcp (%s era)', (era) => {
    const check = async (row: McpRow, cell: Cell, answer: RpcAnswer) => {
      switch (cell.expected) {
        case 'own':
          return row.own(answer, cell.caller, w);
        case 'other user':
          return row.otherUser(answer, w.victim);
        case 'unauthenticated': {
          expect(answer.status).toBe(401);
          const challenge = answer.headers.get('www-authenticate') ?? '';
          expect(challenge.startsWith(MCP_CHALLENGE)).toBe(true);
          if (cell.authorization) expect(challenge).toContain('error="invalid_token"');
          return;
        }
        case 'forbidden':
          return expect(answer.status).toBe(403);
      }
    };

    it.each(MCP_ROWS.map((row) => [`${row.kind} ${row.name}`, row] as const))('%s', async (_label, row) => {
      const failures = await failingCells(
        w,
        async (cell) => {
          const { method, params } = row.request(cell.target, w);
          const auth: Record<string, string> = cell.authorization
            ? { authorization: cell.authorization }
            : {};
          const answer = await rpc(w.t.app.url, undefined, era, method, params, auth);
          return { request: JSON.stringify(params), answer };
        },
        (cell, answer) => check(row, cell, answer),
      );
      expect(failures).toEqual([]);
    });
  });

  describe('console API (/api)', () => {
    const send = async (row: ApiRow, cell: Cell): Promise<ApiAnswer> => {
      const { path, body } = row.request(cell.target);
      const res = await fetch(`${w.t.app.url}${path}`, {
        method: methodOf(row),
        headers: {
          ...(cell.authorization ? { authorization: cell.authorization } : {}),
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        },
        body: body !== undefined ? JSON.stringify(body) : undefined,
      });
      const text = await res.text();
      let json: Record<string, unknown> | undefined;
      try {
        json = JSON.parse(text) as Record<string, unknown>;
      } catch {
        json = undefined;
      }
      return { status: res.status, headers: res.headers, text, json };
    };

    const check = async (row: ApiRow, cell: Cell, res: ApiAnswer) => {
      if (row.public) return row.own(res, cell.caller, w);
      switch (cell.expected) {
        case 'own':
          return row.own(res, cell.caller, w);
        case 'other user':
          return row.otherUser(res, w.victim);
        case 'unauthenticated':
          expect(res.status).toBe(401);
          return expect(res.headers.get('www-authenticate')).toBe('Bearer realm="bland-mcp"');
        case 'forbidden':
          return expect(res.status).toBe(403);
      }
    };

    it.each(API_ROWS.map((row) => [row.route, row] as const))('%s', async (_route, row) => {
      const failures = await failingCells(
        w,
        async (cell) => ({
          request: JSON.stringify(row.request(cell.target)),
          answer: await send(row, cell),
        }),
        (cell, res) => check(row, cell, res),
      );
      expect(failures).toEqual([]);
    });
  });

  it("left the other user's balance, ledger, calls and keys exactly as they were", async () => {
    expect(await snapshot(w, w.victim)).toEqual(victimBefore);
  });
});
