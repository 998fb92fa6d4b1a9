import type {
  ApiKey,
  Balance,
  CallDetail,
  CallPage,
  ConsoleConfig,
  LedgerEntry,
  LedgerPage,
  Me,
} from './types.js';

/** An /api error: the server's `{error:{code,message}}` with its HTTP status. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** Where the bearer token comes from (an API key, or the current Supabase access token). */
export type TokenSource = () => Promise<string>;

async function request<T>(path: string, token: TokenSource | null, init: RequestInit = {}): Promise<T> {
  const headers = new Headers(init.headers);
  headers.set('Accept', 'application/json');
  if (init.body) headers.set('Content-Type', 'application/json');
  if (token) headers.set('Authorization', `Bearer ${await token()}`);
  let res: Response;
  try {
    res = await fetch(path, { ...init, headers, credentials: 'omit', cache: 'no-store' });
  } catch {
    throw new ApiError(0, 'NETWORK', 'The server could not be reached. Check your connection and try again.');
  }
  const body = (await res.json().catch(() => null)) as { error?: { code: string; message: string } } | null;
  if (!res.ok) {
    const error = body?.error;
    throw new ApiError(res.status, error?.code ?? `HTTP.${res.status}`, error?.message ?? res.statusText);
  }
  return body as T;
}

const query = (params: Record<string, string | number | undefined | null>) => {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params))
    if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
};

export const fetchConfig = () => request<ConsoleConfig>('/api/config', null);

/** The console's API, bound to one way of authenticating. */
export function createApi(token: TokenSource) {
  return {
    me: () => request<Me>('/api/me', token),
    calls: (filter: { status?: string; phone_number?: string; cursor?: string; limit?: number }) =>
      request<CallPage>(`/api/calls${query(filter)}`, token),
    call: (id: string) =>
      request<{ call: CallDetail; ledger: LedgerEntry[] }>(`/api/calls/${encodeURIComponent(id)}`, token),
    credits: () => request<Balance & { pricing: ConsoleConfig['pricing'] }>('/api/credits', token),
    ledger: (cursor?: string) => request<LedgerPage>(`/api/credits/ledger${query({ cursor })}`, token),
    keys: () => request<{ keys: ApiKey[] }>('/api/keys', token),
    createKey: (input: { name?: string; expires_at?: string }) =>
      request<{ key: string; api_key: ApiKey }>('/api/keys', token, {
        method: 'POST',
        body: JSON.stringify(input),
      }),
    revokeKey: (id: string) =>
      request<{ api_key: ApiKey }>(`/api/keys/${encodeURIComponent(id)}`, token, { method: 'DELETE' }),
  };
}

export type Api = ReturnType<typeof createApi>;
