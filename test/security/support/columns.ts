import { generateApiKey } from '../../../src/auth/api-key.js';
import type { Tenant, World } from './world.js';

/** Who asks, and whose data the request names. */
export type Column =
  | 'own data (API key)'
  | 'own data (OAuth token)'
  | "another user's data"
  | 'no credentials'
  | 'malformed token'
  | 'unknown API key'
  | 'revoked API key'
  | 'disabled user (API key)'
  | 'disabled user (OAuth token)'
  | 'expired OAuth token';

export type Outcome = 'own' | 'other user' | 'unauthenticated' | 'forbidden';

export interface Cell {
  column: Column;
  /** The Authorization header sent (undefined: none). */
  authorization: string | undefined;
  /** The tenant whose ids the request carries. */
  target: Tenant;
  /** The tenant making the request (whose data an "own" answer must show). */
  caller: Tenant;
  expected: Outcome;
}

/** Every column of the matrix for a world: the credential, the data aimed at, and the expected outcome. */
export function columns(w: World): Cell[] {
  const bearer = (token: string) => `Bearer ${token}`;
  const refused = (column: Column, authorization: string | undefined, expected: Outcome): Cell => ({
    column,
    authorization,
    target: w.owner,
    caller: w.owner,
    expected,
  });
  return [
    {
      column: 'own data (API key)',
      authorization: bearer(w.owner.token),
      target: w.owner,
      caller: w.owner,
      expected: 'own',
    },
    {
      column: 'own data (OAuth token)',
      authorization: bearer(w.oauthOwner.token),
      target: w.oauthOwner,
      caller: w.oauthOwner,
      expected: 'own',
    },
    {
      column: "another user's data",
      authorization: bearer(w.owner.token),
      target: w.victim,
      caller: w.owner,
      expected: 'other user',
    },
    refused('no credentials', undefined, 'unauthenticated'),
    refused('malformed token', 'Bearer bmcp_live_0123', 'unauthenticated'),
    refused('unknown API key', bearer(generateApiKey()), 'unauthenticated'),
    refused('revoked API key', bearer(w.revokedKey), 'unauthenticated'),
    refused('disabled user (API key)', bearer(w.disabledUserKey), 'forbidden'),
    refused('disabled user (OAuth token)', bearer(w.disabledOAuthToken), 'forbidden'),
    refused('expired OAuth token', bearer(w.expiredOAuthToken), 'unauthenticated'),
  ];
}

/** The victim's data found in an answer (ids the request itself named, and so may be echoed, excepted). */
export function leakedFrom(victim: Tenant, answer: string, request: string): string[] {
  return [victim.callId, victim.marker, victim.auth.email, victim.spareKeyId].filter(
    (v) => answer.includes(v) && !request.includes(v),
  );
}
