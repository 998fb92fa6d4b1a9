import { generateKeyPair } from 'jose';
import { startCallsApp, type CallsTestApp } from '../../support/calls-app.js';
import { startFakeSupabase } from '../../support/fake-supabase-jwks.js';
import { connectMcp, textOf } from '../../support/mcp-client.js';
import { UsersService } from '../../../src/users/users.service.js';

const LEGACY_HEADERS = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
const initialize = (version: string) => ({
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: version, capabilities: {}, clientInfo: { name: 'raw', version: '1' } },
});

/** Reads a JSON-RPC answer whether the server replied as JSON or as one SSE message. */
async function rpcBody(
  res: Response,
): Promise<{ result?: Record<string, unknown>; error?: { code: number; message: string } }> {
  const text = await res.text();
  const data = text.startsWith('{') ? text : /^data: (.*)$/m.exec(text)?.[1];
  return JSON.parse(data ?? 'null');
}

describe('the /mcp HTTP edge', () => {
  let t: CallsTestApp;
  let key: string;
  beforeAll(async () => {
    t = await startCallsApp({ PUBLIC_URL: 'https://mcp.example.test', MAX_BODY_BYTES: '65536' });
    key = (await t.newUser(500)).apiKey;
  });
  afterAll(() => t.app.stop());
  const post = (body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${t.app.url}/mcp`, {
      method: 'POST',
      headers: { ...LEGACY_HEADERS, authorization: `Bearer ${key}`, ...headers },
      body: JSON.stringify(body),
    });

  it('401 without a token, with the resource-metadata challenge, and serves that metadata (RFC 9728)', async () => {
    const res = await fetch(`${t.app.url}/mcp`, {
      method: 'POST',
      headers: LEGACY_HEADERS,
      body: JSON.stringify(initialize('2025-11-25')),
    });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe(
      'Bearer resource_metadata="https://mcp.example.test/.well-known/oauth-protected-resource/mcp"',
    );
    const bad = await post(initialize('2025-11-25'), { authorization: 'Bearer bmcp_live_' + 'A'.repeat(43) });
    expect(bad.status).toBe(401);
    expect(bad.headers.get('www-authenticate')).toMatch(/error="invalid_token"/);
    for (const path of [
      '/.well-known/oauth-protected-resource/mcp',
      '/.well-known/oauth-protected-resource',
    ]) {
      const prm = await fetch(`${t.app.url}${path}`);
      expect(prm.status).toBe(200);
      expect(await prm.json()).toMatchObject({
        resource: 'https://mcp.example.test/mcp',
        bearer_methods_supported: ['header'],
      });
    }
  });

  it('403 for a browser Origin that is not allowed; allowed origins and no Origin pass', async () => {
    expect((await post(initialize('2025-11-25'), { origin: 'https://evil.example' })).status).toBe(403);
    expect((await post(initialize('2025-11-25'), { origin: 'https://mcp.example.test' })).status).toBe(200);
    expect((await post(initialize('2025-11-25'), { origin: 'http://localhost:6274' })).status).toBe(200);
    expect((await post(initialize('2025-11-25'))).status).toBe(200);
  });

  it('405 for GET and DELETE, and never an Mcp-Session-Id', async () => {
    for (const method of ['GET', 'DELETE']) {
      const res = await fetch(`${t.app.url}/mcp`, { method, headers: { authorization: `Bearer ${key}` } });
      expect(res.status).toBe(405);
      expect(res.headers.get('allow')).toBe('POST');
    }
    for (const version of ['2025-11-25', '2025-06-18', '2025-03-26']) {
      const res = await post(initialize(version));
      expect(res.status).toBe(200);
      expect(res.headers.get('mcp-session-id')).toBeNull();
      const body = await rpcBody(res);
      expect(body.result).toMatchObject({ protocolVersion: version, serverInfo: { name: 'bland-mcp' } });
      // A 2025 client's next request needs no session: it is served statelessly.
      const list = await post(
        { jsonrpc: '2.0', id: 2, method: 'tools/list', params: {} },
        { 'mcp-protocol-version': version },
      );
      expect(list.headers.get('mcp-session-id')).toBeNull();
      expect(((await rpcBody(list)).result!.tools as unknown[]).length).toBe(8);
    }
  });

  it('413 for a body over MAX_BODY_BYTES, and a JSON-RPC parse error for malformed JSON', async () => {
    const res = await post({ ...initialize('2025-11-25'), padding: 'x'.repeat(70_000) });
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({ jsonrpc: '2.0', error: { code: -32600 }, id: null });
    const bad = await fetch(`${t.app.url}/mcp`, {
      method: 'POST',
      headers: { ...LEGACY_HEADERS, authorization: `Bearer ${key}` },
      body: '{"jsonrpc": "2.0", "id": 1, "method": ',
    });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({
      jsonrpc: '2.0',
      error: { code: -32700, message: 'request body is not valid JSON' },
      id: null,
    });
  });

  it('keeps two users apart when their requests run in parallel (no shared server instance)', async () => {
    const users = await Promise.all([t.newUser(111), t.newUser(222)]);
    const clients = await Promise.all(users.map((u) => connectMcp(t.app.url, u.apiKey, 'modern')));
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        clients[i % 2]!.callTool({ name: 'get_credit_balance', arguments: {} }).then(
          (r) => [i % 2, r] as const,
        ),
      ),
    );
    for (const [who, result] of results)
      expect((result.structuredContent as { balance: number }).balance).toBe(who === 0 ? 111 : 222);
    await Promise.all(clients.map((c) => c.close()));
  });

  it('refuses a disabled user with 403', async () => {
    const u = await t.newUser(10);
    await t.app.app.get(UsersService).disable(u.userId);
    expect((await post(initialize('2025-11-25'), { authorization: `Bearer ${u.apiKey}` })).status).toBe(403);
  });
});

describe('per-IP rate limit and trusted proxy hops', () => {
  it('429 with Retry-After past RATE_LIMIT_PER_MINUTE; spoofed X-Forwarded-For entries beyond the trusted hop are ignored', async () => {
    const t = await startCallsApp({ RATE_LIMIT_PER_MINUTE: '5', TRUST_PROXY_HOPS: '1' });
    try {
      const { apiKey } = await t.newUser(10);
      const send = (xff: string) =>
        fetch(`${t.app.url}/mcp`, {
          method: 'GET',
          headers: { authorization: `Bearer ${apiKey}`, 'x-forwarded-for': xff },
        });
      // The trusted proxy appends the real client (203.0.113.7); the client controls everything left of it.
      for (let i = 0; i < 5; i++) expect((await send(`10.0.0.${i}, 203.0.113.7`)).status).toBe(405);
      const limited = await send('10.9.9.9, 203.0.113.7');
      expect(limited.status).toBe(429);
      expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
      expect((await send('203.0.113.8')).status).toBe(405); // another real client has its own budget
    } finally {
      await t.app.stop();
    }
  });

  it('with no trusted proxies, X-Forwarded-For is ignored entirely', async () => {
    const t = await startCallsApp({ RATE_LIMIT_PER_MINUTE: '3', TRUST_PROXY_HOPS: '0' });
    try {
      const send = (xff: string) =>
        fetch(`${t.app.url}/mcp`, { method: 'GET', headers: { 'x-forwarded-for': xff } });
      for (let i = 0; i < 3; i++) expect((await send(`198.51.100.${i}`)).status).toBe(405);
      expect((await send('198.51.100.99')).status).toBe(429);
    } finally {
      await t.app.stop();
    }
  });
});

describe('OAuth access tokens from Supabase Auth (local JWKS)', () => {
  let t: CallsTestApp;
  let supabase: Awaited<ReturnType<typeof startFakeSupabase>>;
  beforeAll(async () => {
    supabase = await startFakeSupabase();
    t = await startCallsApp({ SUPABASE_URL: supabase.url, PUBLIC_URL: 'https://mcp.example.test' });
  });
  afterAll(async () => {
    await t.app.stop();
    await supabase.close();
  });

  it('accepts a valid token, creating the user on first login with zero credits', async () => {
    const token = await supabase.sign({
      sub: '11111111-2222-4333-8444-555555555555',
      email: 'Grace@Example.com',
    });
    const client = await connectMcp(t.app.url, token, 'modern');
    const balance = await client.callTool({ name: 'get_credit_balance', arguments: {} });
    expect(balance.structuredContent).toMatchObject({ balance: 0, held: 0, available: 0 });
    const placed = await client.callTool({
      name: 'place_call',
      arguments: { phone_number: '+14155550123', task: 'hello there' },
    });
    expect(placed.isError).toBe(true);
    expect(textOf(placed)).toMatch(/CREDITS.INSUFFICIENT/);
    await client.close();
    const prm = await (await fetch(`${t.app.url}/.well-known/oauth-protected-resource/mcp`)).json();
    expect(prm.authorization_servers).toEqual([`${supabase.url}/auth/v1`]);
  });

  it.each([
    ['expired', () => supabase.sign({}, { expiresIn: '-5m' }), /expired/],
    ['without client_id', () => supabase.sign({ client_id: undefined }), /client_id/],
    ['from another issuer', () => supabase.sign({ iss: 'https://evil.example/auth/v1' }), /not valid/],
    ['for another audience', () => supabase.sign({ aud: 'someone-else' }), /not valid/],
    [
      'signed by another key',
      async () => supabase.sign({}, { key: (await generateKeyPair('RS256')).privateKey }),
      /not valid/,
    ],
  ])('refuses a token %s with 401 invalid_token', async (_label, make, message) => {
    const res = await fetch(`${t.app.url}/mcp`, {
      method: 'POST',
      headers: { ...LEGACY_HEADERS, authorization: `Bearer ${await make()}` },
      body: JSON.stringify(initialize('2025-11-25')),
    });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(/error="invalid_token", error_description=".*"/);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(message);
  });
});
