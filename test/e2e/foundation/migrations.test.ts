import pg from 'pg';
import { readMigrations } from '../../../src/database/migrator.js';
import { createTestDatabase, type TestDatabase } from '../../support/database.js';
import { killSpawned, spawnNode } from '../../support/process.js';

describe('npm run db:migrate (dist/database/migrate.cli.js)', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase({ migrated: false });
  });
  afterAll(async () => {
    killSpawned();
    await t.drop();
  });

  it('is safe when two processes migrate an empty database at once, and idempotent afterwards', async () => {
    const files = await readMigrations();
    const [a, b] = [
      spawnNode('dist/database/migrate.cli.js', { DATABASE_URL: t.url }),
      spawnNode('dist/database/migrate.cli.js', { DATABASE_URL: t.url }),
    ];
    expect(await a.exited).toBe(0);
    expect(await b.exited).toBe(0);
    const applied = [a, b].map((p) => Number(/(\d+) migration\(s\) applied;/.exec(p.stderr())?.[1]));
    expect(applied.reduce((x, y) => x + y, 0)).toBe(files.length); // each migration applied exactly once

    const client = new pg.Client({ connectionString: t.url });
    await client.connect();
    const { rows } = await client.query('SELECT version FROM bland_mcp.schema_migrations ORDER BY version');
    await client.end();
    expect(rows.map((r: { version: string }) => r.version)).toEqual(files.map((f) => f.version));

    const again = spawnNode('dist/database/migrate.cli.js', { DATABASE_URL: t.url });
    expect(await again.exited).toBe(0);
    expect(again.stderr()).toMatch(/^0 migration\(s\) applied; \d+ applied in total, 0 pending/m);
  });
});
