import { createTestDatabase, type TestDatabase } from '../../support/database.js';

describe('database schema', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase();
  });
  afterAll(() => t.drop());

  it('keeps every table out of the public schema (not reachable through the Supabase Data API)', async () => {
    const { rows } = await t.db.query<{ table_schema: string; table_name: string }>(
      `SELECT table_schema, table_name FROM information_schema.tables
        WHERE table_schema NOT IN ('pg_catalog', 'information_schema')`,
    );
    expect(rows.length).toBeGreaterThan(4);
    expect(rows.filter((r) => r.table_schema !== 'bland_mcp')).toEqual([]);
  });

  it('grants nothing on the bland_mcp schema to PUBLIC (so anon/authenticated inherit nothing)', async () => {
    const { rows } = await t.db.query<{ usable: boolean }>(
      `SELECT has_schema_privilege('public', 'bland_mcp', 'USAGE') AS usable`,
    );
    expect(rows[0]!.usable).toBe(false);
  });
});
