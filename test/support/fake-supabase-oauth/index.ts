import { randomBytes, randomUUID } from 'node:crypto';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { bearer, cors, fail, json, preflight, readJson } from './http.js';
import { createTokenSigner, type TokenSigner } from './tokens.js';

/**
 * A local stand-in for the Supabase Auth endpoints the console uses, following GoTrue's handlers
 * (supabase/auth internal/api/oauthserver/authorize.go): password and magic-link sign-in, the session user, logout,
 * JWKS, and the OAuth 2.1 server's authorize redirect, authorization details and consent. Every request needs the
 * project's anon key (`apikey`), as Supabase's gateway does; answers carry CORS headers for the console's origin.
 */

interface User {
  id: string;
  email: string;
  password: string | null;
}

interface Client {
  id: string;
  name: string;
  uri?: string;
  redirectUris: string[];
}

interface Authorization {
  id: string;
  client: Client;
  redirectUri: string;
  scope: string;
  state?: string;
  userId?: string;
  status: 'pending' | 'approved' | 'denied';
  expiresAt: number;
}

export interface FakeSupabaseAuth {
  url: string;
  anonKey: string;
  /** Where the OAuth server sends users to consent: `siteUrl + authorizationPath` (set once the app listens). */
  setSiteUrl(siteUrl: string): void;
  addUser(email: string, password?: string): User;
  registerClient(name: string, options?: { uri?: string }): Client;
  /** The URL an OAuth client (claude.ai) sends the browser to; it redirects to the consent page. */
  authorizeUrl(client: Client, options?: { scope?: string; state?: string }): string;
  /** The page the fake client's redirect URI shows, and the query strings it was called with. */
  callbackUrl: string;
  callbacks: URLSearchParams[];
  authorization(id: string): Authorization | undefined;
  expire(id: string): void;
  /** The link the magic-link email would hold (after Supabase's /verify step), if one was requested. */
  magicLinkFor(email: string): string | undefined;
  tokens: TokenSigner;
  close(): Promise<void>;
}

const AUTHORIZATION_TTL_MS = 10 * 60_000;
// Reached without the anon key: browser navigations, the JWKS a resource server fetches, the fake client's page.
const PUBLIC_PATHS = new Set([
  '/auth/v1/oauth/authorize',
  '/auth/v1/.well-known/jwks.json',
  '/client/callback',
  '/favicon.ico',
]);
const random = () => randomBytes(24).toString('base64url');

