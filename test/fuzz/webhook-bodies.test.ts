import fc from 'fast-check';
import { BlandConnection } from '../../src/calls/bland-connection.js';
import { isTerminal } from '../../src/calls/call-status.js';
import { signWebhookBody, WEBHOOK_SIGNATURE_HEADER } from '../../src/calls/bland/webhook-signature.js';
import type { AuthContext } from '../../src/auth/auth-context.js';
import type { CallsTestApp } from '../support/calls-app.js';
import { blandBody, type WebhookTarget } from './support/bland-bodies.js';
import { creditViolations } from './support/credit-invariants.js';
import { anyJson } from './support/edge-values.js';
import { errorLines, isAlive, startFuzzApp } from './support/fuzz-app.js';
import { fuzzParameters, propertyTimeout, REPLAYING } from './support/fuzz-settings.js';

const POOL_SIZE = 6;
const HOUR_MS = 3_600_000;

describe('fuzz: correctly signed webhook bodies (POST /webhooks/bland)', () => {
  let t: CallsTestApp;
  let secret: string;
  let user: AuthContext;
  /** Live calls the near-valid bodies aim at; a call that ends is replaced by a new one. */
  const pool: WebhookTarget[] = [];

  /** A scheduled call (it stays queued in the simulator, so only the fuzzer moves it), or one Bland never saw. */
  const newTarget = async (n: number): Promise<WebhookTarget> => {
    const unacknowledged = n % 3 === 0;
    if (unacknowledged) t.sim.setFaults({ forced: { status: 504, times: 1 }, routes: ['send'] });
    const { call } = await t.calls.place(user, {
      phone_number: `+1415555${String(100 + (n % 100)).padStart(4, '0')}`,
      task: 'Confirm the appointment.',
      max_duration_minutes: 1 + (n % 5),
      start_time: new Date(Date.now() + HOUR_MS).toISOString(),
    });
    return { callId: call.id, blandCallId: call.blandCallId };
  };

  const post = (body: string | Uint8Array<ArrayBuffer>, contentType = 'application/json') =>
    fetch(`${t.app.url}/webhooks/bland`, {
      method: 'POST',
      headers: {
        'content-type': contentType,
        [WEBHOOK_SIGNATURE_HEADER]: signWebhookBody(Buffer.from(body), secret),
      },
      body,
    });

  beforeAll(async () => {
    t = await startFuzzApp();
    secret = t.app.app.get(BlandConnection).webhookSecret!;
    user = await t.newUser(1_000_000_000);
    for (let i = 0; i < POOL_SIZE; i++) pool.push(await newTarget(i));
  });
  afterAll(() => t.app.stop());

  it(
    'arbitrary bytes: 200/400 as JSON, 400/401 as another media type (not signature-checked)',
    async () => {
      const bytes = fc.oneof(
        fc.uint8Array({ maxLength: 2_000 }).map((b) => new Uint8Array(b)),
        fc.string({ unit: 'binary', maxLength: 500 }).map((s) => new Uint8Array(Buffer.from(s))),
      );
      const contentType = fc.constantFrom(
        'application/json',
        'application/json; charset=utf-8',
        'text/plain',
      );
      await fc.assert(
        fc.asyncProperty(bytes, contentType, async (body, type) => {
          const res = await post(body, type);
          expect(type.startsWith('application/json') ? [200, 400] : [400, 401]).toContain(res.status);
        }),
        fuzzParameters(),
      );
      expect(await isAlive(t.app.url)).toBe(true);
    },
    propertyTimeout(10),
  );

  it(
    'arbitrary JSON: 200 or 400, never a 5xx',
    async () => {
      await fc.assert(
        fc.asyncProperty(anyJson, async (value) => {
          const res = await post(JSON.stringify(value));
          expect([200, 400]).toContain(res.status);
        }),
        fuzzParameters(),
      );
      expect(await isAlive(t.app.url)).toBe(true);
    },
    propertyTimeout(10),
  );

  it(
    'Bland-shaped bodies for live calls, alone or racing: 200/400/409, and the books stay balanced',
    async () => {
      let placed = POOL_SIZE;
      const scenario = fc.nat({ max: POOL_SIZE - 1 }).chain((slot) =>
        fc.record({
          slot: fc.constant(slot),
          bodies: fc.array(
            blandBody(
              pool[slot]!,
              pool.filter((_, i) => i !== slot),
            ),
            { minLength: 1, maxLength: 3 },
          ),
          racing: fc.boolean(),
        }),
      );
      await fc.assert(
        fc.asyncProperty(scenario, async ({ slot, bodies, racing }) => {
          const send = (b: unknown) => post(JSON.stringify(b)).then((r) => r.status);
          const statuses = racing
            ? await Promise.all(bodies.map(send))
            : await bodies.reduce<Promise<number[]>>(
                async (done, b) => [...(await done), await send(b)],
                Promise.resolve([]),
              );
          for (const status of statuses) expect([200, 400, 409]).toContain(status);
          expect(await creditViolations(t.app.database)).toEqual([]);
          const target = await t.calls.get(user, pool[slot]!.callId);
          if (isTerminal(target.status)) pool[slot] = await newTarget(placed++);
          else pool[slot] = { callId: target.id, blandCallId: target.blandCallId };
        }),
        fuzzParameters(),
      );
      // The bodies did reach the settlement path (calls ended and were replaced).
      if (!REPLAYING) expect(placed).toBeGreaterThan(POOL_SIZE);
      expect(await isAlive(t.app.url)).toBe(true);
    },
    propertyTimeout(60),
  );

  it('logged no error (an unexpected exception anywhere) and left the books balanced', async () => {
    expect(errorLines(t.app.logs())).toEqual([]);
    expect(await creditViolations(t.app.database)).toEqual([]);
  });
});
