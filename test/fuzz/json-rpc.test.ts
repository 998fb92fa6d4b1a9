import fc from 'fast-check';
import { BlandConnection } from '../../src/calls/bland-connection.js';
import { signWebhookBody, WEBHOOK_SIGNATURE_HEADER } from '../../src/calls/bland/webhook-signature.js';
import type { CallsTestApp } from '../support/calls-app.js';
import { answerProblem } from './support/answers.js';
import { anyJson, trickyString, trickyValue } from './support/edge-values.js';
import { errorLines, isAlive, startFuzzApp } from './support/fuzz-app.js';
import { fuzzParameters, propertyTimeout } from './support/fuzz-settings.js';
import { envelope, postMcp, type Era } from './support/raw-mcp.js';

const MAX_BODY_BYTES = 65_536;

const METHODS = [
  'initialize',
  'ping',
  'server/discover',
  'tools/list',
  'tools/call',
  'resources/list',
  'resources/templates/list',
  'resources/read',
  'prompts/list',
  'prompts/get',
  'logging/setLevel',
  'completion/complete',
  'subscriptions/listen',
  'tasks/get',
  'notifications/initialized',
  'notifications/cancelled',
];

/** Header values a client could send: printable ASCII (fetch refuses anything else). */
const headerText = fc.oneof(
  fc.string({ unit: 'grapheme-ascii', maxLength: 40 }).filter((s) => /^[\x20-\x7e]*$/.test(s)),
  fc.constantFrom('2026-07-28', '2025-11-25', '2025-06-18', '2024-11-05', '2099-01-01', 'tools/call', ''),
);

const ids = fc.oneof(
  { weight: 3, arbitrary: fc.integer() },
  {
    weight: 2,
    arbitrary: fc.constantFrom<unknown>(
      0,
      -1,
      1.5,
      1e308,
      -1e308,
      2 ** 53 + 2,
      null,
      '',
      {},
      [],
      true,
      '9'.repeat(20_000),
    ),
  },
  { weight: 1, arbitrary: trickyValue },
);

const params = fc.oneof(
  fc.record(
    {
      name: fc.oneof(
        fc.constantFrom('get_credit_balance', 'list_calls', 'outbound_call', 'nope'),
        trickyString,
      ),
      uri: fc.oneof(fc.constantFrom('credits://balance', 'call://x'), trickyString),
      arguments: fc.oneof(fc.dictionary(trickyString, trickyValue, { maxKeys: 3 }), trickyValue),
      protocolVersion: headerText,
      capabilities: trickyValue,
      clientInfo: trickyValue,
      cursor: trickyValue,
      _meta: trickyValue,
    },
    { requiredKeys: [] },
  ),
  trickyValue,
);

/** One JSON-RPC message as an era's client would frame it, then bent: any member wrong, missing or extra. */
const message = fc
  .record(
    {
      era: fc.constantFrom<Era>('modern', 'legacy'),
      method: fc.oneof(
        { weight: 4, arbitrary: fc.constantFrom(...METHODS) },
        { weight: 1, arbitrary: trickyString },
      ),
      params,
      id: ids,
      jsonrpc: fc.oneof({ weight: 4, arbitrary: fc.constant('2.0') }, { weight: 1, arbitrary: trickyValue }),
      drop: fc.subarray(['jsonrpc', 'id', 'method', 'params']),
    },
    { requiredKeys: ['era', 'method', 'params', 'id', 'jsonrpc', 'drop'] },
  )
  .map(({ era, method, params: p, id, jsonrpc, drop }) => {
    const framed = envelope(era, typeof method === 'string' ? method : 'x', isObject(p) ? p : {}, id);
    const body: Record<string, unknown> = { ...framed.body, jsonrpc, method };
    if (!isObject(p)) body.params = p;
    for (const key of drop) delete body[key];
    return { headers: framed.headers, body };
  });

/** Headers bent the same way: a standard MCP header wrong or missing, another media type, an encoding. */
const headerEdits = fc.record(
  {
    'mcp-protocol-version': headerText,
    'mcp-method': headerText,
    'mcp-name': headerText,
    accept: fc.constantFrom('application/json', 'text/event-stream', '*/*', 'text/html', ''),
    'content-type': fc.constantFrom(
      'application/json',
      'application/json; charset=utf-8',
      'application/json; charset=utf-16',
      'application/json; charset=latin1',
      'application/json; charset=nope',
      'text/plain',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
      '',
    ),
    'content-encoding': fc.constantFrom('identity', 'gzip', 'deflate', 'br', 'zstd', 'x-nope'),
  },
  { requiredKeys: [] },
);

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** `[[[…]]]` / `{"a":{"a":…}}` built as text: JSON.stringify itself overflows the stack on such values. */
const nestedArrays = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);
const nestedObjects = (depth: number) => '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);

