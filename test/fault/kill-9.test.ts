/**
 * kill -9 at random points of call placement and settlement, many times, then restart and let reconciliation run:
 * no lost hold, no double charge, no double dial. The app and the Bland simulator run as separate processes (the
 * simulator must outlive the app, as Bland does). FAULT_TRIALS (default 4; `npm run test:long` uses more).
 */
import pg from 'pg';
import { freePort } from '../../src/database/embedded-postgres.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { killSpawned, spawnNode, type Spawned } from '../support/process.js';
import { accountServices } from '../support/services.js';
import { eventually } from '../support/wait.js';

const TRIALS = Number(process.env.FAULT_TRIALS ?? 4);
const CALLS_PER_TRIAL = 6;
const SIM_KEY = 'sim-fault-key';
const SECRET = 'fault-webhook-secret';

describe('kill -9 during placement and settlement', () => {
  let t: TestDatabase;
  let sim: Spawned;
  let simUrl: string;
  let port: number;
  let apiKey: string;
  let userId: string;
  const START_CREDITS = 100_000;

  beforeAll(async () => {
    t = await createTestDatabase();
    const created = await accountServices(t.db).newUser(START_CREDITS);
    apiKey = created.apiKey!;
    userId = created.user.id;
    sim = spawnNode(
      'dist/calls/bland/simulator/run.js',
      { BLAND_SIM_API_KEY: SIM_KEY, BLAND_WEBHOOK_SECRET: SECRET, LOG_LEVEL: 'warn' },
      ['--port', '0', '--time-scale', '0.01', '--seed', '7'],
    );
    simUrl = (await sim.waitFor(/^(http:\/\/\S+)$/m))[1]!;
    port = await freePort();
  });
  afterAll(async () => {
    killSpawned();
    await t.drop();
  });

  const startApp = async () => {
    const app = spawnNode('dist/main.js', {
      DATABASE_URL: t.url,
      PORT: String(port),
      PUBLIC_URL: `http://127.0.0.1:${port}`,
      BLAND_API_KEY: SIM_KEY,
      BLAND_API_URL: simUrl,
      BLAND_WEBHOOK_SECRET: SECRET,
      BLAND_TIMEOUT_MS: '2000',
      POLLER_MODE: 'in-app',
      POLL_INTERVAL_SECONDS: '1',
      DISPATCH_UNKNOWN_GRACE_SECONDS: '10',
      MAX_CONCURRENT_CALLS_PER_USER: '1000',
      MAX_CALLS_PER_HOUR_PER_USER: '10000',
      RATE_LIMIT_PER_MINUTE: '100000',
      LOG_LEVEL: 'warn',
    });
    await eventually(
      async () => (await fetch(`http://127.0.0.1:${port}/health/live`)).ok,
      'the app to listen',
      30_000,
    );
    return app;
  };

  /** place_call as a 2025-era stateless JSON-RPC request; resolves with the call id, or undefined if cut off. */
  const place = async (n: number, trial: number): Promise<string | undefined> => {
    try {
      const res = await fetch(`http://127.0.0.1:${port}/mcp`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/json, text/event-stream',
          authorization: `Bearer ${apiKey}`,
        },
        body: JSON.stringify({
          jsonrpc: '2.0',
          id: n,
          method: 'tools/call',
          params: {
            name: 'place_call',
            arguments: {
              phone_number: `+1415555${String(1000 + trial * 100 + n).padStart(4, '0')}`,
              task: 'Fault-injection call',
              max_duration_minutes: 2,
              idempotency_key: `trial-${trial}-call-${n}`,
            },
          },
        }),
      });
      const text = await res.text();
      const json = JSON.parse(text.startsWith('{') ? text : /^data: (.*)$/m.exec(text)![1]!);
      return json.result?.structuredContent?.call_id;
    } catch {
      return undefined; // the process died under us: outcome unknown
    }
  };

  it(`keeps money and dialling exact across ${TRIALS} crash trials`, async () => {
    let cutOff = 0;
    for (let trial = 0; trial < TRIALS; trial++) {
      let app = await startApp();
      const inFlight = Array.from({ length: CALLS_PER_TRIAL }, (_, n) => place(n, trial));
      await new Promise((r) => setTimeout(r, Math.random() * 250));
      app.child.kill('SIGKILL');
      const outcomes = await Promise.all(inFlight);
      cutOff += outcomes.filter((id) => !id).length;

      // A client retries what it did not hear back about, with the same idempotency key.
      app = await startApp();
      await Promise.all(outcomes.map((id, n) => (id ? id : place(n, trial))));
      // And a second crash while webhooks and settlements are landing.
      await new Promise((r) => setTimeout(r, Math.random() * 600));
      app.child.kill('SIGKILL');
      await app.exited;
    }

    // Recovery: one healthy app, webhooks and the in-app poller until every call has ended.
    const app = await startApp();
    const db = new pg.Client({ connectionString: t.url });
    await db.connect();
    try {
      await eventually(
        async () => {
          const { rows } = await db.query(
            `SELECT count(*)::int AS n FROM bland_mcp.calls WHERE status NOT IN ('completed','no_answer','busy','failed','canceled')`,
          );
          return rows[0].n === 0;
        },
        'every call to end',
        90_000,
      );
      const { rows: calls } = await db.query(
        `SELECT id, idempotency_key, phone_number, bland_call_id, status, charged_credits, error_code FROM bland_mcp.calls`,
      );
      const byStatus: Record<string, number> = {};
      for (const c of calls) {
        const key = c.error_code ? `${c.status} (${c.error_code})` : c.status;
        byStatus[key] = (byStatus[key] ?? 0) + 1;
      }
      console.log(
        `kill -9: ${TRIALS} trials, ${TRIALS * 2} kills, ${cutOff} place_call requests cut off mid-flight, ` +
          `${calls.length} calls recorded: ${JSON.stringify(byStatus)}`,
      );
      expect(calls.length).toBeLessThanOrEqual(TRIALS * CALLS_PER_TRIAL);

      // No double dial: every number rang at most once, and every dial belongs to exactly one of our calls.
      const simCalls = (await (await fetch(`${simUrl}/__sim/calls`)).json()) as {
        calls: {
          callId: string;
          request: { phone_number: string; metadata?: Record<string, string> };
          dialed: boolean;
        }[];
      };
      const dials = new Map<string, number>();
      for (const c of simCalls.calls.filter((c) => c.dialed))
        dials.set(c.request.phone_number, (dials.get(c.request.phone_number) ?? 0) + 1);
      for (const [number, count] of dials) expect({ number, count }).toEqual({ number, count: 1 });
      const ours = new Set(calls.map((c) => c.id));
      for (const c of simCalls.calls) expect(ours.has(c.request.metadata?.bmcp_call_id ?? '')).toBe(true);

      // No lost hold, no double charge: every hold was released exactly once, at most one capture per call,
      // the account's balance moved by exactly the captures, and nothing is still held.
      const { rows: ledger } = await db.query(
        `SELECT call_id, kind, amount::int FROM bland_mcp.ledger_entries WHERE call_id IS NOT NULL`,
      );
      for (const call of calls) {
        const entries = ledger.filter((e) => e.call_id === call.id);
        expect({
          call: call.id,
          holds: entries.filter((e) => e.kind === 'hold').length,
          releases: entries.filter((e) => e.kind === 'release').length,
        }).toEqual({ call: call.id, holds: 1, releases: 1 });
        const captured = entries.filter((e) => e.kind === 'capture').reduce((sum, e) => sum + e.amount, 0);
        expect(entries.filter((e) => e.kind === 'capture').length).toBeLessThanOrEqual(1);
        expect(Number(call.charged_credits)).toBe(captured);
      }
      expect(new Set(ledger.map((e) => e.call_id)).size).toBe(calls.length); // no hold without its call
      const { rows: account } = await db.query(
        `SELECT balance::int, held::int FROM bland_mcp.credit_accounts WHERE user_id = $1`,
        [userId],
      );
      const totalCaptured = ledger.filter((e) => e.kind === 'capture').reduce((sum, e) => sum + e.amount, 0);
      expect(account[0]).toEqual({ balance: START_CREDITS - totalCaptured, held: 0 });
    } finally {
      await db.end();
      app.child.kill('SIGTERM');
      await app.exited;
    }
  }, 300_000);
});
