import { AuthClient, type GoTrueClient } from '@supabase/auth-js';
import { ApiError } from '../api/client.js';
import type { ConsoleConfig } from '../api/types.js';
import { SUPABASE_SLOT, type Session } from './session.js';

type SupabaseSettings = NonNullable<ConsoleConfig['supabase']>;

let client: GoTrueClient | undefined;

/**
 * Supabase Auth's browser client (@supabase/auth-js: the `auth` part of supabase-js, configured the way supabase-js
 * configures it, at 25 KB gzip instead of 59 KB), in its own chunk, loaded only when the server has a Supabase
 * project. Sessions live in sessionStorage; the implicit flow lets a magic link opened in a new tab sign that tab
 * in (PKCE would need the code verifier from the tab that asked for the link).
 */
export function supabaseAuth(settings: SupabaseSettings): GoTrueClient {
  client ??= new AuthClient({
    url: `${settings.url}/auth/v1`,
    headers: { apikey: settings.anon_key, Authorization: `Bearer ${settings.anon_key}` },
    storage: window.sessionStorage,
    storageKey: SUPABASE_SLOT,
    flowType: 'implicit',
    persistSession: true,
    autoRefreshToken: true,
    detectSessionInUrl: true,
  });
  return client;
}

/** The signed-in Supabase session as a console Session, or null. */
export async function supabaseSession(settings: SupabaseSettings): Promise<Session | null> {
  const auth = supabaseAuth(settings);
  const { data } = await auth.getSession();
  if (!data.session) return null;
  return {
    kind: 'supabase',
    // getSession refreshes an expired access token first, so every request carries a live one.
    token: async () => {
      const { data: current } = await auth.getSession();
      if (!current.session) throw new ApiError(401, 'AUTH.SIGNED_OUT', 'your Supabase session ended.');
      return current.session.access_token;
    },
    signOut: async () => {
      await auth.signOut({ scope: 'local' });
    },
  };
}
