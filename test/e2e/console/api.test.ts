import { startCallsApp, type CallsTestApp } from '../../support/calls-app.js';
import { startFakeSupabaseAuth, type FakeSupabaseAuth } from '../../support/fake-supabase-oauth/index.js';
import { eventually } from '../../support/wait.js';

const TASK = 'Confirm the delivery window for order 1042 and ask for a gate code.';
type User = Awaited<ReturnType<CallsTestApp['newUser']>>;

describe('the console API (/api) over HTTP', () => {
  let t: CallsTestApp;
  let alice: User;
  let bob: User;
  let aliceCallId: string;

  const api = (path: string, key: string | null, init: RequestInit = {}) =>
    fetch(`${t.app.url}${path}`, {
      ...init,
      headers: {
        ...(key ? { authorization: `Bearer ${key}` } : {}),
        ...(init.body ? { 'content-type': 'application/json' } : {}),
        ...(init.headers as Record<string, string>),
      },
    });
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON answers, checked field by field below
  type Body = Record<string, any>;
  const json = async (path: string, key: string | null, init?: RequestInit) => {
    const res = await api(path, key, init);
    return { status: res.status, headers: res.headers, body: (await res.json()) as Body };
  };

  beforeAll(async () => {
    t = await startCallsApp();
    [alice, bob] = await Promise.all([t.newUser(1_000), t.newUser(200)]);
    t.sim.setOutcome('+14155550101', 'completed');
    const { call } = await t.calls.place(alice, {
      phone_number: '+14155550101',
      task: TASK,
      max_duration_minutes: 2,
    });
    aliceCallId = call.id;
    await eventually(
      async () => (await t.calls.get(alice, call.id)).chargedCredits !== null,
      'the call to end',
    );
    // Scheduled an hour ahead, it keeps its 1-minute hold (12 credits) for the whole test.
    await t.calls.place(alice, {
      phone_number: '+14155550102',
      task: TASK,
      max_duration_minutes: 1,
      start_time: new Date(Date.now() + 3_600_000).toISOString(),
    });
  });
  afterAll(() => t.app.stop());

  describe('authentication and the edge', () => {
    it.each([
      '/api/me',
      '/api/calls',
      `/api/calls/00000000-0000-4000-8000-000000000000`,
      '/api/credits',
      '/api/credits/ledger',
      '/api/keys',
    ])('GET %s without a token is 401 with a Bearer challenge and no caching', async (path) => {
      const res = await json(path, null);
      expect(res.status).toBe(401);
      expect(res.body.error.code).toBe('AUTH.MISSING_TOKEN');
      expect(res.headers.get('www-authenticate')).toBe('Bearer realm="bland-mcp"');
      expect(res.headers.get('cache-control')).toBe('no-store');
    });

    it('refuses a wrong key (401) and a foreign Origin (403, before looking at the key)', async () => {
      expect((await json('/api/me', `bmcp_live_${'x'.repeat(43)}`)).body.error.code).toBe(
        'AUTH.INVALID_API_KEY',
      );
      const foreign = await json('/api/me', alice.apiKey, { headers: { origin: 'https://evil.example' } });
      expect(foreign.status).toBe(403);
      expect(foreign.body.error.code).toBe('HTTP.ORIGIN_NOT_ALLOWED');
      const own = await json('/api/me', alice.apiKey, { headers: { origin: t.app.url } });
      expect(own.status).toBe(200);
    });

    it('POST/DELETE routes take no cookies: a request with only a cookie is 401', async () => {
      const res = await json('/api/keys', null, {
        method: 'POST',
        body: '{}',
        headers: { cookie: 'session=1' },
      });
      expect(res.status).toBe(401);
    });

    it('an unknown /api route is a JSON 404', async () => {
      const res = await json('/api/nope', alice.apiKey);
      expect(res.status).toBe(404);
      expect(res.body.error.code).toBe('HTTP.404');
    });
  });

  it('GET /api/config is public and describes this server', async () => {
    const res = await json('/api/config', null);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      public_url: t.app.url,
      mcp_url: `${t.app.url}/mcp`,
      simulated: true,
      supabase: null,
      pricing: { credits_per_minute: 12, minimum_charge: 1 },
    });
  });

  it('GET /api/me names the user, how they signed in, and their credits', async () => {
    const res = await json('/api/me', alice.apiKey);
    expect(res.body).toEqual({
      user: {
        id: alice.userId,
        email: alice.email,
        via: 'api_key',
        api_key: { id: alice.apiKeyId, last4: alice.apiKey.slice(-4) },
        client_id: null,
      },
      credits: { ...(await t.credits.balance(alice.userId)) },
    });
  });

  describe('calls', () => {
    it('lists the caller’s calls, newest first, in the MCP view', async () => {
      const res = await json('/api/calls', alice.apiKey);
      expect(res.status).toBe(200);
      expect(res.body.calls.map((c: { phone_number: string }) => c.phone_number)).toEqual([
        '+14155550102',
        '+14155550101',
      ]);
      expect(res.body.calls[1]).toMatchObject({
        call_id: aliceCallId,
        status: 'completed',
        terminal: true,
        simulated: true,
        held_credits: 24,
      });
      expect(res.body.calls[1]).not.toHaveProperty('transcript');
      expect(res.body.next_cursor).toBeNull();
      expect((await json('/api/calls', bob.apiKey)).body.calls).toEqual([]);
    });

    it('filters by status and by a number typed with spaces and brackets', async () => {
      const completed = await json('/api/calls?status=completed', alice.apiKey);
      expect(completed.body.calls.map((c: { call_id: string }) => c.call_id)).toEqual([aliceCallId]);
      const byNumber = await json(
        `/api/calls?phone_number=${encodeURIComponent('+1 (415) 555-0102')}`,
        alice.apiKey,
      );
      expect(byNumber.body.calls).toHaveLength(1);
      expect(byNumber.body.calls[0].phone_number).toBe('+14155550102');
    });

    it('pages with limit and next_cursor', async () => {
      const first = await json('/api/calls?limit=1', alice.apiKey);
      expect(first.body.calls).toHaveLength(1);
      expect(first.body.next_cursor).toEqual(expect.any(String));
      const second = await json(`/api/calls?limit=1&cursor=${first.body.next_cursor}`, alice.apiKey);
      expect(second.body.calls[0].call_id).toBe(aliceCallId);
    });

    it.each([
      ['status=ringing_forever', 'status'],
      ['phone_number=call-me-maybe', 'phone_number'],
      ['limit=0', 'limit'],
      ['limit=many', 'limit'],
      ['since=yesterday', 'since'],
      ['cursor=not-a-cursor', 'cursor'],
      ['sort=asc', 'sort'],
    ])('?%s is a 400 naming %s', async (query, field) => {
      const res = await json(`/api/calls?${query}`, alice.apiKey);
      expect(res.status).toBe(400);
      expect(res.body.error.message).toMatch(new RegExp(`^${field}: `));
    });

    it('GET /api/calls/:id has the transcript, its turns and the call’s ledger entries', async () => {
      const res = await json(`/api/calls/${aliceCallId}`, alice.apiKey);
      expect(res.status).toBe(200);
      const { call, ledger } = res.body;
      expect(call).toMatchObject({ call_id: aliceCallId, status: 'completed', transcript_truncated: false });
      expect(call.transcript).toMatch(/assistant: /);
      expect(call.transcript_turns.length).toBeGreaterThan(1);
      expect(call.transcript_turns[0]).toEqual({ speaker: expect.any(String), text: expect.any(String) });
      expect(call.summary).toBeTruthy();
      expect(ledger.map((e: { kind: string }) => e.kind)).toEqual(['hold', 'capture', 'release']);
      expect(ledger[1]).toEqual({
        id: expect.any(Number),
        kind: 'capture',
        amount: call.charged_credits,
        call_id: aliceCallId,
        reason: null,
        balance_after: 1_000 - call.charged_credits,
        held_after: expect.any(Number),
        created_at: expect.any(String),
      });
      expect(ledger[0]).not.toHaveProperty('actor');
    });

    it('another user’s call is 404, exactly like a missing one', async () => {
      const theirs = await json(`/api/calls/${aliceCallId}`, bob.apiKey);
      const missing = await json('/api/calls/00000000-0000-4000-8000-000000000000', bob.apiKey);
      const garbage = await json('/api/calls/42', bob.apiKey);
      for (const res of [theirs, missing, garbage]) {
        expect(res.status).toBe(404);
        expect(res.body.error.code).toBe('CALLS.NOT_FOUND');
      }
    });
  });

  describe('credits', () => {
    it('GET /api/credits has the balance, holds, availability and pricing', async () => {
      const res = await json('/api/credits', alice.apiKey);
      expect(res.body).toEqual({
        ...(await t.credits.balance(alice.userId)),
        pricing: { credits_per_minute: 12, minimum_charge: 1 },
      });
      expect(res.body.held).toBe(12); // the second call, still holding its 1 minute
    });

    it('GET /api/credits/ledger pages the history newest first, only the caller’s', async () => {
      const all = await json('/api/credits/ledger?limit=100', alice.apiKey);
      expect(all.body.entries.map((e: { kind: string }) => e.kind)).toEqual([
        'hold',
        'release',
        'capture',
        'hold',
        'grant',
      ]);
      const first = await json('/api/credits/ledger?limit=2', alice.apiKey);
      const second = await json(`/api/credits/ledger?limit=2&cursor=${first.body.next_cursor}`, alice.apiKey);
      expect([...first.body.entries, ...second.body.entries]).toEqual(all.body.entries.slice(0, 4));
      expect(
        (await json('/api/credits/ledger', bob.apiKey)).body.entries.map((e: { kind: string }) => e.kind),
      ).toEqual(['grant']);
    });

    it.each([
      ['cursor=abc', 'cursor'],
      ['limit=101', 'limit'],
    ])('?%s is a 400 naming %s', async (query, field) => {
      const res = await json(`/api/credits/ledger?${query}`, alice.apiKey);
      expect(res.status).toBe(400);
      expect(res.body.error.message).toMatch(new RegExp(`^${field}: `));
    });
  });

  describe('API keys', () => {
    it('creates a key shown once, which then authenticates; lists keys without secrets', async () => {
      const created = await json('/api/keys', bob.apiKey, {
        method: 'POST',
        body: JSON.stringify({ name: 'Cursor on my laptop' }),
      });
      expect(created.status).toBe(201);
      expect(created.body.key).toMatch(/^bmcp_live_[0-9A-Za-z]{43}$/);
      expect(created.body.api_key).toMatchObject({
        name: 'Cursor on my laptop',
        prefix: created.body.key.slice(0, 14),
        last4: created.body.key.slice(-4),
        revoked_at: null,
        expires_at: null,
        current: false,
      });
      expect((await json('/api/me', created.body.key)).body.user.api_key.id).toBe(created.body.api_key.id);

      const list = await json('/api/keys', bob.apiKey);
      expect(list.body.keys).toHaveLength(2);
      expect(JSON.stringify(list.body)).not.toContain(created.body.key);
      expect(list.body.keys.find((k: { current: boolean }) => k.current).id).toBe(bob.apiKeyId);
    });

    it('creates a key that expires', async () => {
      const at = new Date(Date.now() + 86_400_000).toISOString();
      const created = await json('/api/keys', bob.apiKey, {
        method: 'POST',
        body: JSON.stringify({ expires_at: at }),
      });
      expect(created.body.api_key).toMatchObject({ name: null, expires_at: at });
    });

    it.each([
      ['an empty name', { name: '' }, 'name'],
      ['a 101-character name', { name: 'x'.repeat(101) }, 'name'],
      ['an expiry that is not a time', { expires_at: 'next week' }, 'expires_at'],
      ['an expiry in the past', { expires_at: '2020-01-01T00:00:00Z' }, 'expires_at'],
      ['an unknown field', { scopes: ['admin'] }, 'scopes'],
    ])('rejects %s with a 400 naming the field', async (_case, body, field) => {
      const res = await json('/api/keys', bob.apiKey, { method: 'POST', body: JSON.stringify(body) });
      expect(res.status).toBe(400);
      expect(res.body.error).toMatchObject({ code: 'VALIDATION.INVALID_FIELD', details: { field } });
      expect(res.body.error.message).toMatch(new RegExp(`^${field}: `));
    });

    it('rejects a body that is not JSON', async () => {
      const res = await json('/api/keys', bob.apiKey, { method: 'POST', body: '{name:' });
      expect(res.status).toBe(400);
      expect(res.body.error).toMatchObject({
        code: 'HTTP.INVALID_JSON',
        message: expect.stringMatching(/JSON/),
      });
    });

    it('revokes a key (idempotently); the key stops working at once', async () => {
      const { body } = await json('/api/keys', alice.apiKey, { method: 'POST', body: '{"name":"temp"}' });
      const revoked = await json(`/api/keys/${body.api_key.id}`, alice.apiKey, { method: 'DELETE' });
      expect(revoked.status).toBe(200);
      expect(revoked.body.api_key.revoked_at).toEqual(expect.any(String));
      const again = await json(`/api/keys/${body.api_key.id}`, alice.apiKey, { method: 'DELETE' });
      expect(again.body.api_key.revoked_at).toBe(revoked.body.api_key.revoked_at);
      const use = await json('/api/me', body.key);
      expect(use.status).toBe(401);
      expect(use.body.error.code).toBe('AUTH.API_KEY_REVOKED');
    });

    it('user B can neither see nor revoke user A’s keys (404)', async () => {
      const bobsKeys = (await json('/api/keys', bob.apiKey)).body.keys.map((k: { id: string }) => k.id);
      expect(bobsKeys).not.toContain(alice.apiKeyId);
      const res = await json(`/api/keys/${alice.apiKeyId}`, bob.apiKey, { method: 'DELETE' });
      expect(res.status).toBe(404);
      expect(res.body.error.code).toBe('KEYS.NOT_FOUND');
      expect((await json('/api/me', alice.apiKey)).status).toBe(200);
      expect((await json('/api/keys/not-a-uuid', bob.apiKey, { method: 'DELETE' })).status).toBe(404);
    });
  });

  describe('the console’s static files', () => {
    it('redirects / and /console to /console/', async () => {
      const root = await fetch(`${t.app.url}/`, { redirect: 'manual' });
      expect(root.status).toBe(302);
      expect(root.headers.get('location')).toBe('/console/');
      const bare = await fetch(`${t.app.url}/console?x=1`, { redirect: 'manual' });
      expect(bare.status).toBe(301);
      expect(bare.headers.get('location')).toBe('/console/?x=1');
    });

    it('serves the app shell for client routes, uncached, with a strict CSP', async () => {
      for (const path of ['/console/', '/console/calls/6f1c', '/console/oauth/consent?authorization_id=a']) {
        const res = await fetch(`${t.app.url}${path}`);
        expect(res.status).toBe(200);
        expect(res.headers.get('content-type')).toMatch(/^text\/html/);
        expect(res.headers.get('cache-control')).toBe('no-cache');
        const csp = res.headers.get('content-security-policy')!;
        expect(csp).toContain("script-src 'self'");
        expect(csp).toContain("frame-ancestors 'none'");
        expect(csp).not.toMatch(/unsafe-(inline|eval)/);
        expect(res.headers.get('x-frame-options')).toBe('DENY');
        const html = await res.text();
        expect(html).toMatch(
          /<script type="module" crossorigin src="\/console\/assets\/index-[\w-]+\.js"><\/script>/,
        );
        expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/); // no inline script
      }
    });

    it('serves hashed assets for a year, and 404s a missing file instead of the shell', async () => {
      const html = await (await fetch(`${t.app.url}/console/`)).text();
      const asset = /src="(\/console\/assets\/[^"]+)"/.exec(html)![1]!;
      const res = await fetch(`${t.app.url}${asset}`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/javascript/);
      expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
      expect((await fetch(`${t.app.url}/console/assets/index-missing.js`)).status).toBe(404);
      expect((await fetch(`${t.app.url}/console/%2e%2e/package.json`)).status).toBe(404);
      expect((await fetch(`${t.app.url}/console/.env`)).status).toBe(404);
    });
  });
});

