import { randomUUID } from 'node:crypto';
import { expect } from '@jest/globals';
import { toolText, type RpcAnswer } from '../../fuzz/support/raw-mcp.js';
import type { Tenant, World } from './world.js';

/**
 * One row per tool, resource (template) and prompt: the request aimed at a tenant's data, what its owner must
 * get, and what another user aiming at it must get. The matrix test fails when the server lists something that
 * has no row here.
 */
export interface McpRow {
  kind: 'tool' | 'resource' | 'prompt';
  /** Tool or prompt name, or resource URI (template). */
  name: string;
  request(target: Tenant, w: World): { method: string; params: Record<string, unknown> };
  /** The caller reading its own data. */
  own(answer: RpcAnswer, me: Tenant, w: World): Promise<void> | void;
  /** The caller (not the victim) naming the victim's data. */
  otherUser(answer: RpcAnswer, victim: Tenant): void;
}

const result = (a: RpcAnswer) => a.response?.result;
const structured = (a: RpcAnswer) => result(a)?.structuredContent as Record<string, unknown> | undefined;

function expectToolSuccess(a: RpcAnswer): Record<string, unknown> {
  expect({ status: a.status, isError: result(a)?.isError ?? null }).toEqual({ status: 200, isError: null });
  return structured(a)!;
}

function expectCallNotFound(a: RpcAnswer): void {
  expect(a.status).toBe(200);
  expect(result(a)?.isError).toBe(true);
  expect(toolText(result(a))).toMatch(/^CALLS\.NOT_FOUND/);
}

function expectResourceNotFound(a: RpcAnswer): void {
  expect(a.status).toBe(200);
  expect(a.response?.error?.message).toMatch(/not found/i);
}

const resourceText = (a: RpcAnswer) =>
  (result(a)?.contents as { text: string }[] | undefined)?.[0]?.text ?? '';

const tool = (name: string, args: (target: Tenant, w: World) => Record<string, unknown>) => ({
  kind: 'tool' as const,
  name,
  request: (target: Tenant, w: World) => ({
    method: 'tools/call',
    params: { name, arguments: args(target, w) },
  }),
});

const balanceOf = (w: World, me: Tenant) => w.t.credits.balance(me.auth.userId);

export const MCP_ROWS: McpRow[] = [
  {
    // The victim's idempotency key must not replay (or reveal) the victim's call: keys are scoped per user.
    ...tool('place_call', (target, w) => ({
      phone_number: target.phone,
      task: 'Ask about the delivery.',
      idempotency_key: target === w.victim ? target.idempotencyKey : randomUUID(),
      start_time: w.scheduleAt,
    })),
    own: async (a, me, w) => {
      const out = expectToolSuccess(a);
      expect(out).toMatchObject({ replayed: false, phone_number: me.phone });
      expect((await w.t.calls.get(me.auth, out.call_id as string)).userId).toBe(me.auth.userId);
    },
    otherUser: (a, victim) => expect(expectToolSuccess(a).call_id).not.toBe(victim.callId),
  },
  {
    ...tool('get_call', (target) => ({ call_id: target.callId, include_transcript: true })),
    own: (a, me) => {
      expect(expectToolSuccess(a)).toMatchObject({ call_id: me.callId, status: 'completed' });
      expect(JSON.stringify(structured(a))).toContain(me.marker);
    },
    otherUser: expectCallNotFound,
  },
  {
    ...tool('wait_for_call', (target) => ({ call_id: target.callId, timeout_seconds: 1 })),
    own: (a, me) => {
      expect(expectToolSuccess(a)).toMatchObject({ call_id: me.callId, timed_out: false });
      expect(JSON.stringify(structured(a))).toContain(me.marker);
    },
    otherUser: expectCallNotFound,
  },
  {
    ...tool('list_calls', () => ({ limit: 100 })),
    own: (a, me) => {
      const calls = expectToolSuccess(a).calls as { call_id: string }[];
      expect(calls.map((c) => c.call_id)).toContain(me.callId);
    },
    otherUser: (a) => void expectToolSuccess(a),
  },
  {
    ...tool('stop_call', (target) => ({ call_id: target.callId })),
    own: (a, me) => expect(expectToolSuccess(a)).toMatchObject({ call_id: me.callId, status: 'completed' }),
    otherUser: expectCallNotFound,
  },
  {
    ...tool('get_credit_balance', () => ({})),
    own: async (a, me, w) => expect(expectToolSuccess(a)).toMatchObject(await balanceOf(w, me)),
    otherUser: (a) => void expectToolSuccess(a),
  },
  {
    ...tool('estimate_call_cost', () => ({ max_duration_minutes: 2 })),
    own: async (a, me, w) =>
      expect(expectToolSuccess(a).available_credits).toBe((await balanceOf(w, me)).available),
    otherUser: (a) => void expectToolSuccess(a),
  },
  {
    ...tool('list_voices', () => ({})),
    own: (a) => expect((expectToolSuccess(a).voices as unknown[]).length).toBeGreaterThan(0),
    otherUser: (a) => void expectToolSuccess(a),
  },
  {
    kind: 'resource',
    name: 'call://{call_id}',
    request: (target) => ({ method: 'resources/read', params: { uri: `call://${target.callId}` } }),
    own: (a, me) => expect(JSON.parse(resourceText(a))).toMatchObject({ call_id: me.callId }),
    otherUser: expectResourceNotFound,
  },
  {
    kind: 'resource',
    name: 'call://{call_id}/transcript',
    request: (target) => ({
      method: 'resources/read',
      params: { uri: `call://${target.callId}/transcript` },
    }),
    own: (a, me) => expect(resourceText(a)).toContain(me.marker),
    otherUser: expectResourceNotFound,
  },
  {
    kind: 'resource',
    name: 'credits://balance',
    request: () => ({ method: 'resources/read', params: { uri: 'credits://balance' } }),
    own: async (a, me, w) => expect(JSON.parse(resourceText(a))).toEqual(await balanceOf(w, me)),
    otherUser: (a) => expect(resourceText(a)).toMatch(/"balance"/),
  },
  {
    kind: 'prompt',
    name: 'outbound_call',
    request: () => ({
      method: 'prompts/get',
      params: { name: 'outbound_call', arguments: { goal: 'Confirm it.' } },
    }),
    own: (a) => expect((result(a)?.messages as unknown[]).length).toBeGreaterThan(0),
    otherUser: (a) => expect((result(a)?.messages as unknown[]).length).toBeGreaterThan(0),
  },
];
