import { Injectable } from '@nestjs/common';
import type pg from 'pg';
import { DatabaseService, type Queryable } from '../database/database.service.js';

export interface ApiKeyRecord {
  id: string;
  userId: string;
  prefix: string;
  last4: string;
  name: string | null;
  createdAt: Date;
  expiresAt: Date | null;
  revokedAt: Date | null;
  lastUsedAt: Date | null;
}

export interface ApiKeyLookup extends ApiKeyRecord {
  userStatus: 'active' | 'disabled';
  userEmail: string;
}

const KEY_COLUMNS = `k.id, k.user_id AS "userId", k.prefix, k.last4, k.name, k.created_at AS "createdAt",
  k.expires_at AS "expiresAt", k.revoked_at AS "revokedAt", k.last_used_at AS "lastUsedAt"`;

@Injectable()
export class ApiKeysRepository {
  constructor(private readonly db: DatabaseService) {}

  async insert(
    key: {
      userId: string;
      hash: Buffer;
      prefix: string;
      last4: string;
      name: string | null;
      expiresAt: Date | null;
    },
    tx?: pg.PoolClient,
  ): Promise<ApiKeyRecord> {
    const { rows } = await ((tx ?? this.db) as Queryable).query(
      `INSERT INTO bland_mcp.api_keys AS k (user_id, key_hash, prefix, last4, name, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6) RETURNING ${KEY_COLUMNS}`,
      [key.userId, key.hash, key.prefix, key.last4, key.name, key.expiresAt],
    );
    return rows[0] as ApiKeyRecord;
  }

  /** One indexed lookup by hash, joined with the owner's status (a disabled user's keys stop at once). */
  async findByHash(hash: Buffer): Promise<ApiKeyLookup | undefined> {
    const { rows } = await this.db.query(
      `SELECT ${KEY_COLUMNS}, u.status AS "userStatus", u.email AS "userEmail"
         FROM bland_mcp.api_keys k JOIN bland_mcp.users u ON u.id = k.user_id WHERE k.key_hash = $1`,
      [hash],
    );
    return rows[0] as ApiKeyLookup | undefined;
  }

  async listForUser(userId: string): Promise<ApiKeyRecord[]> {
    const { rows } = await this.db.query(
      `SELECT ${KEY_COLUMNS} FROM bland_mcp.api_keys k WHERE k.user_id = $1 ORDER BY k.created_at DESC`,
      [userId],
    );
    return rows as ApiKeyRecord[];
  }

  /** Revokes a key; with `userId`, only that user's key (console), without it any key (admin). */
  async revoke(keyId: string, userId?: string): Promise<ApiKeyRecord | undefined> {
    const { rows } = await this.db.query(
      `UPDATE bland_mcp.api_keys k SET revoked_at = COALESCE(revoked_at, now())
        WHERE id = $1 AND ($2::uuid IS NULL OR user_id = $2) RETURNING ${KEY_COLUMNS}`,
      [keyId, userId ?? null],
    );
    return rows[0] as ApiKeyRecord | undefined;
  }

  async touch(keyId: string): Promise<void> {
    await this.db.query('UPDATE bland_mcp.api_keys SET last_used_at = now() WHERE id = $1', [keyId]);
  }
}