describe('the console API with Supabase Auth configured', () => {
  let fake: FakeSupabaseAuth;
  let t: CallsTestApp;
  beforeAll(async () => {
    fake = await startFakeSupabaseAuth();
    t = await startCallsApp({ SUPABASE_URL: fake.url, SUPABASE_ANON_KEY: fake.anonKey });
    fake.setSiteUrl(t.app.url);
  });
  afterAll(async () => {
    await t.app.stop();
    await fake.close();
  });

  it('tells the console which Supabase project to sign in with, and lets it connect there (CSP)', async () => {
    expect((await (await fetch(`${t.app.url}/api/config`)).json()).supabase).toEqual({
      url: fake.url,
      anon_key: fake.anonKey,
    });
    const csp = (await fetch(`${t.app.url}/console/`)).headers.get('content-security-policy');
    expect(csp).toContain(`connect-src 'self' ${fake.url}`);
  });

  it('accepts a Supabase OAuth access token like /mcp does, creating the user on first use', async () => {
    const user = fake.addUser('connector@example.com');
    const token = await fake.tokens.sign(user, { client_id: 'claude-ai' });
    const res = await fetch(`${t.app.url}/api/me`, { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      user: { email: 'connector@example.com', via: 'oauth', client_id: 'claude-ai', api_key: null },
      credits: { balance: 0, held: 0, available: 0 },
    });
  });
});
