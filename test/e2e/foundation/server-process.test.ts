import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createTestDatabase, type TestDatabase } from '../../support/database.js';
import { killSpawned, spawnNode } from '../../support/process.js';

describe('the server process (dist/main.js)', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase();
  });
  afterAll(async () => {
    killSpawned();
    await t.drop();
  });

  it('exits non-zero before listening when the configuration is bad, naming every bad variable', async () => {
    const run = spawnNode('dist/main.js', { PORT: '-1', LOG_LEVEL: 'chatty', DATABASE_URL: 'nope:secret' });
    const code = await run.exited;
    expect(code).toBe(78);
    expect(run.stderr()).toMatch(/PORT: /);
    expect(run.stderr()).toMatch(/LOG_LEVEL: /);
    expect(run.stderr()).toMatch(/DATABASE_URL: /);
    expect(run.stderr()).not.toContain('nope:secret');
    expect(run.stdout()).not.toMatch(/listening/);
  });

  it('serves health, then drains and exits 0 on SIGTERM', async () => {
    const run = spawnNode('dist/main.js', { PORT: '0', DATABASE_URL: t.url, LOG_LEVEL: 'info' });
    const [, url] = (await run.waitFor(/listening on (http:\/\/[\d.:]+)/)) as unknown as [string, string];
    const ready = await fetch(`${url}/health/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'ready', failing: [] });
    const version = (await (await fetch(`${url}/version`)).json()) as Record<string, string>;
    expect(version).toMatchObject({ name: 'bland-mcp', nodeVersion: process.version });
    expect(version.gitSha).toMatch(/^([0-9a-f]{40}|unknown)$/);

    run.child.kill('SIGTERM');
    expect(await run.exited).toBe(0);
    expect(run.stdout()).toMatch(/shutdown complete/);
  });

  it('with no configuration at all: embedded Postgres, ready, and a demo user whose key is printed once', async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'bmcp-first-start-'));
    const first = spawnNode('dist/main.js', { PORT: '0', DATA_DIR: dataDir });
    const [, url] = (await first.waitFor(/listening on (http:\/\/[\d.:]+)/, 60_000)) as unknown as [
      string,
      string,
    ];
    const [, key] = (await first.waitFor(/API key \(shown only now\):\s+(bmcp_live_\w+)/)) as unknown as [
      string,
      string,
    ];
    expect((await fetch(`${url}/health/ready`)).status).toBe(200);
    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);
    expect(first.stdout().split(key).length - 1).toBe(1); // printed once, never logged

    const second = spawnNode('dist/main.js', { PORT: '0', DATA_DIR: dataDir });
    await second.waitFor(/listening on/, 60_000);
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
    expect(second.stdout()).not.toMatch(/bmcp_live_/);
  }, 120_000);
});
