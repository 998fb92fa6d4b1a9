/** Who is calling. Every service method that touches user data takes this first, so scoping is explicit. */
export interface AuthContext {
  userId: string;
  email: string;
  /** api_key: a bland-mcp key; oauth: a token Supabase issued to an OAuth client; session: the console's sign-in. */
  via: 'api_key' | 'oauth' | 'session';
  /** The API key used (its id and last 4 characters), when authenticated by key. */
  apiKeyId?: string;
  apiKeyLast4?: string;
  /** The OAuth client, when authenticated by an OAuth access token. */
  clientId?: string;
}
