/**
 * Bounded soak: mixed MCP traffic from several users (both protocol eras) plus one greedy client, with the Bland
 * simulator, webhooks, the in-app poller and the Google Sheets projection (fake Sheets server) all running.
 * SOAK_SECONDS (default 12; `npm run test:long` runs minutes). Loopback only; stops by itself.
 * Checks: the per-IP rate limit holds for the greedy client, no request ever gets a 5xx, every call ends and lands
 * as exactly one Sheet row with its final status, and memory stays bounded.
 */
import { randomUUID } from 'node:crypto';
import type { Client } from '@modelcontextprotocol/client';
import { startCallsApp, type CallsTestApp } from '../support/calls-app.js';
import { FakeSheetsServer } from '../support/fake-sheets/fake-sheets-server.js';
import { connectMcp, type Era } from '../support/mcp-client.js';
import { eventually } from '../support/wait.js';

const SECONDS = Number(process.env.SOAK_SECONDS ?? 12);
const USERS = 4;
const LIMIT_PER_MINUTE = 300;

describe(`soak: ${SECONDS}s of mixed MCP traffic with Bland, webhooks, poller and Sheets`, () => {
  let fake: FakeSheetsServer;
  let t: CallsTestApp;
  beforeAll(async () => {
    fake = await FakeSheetsServer.start();
    t = await startCallsApp({
      GOOGLE_SHEETS_SPREADSHEET_ID: fake.spreadsheetId,
      GOOGLE_SERVICE_ACCOUNT_JSON: fake.serviceAccount.json,
      GOOGLE_SHEETS_API_URL: fake.url,
      SHEETS_DRAIN_INTERVAL_MS: '200',
      SHEETS_RATE_PER_SECOND: '50',
      SHEETS_WRITES_PER_MINUTE: '3000',
      RATE_LIMIT_PER_MINUTE: String(LIMIT_PER_MINUTE),
      TRUST_PROXY_HOPS: '1',
      POLL_INTERVAL_SECONDS: '2',
      MAX_CONCURRENT_CALLS_PER_USER: '50',
      MAX_CALLS_PER_HOUR_PER_USER: '5000',
    });
  }, 60_000);
  afterAll(async () => {
    await t.app.stop();
    await fake.close();
  });

  it('holds rate limits, never answers 5xx, lands every call in the Sheet exactly once, keeps memory bounded', async () => {
    const statuses = new Map<number, number>();
    const count = (status: number) => statuses.set(status, (statuses.get(status) ?? 0) + 1);
    const users = await Promise.all(Array.from({ length: USERS }, () => t.newUser(1_000_000)));
    const clients: Client[] = await Promise.all(
      users.map((u, i) =>
        connectMcp(t.app.url, u.apiKey, (i % 2 ? 'legacy' : 'modern') as Era, {
          'x-forwarded-for': `198.51.100.${i + 1}`,
        }),
      ),
    );
    const placed: string[] = [];
    const end = Date.now() + SECONDS * 1000;
    // Memory is compared after warm-up (JIT, pools, caches): a third into the run, and after the run, both after GC.
    const heapAfterGc = () => {
      (globalThis as { gc?: () => void }).gc?.();
      return process.memoryUsage().heapUsed;
    };
    let heapSteady = 0;
    const sampler = new Promise<void>((resolve) =>
      setTimeout(
        () => {
          heapSteady = heapAfterGc();
          resolve();
        },
        (SECONDS * 1000) / 3,
      ),
    );

    // Well-behaved users: ~3 requests/s each, under the per-IP limit of LIMIT_PER_MINUTE.
    const user = async (client: Client, i: number) => {
      let n = 0;
      while (Date.now() < end) {
        const roll = (n++ * 7 + i) % 10;
        if (roll < 3) {
          const r = await client.callTool({
            name: 'place_call',
            arguments: {
              phone_number: `+1415555${String(2000 + ((i * 1000 + n) % 7000)).padStart(4, '0')}`,
              task: 'Soak test call',
              max_duration_minutes: 2,
              idempotency_key: randomUUID(),
            },
          });
          const id = (r.structuredContent as { call_id?: string } | undefined)?.call_id;
          if (id) placed.push(id);
        } else if (roll < 5 && placed.length) {
          await client.callTool({
            name: 'get_call',
            arguments: { call_id: placed[placed.length - 1]!, include_transcript: true },
          });
        } else if (roll < 7) {
          await client.callTool({ name: 'list_calls', arguments: { limit: 10 } });
        } else {
          await client.callTool({ name: 'get_credit_balance', arguments: {} });
        }
        count(200);
        await new Promise((r) => setTimeout(r, 330));
      }
    };
    // A greedy client from one address, far over the limit.
    const greedy = async () => {
      while (Date.now() < end) {
        const res = await fetch(`${t.app.url}/mcp`, {
          method: 'GET',
          headers: { 'x-forwarded-for': '203.0.113.66', authorization: `Bearer ${users[0]!.apiKey}` },
        });
        await res.arrayBuffer();
        count(res.status);
        await new Promise((r) => setTimeout(r, 2));
      }
    };
    await Promise.all([...clients.map(user), greedy(), sampler]);
    await Promise.all(clients.map((c) => c.close()));
    const heapEnd = heapAfterGc();

    const fiveXx = [...statuses].filter(([s]) => s >= 500);
    expect(fiveXx).toEqual([]);
    expect(statuses.get(429)).toBeGreaterThan(0);
    // The greedy client got at most its budget: one full window per started minute (fixed 60 s windows).
    expect(statuses.get(405)).toBeLessThanOrEqual(LIMIT_PER_MINUTE * Math.ceil(SECONDS / 60));
    expect(placed.length).toBeGreaterThan(USERS);

    // Every call ends (webhooks + poller), then the Sheet catches up: one row per call, final status.
    await eventually(
      async () => {
        const { rows } = await t.app.database.query(
          `SELECT count(*)::int AS n FROM bland_mcp.calls WHERE status NOT IN ('completed','no_answer','busy','failed','canceled')`,
        );
        return rows[0]!.n === 0;
      },
      'every call to end',
      60_000,
    );
    await eventually(
      async () => {
        const { rows } = await t.app.database.query(`SELECT count(*)::int AS n FROM bland_mcp.sheets_outbox`);
        return rows[0]!.n === 0;
      },
      'the Sheets outbox to drain',
      60_000,
    );
    const { rows: calls } = await t.app.database.query<{ id: string; status: string }>(
      `SELECT id, status FROM bland_mcp.calls`,
    );
    const grid = fake.rows('Calls');
    const header = grid[0]!.map((c) => c?.value);
    const idCol = header.indexOf('Call ID');
    const statusCol = header.indexOf('Status');
    const sheetRows = grid.slice(1).filter((r) => r?.[idCol]?.value);
    expect(sheetRows).toHaveLength(calls.length);
    const byId = new Map(sheetRows.map((r) => [r[idCol]!.value, r[statusCol]?.value]));
    for (const call of calls)
      expect({ id: call.id, status: byId.get(call.id) }).toEqual({ id: call.id, status: call.status });

    const growth = (heapEnd - heapSteady) / heapSteady;
    console.log(
      `soak: ${SECONDS}s, ${placed.length} calls placed, statuses ${JSON.stringify(Object.fromEntries(statuses))}, ` +
        `${fake.writes().length} Sheets writes, heap after GC ${(heapSteady / 2 ** 20).toFixed(0)} → ` +
        `${(heapEnd / 2 ** 20).toFixed(0)} MiB (${(growth * 100).toFixed(1)}%)`,
    );
    // The whole test process (Jest, app, simulator, fake Sheets) and the calls' growing data: bounded, not a leak.
    expect(growth).toBeLessThan(0.25);
  }, 240_000);
});
