/** Who is calling. Every service method that touches user data takes this first, so scoping is explicit. */
export interface AuthContext {
  userId: string;
  email: string;
  via: 'api_key' | 'oauth';
  /** The API key used (its id and last 4 characters), when authenticated by key. */
  apiKeyId?: string;
  apiKeyLast4?: string;
  /** The OAuth client, when authenticated by an OAuth access token. */
  clientId?: string;
}
