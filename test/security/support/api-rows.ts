import { expect } from '@jest/globals';
import type { Tenant, World } from './world.js';

export interface ApiAnswer {
  status: number;
  headers: Headers;
  text: string;
  json: Record<string, unknown> | undefined;
}

/**
 * One row per console API route, as Express lists it ("GET /api/calls/:id"): the request aimed at a tenant's
 * data, what its owner gets, what another user aiming at it gets. Rows run in this order (the key routes last:
 * DELETE revokes the spare key GET lists). The matrix test fails when a route has no row.
 */
export interface ApiRow {
  route: string;
  /** Served without credentials (and ignoring any sent). */
  public?: true;
  request(target: Tenant): { path: string; body?: unknown };
  own(res: ApiAnswer, me: Tenant, w: World): Promise<void> | void;
  otherUser(res: ApiAnswer, victim: Tenant): void;
}

const ok = (res: ApiAnswer, status = 200) => {
  expect(res.status).toBe(status);
  return res.json!;
};
const notFound = (res: ApiAnswer) => expect(res.status).toBe(404);

export const API_ROWS: ApiRow[] = [
  {
    route: 'GET /api/config',
    public: true,
    request: () => ({ path: '/api/config' }),
    own: (res) => expect(ok(res)).toHaveProperty('mcp_url'),
    otherUser: (res) => expect(ok(res)).toHaveProperty('mcp_url'),
  },
  {
    route: 'GET /api/me',
    request: () => ({ path: '/api/me' }),
    own: (res, me) => expect(ok(res)).toMatchObject({ user: { id: me.auth.userId } }),
    otherUser: (res) => void ok(res),
  },
  {
    route: 'GET /api/credits',
    request: () => ({ path: '/api/credits' }),
    own: async (res, me, w) => expect(ok(res)).toMatchObject(await w.t.credits.balance(me.auth.userId)),
    otherUser: (res) => void ok(res),
  },
  {
    route: 'GET /api/credits/ledger',
    request: () => ({ path: '/api/credits/ledger?limit=100' }),
    own: (res, me) => {
      const entries = ok(res).entries as { call_id: string | null }[];
      expect(entries.map((e) => e.call_id)).toContain(me.callId);
    },
    otherUser: (res) => void ok(res),
  },
  {
    route: 'GET /api/calls',
    request: () => ({ path: '/api/calls?limit=100' }),
    own: (res, me) => {
      const calls = ok(res).calls as { call_id: string }[];
      expect(calls.map((c) => c.call_id)).toContain(me.callId);
    },
    otherUser: (res) => void ok(res),
  },
  {
    route: 'GET /api/calls/:id',
    request: (target) => ({ path: `/api/calls/${target.callId}` }),
    own: (res, me) => {
      expect(ok(res)).toMatchObject({ call: { call_id: me.callId } });
      expect(res.text).toContain(me.marker);
    },
    otherUser: notFound,
  },
  {
    route: 'GET /api/keys',
    request: () => ({ path: '/api/keys' }),
    own: (res, me) => {
      const keys = ok(res).keys as { id: string }[];
      expect(keys.map((k) => k.id)).toContain(me.spareKeyId);
    },
    otherUser: (res) => void ok(res),
  },
  {
    route: 'POST /api/keys',
    request: () => ({ path: '/api/keys', body: { name: 'matrix' } }),
    own: (res) => expect(ok(res, 201).key).toMatch(/^bmcp_live_/),
    otherUser: (res) => expect(ok(res, 201).key).toMatch(/^bmcp_live_/),
  },
  {
    route: 'DELETE /api/keys/:id',
    request: (target) => ({ path: `/api/keys/${target.spareKeyId}` }),
    own: (res, me) => expect(ok(res)).toMatchObject({ api_key: { id: me.spareKeyId } }),
    otherUser: notFound,
  },
];

/** The method of a row's route. */
export const methodOf = (row: ApiRow) => row.route.split(' ')[0]!;
