import type { ConsoleConfig } from '../api/types.js';

/**
 * How the console authenticates to /api: a bearer token on every request, never a cookie.
 *   - An API key pasted by the user lives in sessionStorage: this tab only, gone when it closes, never written to
 *     localStorage.
 *   - A Supabase session is kept by Supabase's auth client, also in sessionStorage (see supabase-auth.ts).
 */
export interface Session {
  kind: 'api_key' | 'supabase';
  token: () => Promise<string>;
  signOut: () => Promise<void>;
}

const API_KEY_SLOT = 'bmcp.console.api-key';
/** Where Supabase's auth client keeps this tab's session. */
export const SUPABASE_SLOT = 'bmcp.console.supabase';

/** Whether this tab may already be signed in (cheap: no network), to prefetch the right first page. */
export const hasStoredSession = () =>
  sessionStorage.getItem(API_KEY_SLOT) !== null || sessionStorage.getItem(SUPABASE_SLOT) !== null;

export function apiKeySession(key: string): Session {
  sessionStorage.setItem(API_KEY_SLOT, key);
  return {
    kind: 'api_key',
    token: () => Promise.resolve(key),
    signOut: async () => sessionStorage.removeItem(API_KEY_SLOT),
  };
}

/** The session this tab already has, if any (a remembered key, or a Supabase session incl. a magic-link return). */
export async function restoreSession(config: ConsoleConfig): Promise<Session | null> {
  const key = sessionStorage.getItem(API_KEY_SLOT);
  if (key) return apiKeySession(key);
  if (!config.supabase) return null;
  const { supabaseSession } = await import('./supabase-auth.js');
  return supabaseSession(config.supabase);
}
