import { Injectable } from '@nestjs/common';
import { AppError } from '../common/errors/app-error.js';
import { isUuid } from '../common/uuid.js';
import { displayParts, generateApiKey, hashApiKey, looksLikeApiKey } from './api-key.js';
import { ApiKeysRepository, type ApiKeyRecord } from './api-keys.repository.js';
import type { AuthContext } from './auth-context.js';
import type pg from 'pg';

// last_used_at is informative: write it at most this often per key per process, not on every request.
const TOUCH_INTERVAL_MS = 5 * 60_000;

@Injectable()
export class ApiKeysService {
  private readonly lastTouched = new Map<string, number>();

  constructor(private readonly repo: ApiKeysRepository) {}

  /** Creates a key; the clear key is returned once and never stored. */
  async create(
    userId: string,
    options: { name?: string | null; expiresAt?: Date | null } = {},
    tx?: pg.PoolClient,
  ): Promise<{ key: string; record: ApiKeyRecord }> {
    if (options.expiresAt && options.expiresAt.getTime() <= Date.now()) {
      throw new AppError('validation', 'KEYS.INVALID_EXPIRY', 'expires: must be in the future');
    }
    const key = generateApiKey();
    const record = await this.repo.insert(
      {
        userId,
        hash: hashApiKey(key),
        ...displayParts(key),
        name: options.name ?? null,
        expiresAt: options.expiresAt ?? null,
      },
      tx,
    );
    return { key, record };
  }

  /** Resolves a presented key to its user, or throws AUTH.* (unauthenticated / forbidden for a disabled user). */
  async authenticate(presented: string): Promise<AuthContext> {
    const invalid = () =>
      new AppError(
        'unauthenticated',
        'AUTH.INVALID_API_KEY',
        'the API key is not valid (check it was copied whole)',
      );
    if (!looksLikeApiKey(presented)) throw invalid();
    const found = await this.repo.findByHash(hashApiKey(presented));
    if (!found) throw invalid();
    if (found.revokedAt)
      throw new AppError('unauthenticated', 'AUTH.API_KEY_REVOKED', 'this API key was revoked');
    if (found.expiresAt && found.expiresAt.getTime() <= Date.now()) {
      throw new AppError(
        'unauthenticated',
        'AUTH.API_KEY_EXPIRED',
        'this API key has expired; create a new one',
      );
    }
    if (found.userStatus !== 'active') {
      throw new AppError(
        'forbidden',
        'AUTH.USER_DISABLED',
        'this account is disabled; contact the administrator',
      );
    }
    this.touchSoon(found.id, found.lastUsedAt);
    return {
      userId: found.userId,
      email: found.userEmail,
      via: 'api_key',
      apiKeyId: found.id,
      apiKeyLast4: found.last4,
    };
  }

  list(userId: string): Promise<ApiKeyRecord[]> {
    return this.repo.listForUser(userId);
  }

  async revoke(keyId: string, userId?: string): Promise<ApiKeyRecord> {
    const revoked = isUuid(keyId) ? await this.repo.revoke(keyId, userId) : undefined;
    if (!revoked) throw new AppError('not_found', 'KEYS.NOT_FOUND', `key ${keyId} not found`);
    return revoked;
  }

  private touchSoon(keyId: string, lastUsedAt: Date | null): void {
    const now = Date.now();
    const last = Math.max(this.lastTouched.get(keyId) ?? 0, lastUsedAt?.getTime() ?? 0);
    if (now - last < TOUCH_INTERVAL_MS) return;
    this.lastTouched.set(keyId, now);
    void this.repo.touch(keyId).catch(() => this.lastTouched.delete(keyId));
  }
}
