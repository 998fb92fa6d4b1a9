import { PassThrough } from 'node:stream';
import { startApp, type RunningApp } from '../../src/bootstrap.js';
import { loadConfig } from '../../src/config/load-config.js';
import { createTestDatabase, type TestDatabase } from './database.js';

export interface TestApp extends RunningApp {
  testDb?: TestDatabase;
  /** Every log line the app wrote, as text. */
  logs(): string;
  stop(): Promise<void>;
}

/**
 * Starts the real application (all modules, real HTTP on a free loopback port) against its own fresh database.
 * `env` overrides are applied on top of a minimal test environment and go through the real config schema.
 */
export async function startTestApp(env: Record<string, string> = {}): Promise<TestApp> {
  const testDb = env.DATABASE_URL ? undefined : await createTestDatabase();
  const config = loadConfig({
    NODE_ENV: 'test',
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'info',
    DATABASE_URL: testDb?.url,
    MIGRATE_ON_BOOT: 'true',
    ...env,
  });
  const sink = new PassThrough();
  const chunks: string[] = [];
  sink.on('data', (c: Buffer) => chunks.push(c.toString()));
  const running = await startApp(config, { logDestination: sink });
  return {
    ...running,
    testDb,
    logs: () => chunks.join(''),
    stop: async () => {
      await running.close();
      await testDb?.drop();
    },
  };
}