describe('fuzz: malformed JSON-RPC, huge and deeply nested bodies', () => {
  let t: CallsTestApp;
  let apiKey: string;
  const auth = () => ({ authorization: `Bearer ${apiKey}` });

  beforeAll(async () => {
    t = await startFuzzApp({ MAX_BODY_BYTES: String(MAX_BODY_BYTES) });
    apiKey = (await t.newUser(1_000)).apiKey;
  });
  afterAll(() => t.app.stop());

  it(
    'bent JSON-RPC messages and batches, in either era, with bent headers: never a 5xx or an internal error',
    async () => {
      const body = fc.oneof(
        { weight: 4, arbitrary: message.map((m) => ({ headers: m.headers, json: m.body as unknown })) },
        {
          weight: 1,
          arbitrary: fc
            .array(message, { maxLength: 4 })
            .map((ms) => ({ headers: ms[0]?.headers ?? {}, json: ms.map((m) => m.body) as unknown })),
        },
      );
      await fc.assert(
        fc.asyncProperty(body, fc.option(headerEdits, { nil: undefined }), async (b, edits) => {
          const headers = { ...b.headers, ...auth(), ...edits };
          const answer = await postMcp(t.app.url, JSON.stringify(b.json), headers);
          expect(answerProblem(answer)).toBeUndefined();
        }),
        fuzzParameters(),
      );
      expect(await isAlive(t.app.url)).toBe(true);
    },
    propertyTimeout(20),
  );

  it(
    'arbitrary JSON and arbitrary bytes as the body: never a 5xx or an internal error',
    async () => {
      const raw = fc.oneof(
        anyJson.map((v) => JSON.stringify(v)),
        fc.string({ unit: 'binary', maxLength: 300 }),
        fc.uint8Array({ maxLength: 1_000 }).map((b) => new Uint8Array(b)),
      );
      await fc.assert(
        fc.asyncProperty(raw, fc.constantFrom<Era>('modern', 'legacy'), async (body, era) => {
          const answer = await postMcp(t.app.url, body, {
            ...envelope(era, 'tools/list').headers,
            ...auth(),
          });
          expect(answerProblem(answer)).toBeUndefined();
        }),
        fuzzParameters(),
      );
      expect(await isAlive(t.app.url)).toBe(true);
    },
    propertyTimeout(20),
  );

  it.each<Era>(['modern', 'legacy'])(
    '413 for a body over MAX_BODY_BYTES (%s era, with and without Content-Length)',
    async (era) => {
      const { headers, body } = envelope(era, 'tools/call', {
        name: 'get_credit_balance',
        arguments: { padding: 'x'.repeat(MAX_BODY_BYTES) },
      });
      const text = JSON.stringify(body);
      expect((await postMcp(t.app.url, text, { ...headers, ...auth() })).status).toBe(413);
      const streamed = new ReadableStream({
        start(controller) {
          controller.enqueue(new TextEncoder().encode(text));
          controller.close();
        },
      });
      const chunked = await fetch(`${t.app.url}/mcp`, {
        method: 'POST',
        headers: { ...headers, ...auth() },
        body: streamed,
        duplex: 'half',
      } as RequestInit);
      expect(chunked.status).toBe(413);
      const webhook = await fetch(`${t.app.url}/webhooks/bland`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', [WEBHOOK_SIGNATURE_HEADER]: 'f'.repeat(64) },
        body: JSON.stringify({ call_id: 'x', padding: 'x'.repeat(MAX_BODY_BYTES) }),
      });
      expect(webhook.status).toBe(413);
      expect(await isAlive(t.app.url)).toBe(true);
    },
  );

  const depths = [1_000, 10_000, Math.floor(MAX_BODY_BYTES / 2) - 100];
  it.each(depths)(
    'deeply nested JSON (depth %i) anywhere in a request: a 4xx or a clean error, never a 5xx',
    async (depth) => {
      const secret = t.app.app.get(BlandConnection).webhookSecret!;
      for (const era of ['modern', 'legacy'] as const) {
        const { headers } = envelope(era, 'tools/call', { name: 'place_call' });
        const framed = (inner: string) =>
          JSON.stringify(
            envelope(era, 'tools/call', { name: 'place_call', arguments: { marker: 0 } }).body,
          ).replace('{"marker":0}', inner);
        const bodies = [
          nestedArrays(depth),
          nestedObjects(Math.floor(depth / 3)),
          framed(
            `{"phone_number":"+14155550123","task":"hi","request_data":{"deep":${nestedArrays(depth - 20)}}}`,
          ),
          framed(
            `{"phone_number":"+14155550123","task":"hi","metadata":${nestedObjects(Math.floor(depth / 3) - 20)}}`,
          ),
          framed(nestedArrays(depth - 20)),
          JSON.stringify({ jsonrpc: '2.0', id: 0, method: 'ping' }).replace('0', nestedArrays(depth - 20)),
        ];
        for (const [shape, body] of bodies.entries()) {
          if (body.length > MAX_BODY_BYTES) continue;
          const answer = await postMcp(t.app.url, body, { ...headers, ...auth() });
          const problem = answerProblem(answer);
          expect({ depth, era, shape, problem }).toEqual({ depth, era, shape, problem: undefined });
        }
        const webhook = `{"call_id":"x","transcripts":${nestedArrays(depth - 20)}}`;
        const res = await fetch(`${t.app.url}/webhooks/bland`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            [WEBHOOK_SIGNATURE_HEADER]: signWebhookBody(webhook, secret),
          },
          body: webhook,
        });
        expect([200, 400]).toContain(res.status);
      }
      expect(await isAlive(t.app.url)).toBe(true);
    },
  );

  it('logged no error (an unexpected exception anywhere)', () => {
    expect(errorLines(t.app.logs())).toEqual([]);
  });
});