export async function startFakeSupabaseAuth(
  options: { authorizationPath?: string } = {},
): Promise<FakeSupabaseAuth> {
  const authorizationPath = options.authorizationPath ?? '/console/oauth/consent';
  const anonKey = `anon-${random()}`;
  const users = new Map<string, User>();
  const sessions = new Map<string, string>(); // access token → user id
  const refreshTokens = new Map<string, string>();
  const clients = new Map<string, Client>();
  const authorizations = new Map<string, Authorization>();
  const consents = new Map<string, Set<string>>(); // `${userId}:${clientId}` → scopes
  const magicLinks = new Map<string, string>();
  const callbacks: URLSearchParams[] = [];
  let siteUrl = '';

  const userJson = (u: User) => ({
    id: u.id,
    aud: 'authenticated',
    role: 'authenticated',
    email: u.email,
    email_confirmed_at: '2026-01-01T00:00:00Z',
    app_metadata: { provider: 'email', providers: ['email'] },
    user_metadata: {},
    identities: [],
    created_at: '2026-01-01T00:00:00Z',
    updated_at: '2026-01-01T00:00:00Z',
  });

  const issueSession = async (u: User) => {
    const accessToken = await tokens.sign(u);
    const refreshToken = random();
    sessions.set(accessToken, u.id);
    refreshTokens.set(refreshToken, u.id);
    return {
      access_token: accessToken,
      token_type: 'bearer',
      expires_in: 3600,
      expires_at: Math.floor(Date.now() / 1000) + 3600,
      refresh_token: refreshToken,
      user: userJson(u),
    };
  };

  const sessionUser = (req: IncomingMessage): User | undefined => {
    const token = bearer(req);
    const id = token ? sessions.get(token) : undefined;
    return id ? users.get(id) : undefined;
  };

  const withQuery = (base: string, params: Record<string, string | undefined>) => {
    const url = new URL(base);
    for (const [k, v] of Object.entries(params)) if (v !== undefined) url.searchParams.set(k, v);
    return url.toString();
  };

  /** GoTrue's validateAndFindAuthorization + ownership check: unknown, expired and foreign ids are all 404. */
  const findAuthorization = (res: ServerResponse, id: string, user: User): Authorization | undefined => {
    const a = authorizations.get(id);
    if (!a || a.expiresAt <= Date.now() || (a.userId && a.userId !== user.id)) {
      fail(res, 404, 'oauth_authorization_not_found', 'authorization not found');
      return undefined;
    }
    if (a.status !== 'pending') {
      fail(res, 400, 'validation_failed', 'authorization request cannot be processed');
      return undefined;
    }
    return a;
  };

  const routes: Record<
    string,
    (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<void> | void
  > = {
    'GET /auth/v1/.well-known/jwks.json': (_req, res) => json(res, 200, tokens.jwks),

    'POST /auth/v1/token': async (req, res, url) => {
      const body = await readJson(req);
      const grant = url.searchParams.get('grant_type');
      if (grant === 'password') {
        const user = [...users.values()].find((u) => u.email === body.email);
        if (!user || user.password === null || user.password !== body.password) {
          return fail(res, 400, 'invalid_credentials', 'Invalid login credentials');
        }
        return json(res, 200, await issueSession(user));
      }
      if (grant === 'refresh_token') {
        const id = refreshTokens.get(String(body.refresh_token));
        if (!id)
          return fail(res, 400, 'refresh_token_not_found', 'Invalid Refresh Token: Refresh Token Not Found');
        refreshTokens.delete(String(body.refresh_token));
        return json(res, 200, await issueSession(users.get(id)!));
      }
      return fail(res, 400, 'validation_failed', 'unsupported_grant_type');
    },

    'POST /auth/v1/otp': async (req, res, url) => {
      const body = await readJson(req);
      const email = String(body.email ?? '');
      const user = [...users.values()].find((u) => u.email === email) ?? fake.addUser(email);
      const session = await issueSession(user);
      const hash = new URLSearchParams({
        access_token: session.access_token,
        expires_at: String(session.expires_at),
        expires_in: '3600',
        refresh_token: session.refresh_token,
        token_type: 'bearer',
        type: 'magiclink',
      });
      magicLinks.set(email, `${url.searchParams.get('redirect_to') ?? siteUrl}#${hash}`);
      json(res, 200, {});
    },

    'GET /auth/v1/user': (req, res) => {
      const user = sessionUser(req);
      if (!user) return fail(res, 403, 'bad_jwt', 'invalid JWT: unable to parse or verify signature');
      json(res, 200, userJson(user));
    },

    'POST /auth/v1/logout': (req, res) => {
      const token = bearer(req);
      if (token) sessions.delete(token);
      res.writeHead(204).end();
    },

    'GET /auth/v1/oauth/authorize': (_req, res, url) => {
      const client = clients.get(url.searchParams.get('client_id') ?? '');
      if (!client) return fail(res, 400, 'oauth_client_not_found', 'invalid client_id');
      const redirectUri = url.searchParams.get('redirect_uri') ?? '';
      if (!client.redirectUris.includes(redirectUri))
        return fail(res, 400, 'validation_failed', 'invalid redirect_uri');
      const id = random();
      authorizations.set(id, {
        id,
        client,
        redirectUri,
        scope: url.searchParams.get('scope') ?? 'email',
        state: url.searchParams.get('state') ?? undefined,
        status: 'pending',
        expiresAt: Date.now() + AUTHORIZATION_TTL_MS,
      });
      res.writeHead(302, { Location: `${siteUrl}${authorizationPath}?authorization_id=${id}` }).end();
    },

    'GET /favicon.ico': (_req, res) => void res.writeHead(204).end(),

    'GET /client/callback': (_req, res, url) => {
      callbacks.push(url.searchParams);
      res
        .writeHead(200, { 'Content-Type': 'text/html' })
        .end('<!doctype html><title>Client callback</title>');
    },
  };

  const authorizationRoute = /^\/auth\/v1\/oauth\/authorizations\/([^/]+)(\/consent)?$/;

  /** GET details (or an immediate redirect when the user consented before) and POST consent, as GoTrue does. */
  const handleAuthorization = async (
    req: IncomingMessage,
    res: ServerResponse,
    id: string,
    consent: boolean,
  ) => {
    if (req.headers.origin && new URL(siteUrl).origin !== req.headers.origin) {
      return fail(res, 400, 'validation_failed', 'unauthorized request origin');
    }
    const user = sessionUser(req);
    if (!user) return fail(res, 403, 'bad_jwt', 'authentication required');
    const a = findAuthorization(res, decodeURIComponent(id), user);
    if (!a) return;
    const scopes = a.scope.split(' ').filter(Boolean);
    const consentKey = `${user.id}:${a.client.id}`;
    if (!consent) {
      a.userId = user.id;
      const granted = consents.get(consentKey);
      if (granted && scopes.every((s) => granted.has(s))) {
        a.status = 'approved';
        return json(res, 200, { redirect_url: withQuery(a.redirectUri, { code: random(), state: a.state }) });
      }
      return json(res, 200, {
        authorization_id: a.id,
        redirect_uri: a.redirectUri,
        client: { id: a.client.id, name: a.client.name, uri: a.client.uri },
        user: { id: user.id, email: user.email },
        scope: a.scope,
      });
    }
    const { action } = await readJson(req);
    if (action !== 'approve' && action !== 'deny') {
      return fail(res, 400, 'validation_failed', "action must be 'approve' or 'deny'");
    }
    if (action === 'approve') {
      a.status = 'approved';
      consents.set(consentKey, new Set(scopes));
      return json(res, 200, { redirect_url: withQuery(a.redirectUri, { code: random(), state: a.state }) });
    }
    a.status = 'denied';
    json(res, 200, {
      redirect_url: withQuery(a.redirectUri, {
        error: 'access_denied',
        error_description: 'User denied the request',
        state: a.state,
      }),
    });
  };

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://fake');
    if (req.method === 'OPTIONS') return preflight(req, res);
    cors(req, res);
    if (!PUBLIC_PATHS.has(url.pathname) && req.headers.apikey !== anonKey) {
      return json(res, 401, { message: 'No API key found in request' });
    }
    const authz = authorizationRoute.exec(url.pathname);
    const handler = authz
      ? (q: IncomingMessage, s: ServerResponse) => handleAuthorization(q, s, authz[1]!, Boolean(authz[2]))
      : routes[`${req.method} ${url.pathname}`];
    if (!handler) return fail(res, 404, 'not_found', `no route ${req.method} ${url.pathname}`);
    Promise.resolve(handler(req, res, url)).catch((err: unknown) => {
      if (!res.headersSent) fail(res, 500, 'unexpected_failure', String(err));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  // The handlers above use it; no request can arrive before this line runs (nobody knows the port yet).
  const tokens = await createTokenSigner(`${url}/auth/v1`);

  const fake: FakeSupabaseAuth = {
    url,
    anonKey,
    setSiteUrl: (site) => {
      siteUrl = site.replace(/\/$/, '');
    },
    addUser: (email, password) => {
      const user = { id: randomUUID(), email, password: password ?? null };
      users.set(user.id, user);
      return user;
    },
    registerClient: (name, opts = {}) => {
      const client = { id: randomUUID(), name, uri: opts.uri, redirectUris: [`${url}/client/callback`] };
      clients.set(client.id, client);
      return client;
    },
    authorizeUrl: (client, opts = {}) =>
      withQuery(`${url}/auth/v1/oauth/authorize`, {
        client_id: client.id,
        redirect_uri: client.redirectUris[0],
        response_type: 'code',
        scope: opts.scope ?? 'openid email',
        state: opts.state,
        code_challenge: random() + random(),
        code_challenge_method: 'S256',
      }),
    callbackUrl: `${url}/client/callback`,
    callbacks,
    authorization: (id) => authorizations.get(id),
    expire: (id) => {
      const a = authorizations.get(id);
      if (a) a.expiresAt = Date.now() - 1;
    },
    magicLinkFor: (email) => magicLinks.get(email),
    tokens,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  return fake;
}
