import { Injectable } from '@nestjs/common';
import type pg from 'pg';
import { DatabaseService } from '../database/database.service.js';

export interface User {
  id: string;
  email: string;
  displayName: string | null;
  status: 'active' | 'disabled';
  authSubject: string | null;
  createdAt: Date;
}

const USER_COLUMNS = `id, email, display_name AS "displayName", status, auth_subject AS "authSubject",
  created_at AS "createdAt"`;

@Injectable()
export class UsersRepository {
  constructor(private readonly db: DatabaseService) {}

  async insert(
    tx: pg.PoolClient,
    user: { email: string; displayName: string | null; authSubject: string | null },
  ): Promise<User> {
    const { rows } = await tx.query<User>(
      `INSERT INTO bland_mcp.users (email, display_name, auth_subject) VALUES ($1, $2, $3) RETURNING ${USER_COLUMNS}`,
      [user.email, user.displayName, user.authSubject],
    );
    return rows[0]!;
  }

  async findById(id: string): Promise<User | undefined> {
    const { rows } = await this.db.query<User>(`SELECT ${USER_COLUMNS} FROM bland_mcp.users WHERE id = $1`, [
      id,
    ]);
    return rows[0];
  }

  async findByAuthSubject(subject: string): Promise<User | undefined> {
    const { rows } = await this.db.query<User>(
      `SELECT ${USER_COLUMNS} FROM bland_mcp.users WHERE auth_subject = $1`,
      [subject],
    );
    return rows[0];
  }

  async findByEmail(email: string): Promise<User | undefined> {
    const { rows } = await this.db.query<User>(
      `SELECT ${USER_COLUMNS} FROM bland_mcp.users WHERE email = $1`,
      [email],
    );
    return rows[0];
  }

  async list(limit: number): Promise<(User & { balance: number; held: number })[]> {
    const { rows } = await this.db.query(
      `SELECT ${USER_COLUMNS.replace(/(^|, )(\w+)/g, '$1u.$2')}, a.balance, a.held
         FROM bland_mcp.users u JOIN bland_mcp.credit_accounts a ON a.user_id = u.id
        ORDER BY u.created_at, u.id LIMIT $1`,
      [limit],
    );
    return rows.map((r) => ({ ...(r as User), balance: Number(r.balance), held: Number(r.held) }));
  }

  async count(): Promise<number> {
    const { rows } = await this.db.query<{ n: string }>('SELECT count(*) AS n FROM bland_mcp.users');
    return Number(rows[0]!.n);
  }

  async setStatus(id: string, status: User['status']): Promise<User | undefined> {
    const { rows } = await this.db.query<User>(
      `UPDATE bland_mcp.users SET status = $2 WHERE id = $1 RETURNING ${USER_COLUMNS}`,
      [id, status],
    );
    return rows[0];
  }
}
