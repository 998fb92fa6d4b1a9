import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startEmbeddedPostgres } from '../../../src/database/embedded-postgres.js';
import { ReadinessRegistry } from '../../../src/health/readiness.registry.js';
import { startTestApp, type TestApp } from '../../support/app.js';

describe('HTTP foundation', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(() => app.stop());

  it('answers liveness, readiness and version', async () => {
    expect((await fetch(`${app.url}/health/live`)).status).toBe(200);
    const ready = await fetch(`${app.url}/health/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({
      checks: { database: { state: 'ok' }, migrations: { state: 'ok' } },
    });
    expect(await (await fetch(`${app.url}/version`)).json()).toMatchObject({
      name: 'bland-mcp',
      version: '0.1.0',
    });
  });

  it('echoes a sane incoming X-Request-Id and mints one otherwise', async () => {
    const given = await fetch(`${app.url}/version`, { headers: { 'X-Request-Id': 'req-abc.123' } });
    expect(given.headers.get('x-request-id')).toBe('req-abc.123');
    const minted = await fetch(`${app.url}/version`, { headers: { 'X-Request-Id': 'bad id\twith spaces' } });
    expect(minted.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('never logs an Authorization header or anything shaped like an API key', async () => {
    const key = 'bmcp_live_' + 'Zx9'.repeat(15);
    await fetch(`${app.url}/version?api_key=${key}`, {
      headers: { Authorization: `Bearer ${key}`, 'X-Request-Id': 'redaction-check' },
    });
    await new Promise((r) => setTimeout(r, 50));
    const line = app
      .logs()
      .split('\n')
      .find((l) => l.includes('redaction-check'));
    expect(line).toBeDefined();
    expect(line).toContain('"authorization":"[REDACTED]"');
    expect(app.logs()).not.toContain(key);
  });
});

describe('graceful shutdown', () => {
  it('finishes in-flight requests, then refuses new connections', async () => {
    const app = await startTestApp({ SHUTDOWN_GRACE_MS: '5000' });
    // A readiness check that takes 400 ms keeps a real request in flight while we shut down.
    app.app
      .get(ReadinessRegistry)
      .register('slow', () => new Promise((r) => setTimeout(() => r({ state: 'ok' }), 400)), {
        critical: true,
      });
    const inFlight = fetch(`${app.url}/health/ready`);
    await new Promise((r) => setTimeout(r, 50));
    const closing = app.stop();
    const response = await inFlight;
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: 'ready', checks: { slow: { state: 'ok' } } });
    await closing;
    await expect(fetch(`${app.url}/health/live`)).rejects.toThrow();
  });
});

describe('readiness follows the database', () => {
  it('turns 503 naming the database when Postgres goes away, and 200 when it returns', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'bmcp-ready-'));
    const pgServer = await startEmbeddedPostgres(dir, 'bland_mcp', {
      info: () => undefined,
      warn: () => undefined,
    });
    const app = await startTestApp({ DATABASE_URL: pgServer.url });
    try {
      expect((await fetch(`${app.url}/health/ready`)).status).toBe(200);
      await pgServer.stop();
      const down = await fetch(`${app.url}/health/ready`);
      expect(down.status).toBe(503);
      expect(await down.json()).toMatchObject({
        status: 'not_ready',
        failing: expect.arrayContaining(['database']),
      });
      expect((await fetch(`${app.url}/health/live`)).status).toBe(200);

      await pgServer.start();
      let status = 0;
      for (let i = 0; i < 50 && status !== 200; i++) {
        status = (await fetch(`${app.url}/health/ready`)).status;
        if (status !== 200) await new Promise((r) => setTimeout(r, 100));
      }
      expect(status).toBe(200);
    } finally {
      await app.stop();
      await pgServer.stop();
    }
  });
});
