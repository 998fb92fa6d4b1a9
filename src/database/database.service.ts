import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import pg from 'pg';

/** Anything that runs a parameterised query: the service itself or a transaction's client. */
export interface Queryable {
  query<R extends pg.QueryResultRow = pg.QueryResultRow>(
    text: string,
    params?: unknown[],
  ): Promise<pg.QueryResult<R>>;
}

/**
 * The one Postgres pool. Repositories call `query` for single statements and `transaction` for multi-statement
 * units of work. No session-level state is ever set (no SET, no session advisory locks, no named prepared
 * statements), so Supabase's transaction pooler works: every table is schema-qualified (bland_mcp.*) instead.
 */
@Injectable()
export class DatabaseService implements OnApplicationShutdown, Queryable {
  private readonly logger = new Logger(DatabaseService.name);
  readonly pool: pg.Pool;
  private closed = false;

  constructor(
    readonly url: string,
    poolMax: number,
    private readonly onClose?: () => Promise<void>,
  ) {
    this.pool = new pg.Pool({
      connectionString: url,
      max: poolMax,
      connectionTimeoutMillis: 5_000,
      idleTimeoutMillis: 30_000,
      // A query stuck behind a lock must not hold an HTTP request forever.
      statement_timeout: 30_000,
    });
    // An idle client losing its connection (DB restart) must not crash the process; the pool replaces it.
    this.pool.on('error', (err) => {
      if (!this.closed) this.logger.warn(`idle database connection lost: ${err.message}`);
    });
  }

  query<R extends pg.QueryResultRow = pg.QueryResultRow>(text: string, params: unknown[] = []) {
    return this.pool.query<R>(text, params);
  }

  /** Runs `work` inside BEGIN/COMMIT on one connection; rolls back on any error. */
  async transaction<T>(work: (tx: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
  }

  async ping(timeoutMs = 2_000): Promise<void> {
    const client = await Promise.race([
      this.pool.connect(),
      new Promise<never>((_, reject) =>
        setTimeout(() => reject(new Error(`no connection within ${timeoutMs} ms`)), timeoutMs).unref(),
      ),
    ]);
    try {
      await client.query('SELECT 1');
    } finally {
      client.release();
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.pool.end();
    await this.onClose?.();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.close();
  }
}
