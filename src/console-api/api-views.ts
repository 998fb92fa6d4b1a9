import type { ApiKeyRecord } from '../auth/api-keys.repository.js';
import type { AuthContext } from '../auth/auth-context.js';
import type { Balance } from '../credits/credits.service.js';
import type { LedgerEntry } from '../credits/credits.repository.js';

/** JSON shapes of /api: snake_case, ISO dates and explicit nulls, like the MCP tools' structured output. */

export const balanceView = (b: Balance) => ({ balance: b.balance, held: b.held, available: b.available });

/** A ledger entry as its owner sees it (the internal `actor` is left out). */
export const ledgerEntryView = (e: LedgerEntry) => ({
  id: e.id,
  kind: e.kind,
  amount: e.amount,
  call_id: e.callId,
  reason: e.reason,
  balance_after: e.balanceAfter,
  held_after: e.heldAfter,
  created_at: e.createdAt.toISOString(),
});

/** A key without its secret (only prefix and last 4 characters exist after creation). */
export const apiKeyView = (k: ApiKeyRecord, auth: AuthContext) => ({
  id: k.id,
  name: k.name,
  prefix: k.prefix,
  last4: k.last4,
  created_at: k.createdAt.toISOString(),
  expires_at: k.expiresAt?.toISOString() ?? null,
  revoked_at: k.revokedAt?.toISOString() ?? null,
  last_used_at: k.lastUsedAt?.toISOString() ?? null,
  /** The key this request was authenticated with: revoking it signs the console out. */
  current: auth.apiKeyId === k.id,
});

export const whoView = (auth: AuthContext) => ({
  id: auth.userId,
  email: auth.email,
  via: auth.via,
  api_key: auth.apiKeyId ? { id: auth.apiKeyId, last4: auth.apiKeyLast4 ?? null } : null,
  client_id: auth.clientId ?? null,
});
