import 'reflect-metadata';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Test } from '@nestjs/testing';
import type { INestApplication } from '@nestjs/common';
import { LeaseRepository } from '../../../src/common/lease/lease.repository.js';
import { ConfigModule } from '../../../src/config/config.module.js';
import { loadConfig } from '../../../src/config/load-config.js';
import { DatabaseModule } from '../../../src/database/database.module.js';
import { DatabaseService } from '../../../src/database/database.service.js';
import { HealthModule } from '../../../src/health/health.module.js';
import { ReadinessRegistry } from '../../../src/health/readiness.registry.js';
import { MetricsModule } from '../../../src/metrics/metrics.module.js';
import { MetricsService } from '../../../src/metrics/metrics.service.js';
import {
  SHEETS_DRAIN_LEASE,
  SHEETS_LOGGER,
  SheetsDrainService,
} from '../../../src/sheets/sheets-drain.service.js';
import { SheetsModule } from '../../../src/sheets/sheets.module.js';
import { createTestDatabase, type TestDatabase } from '../../support/database.js';
import { FakeSheetsServer } from '../../support/fake-sheets/fake-sheets-server.js';
import { callIdCounts, createUser, insertCalls, MemoryLogger, type TestUser } from './support/harness.js';

/** The module as the app wires it: real config parsing, global Database/Metrics/Health modules. */
async function startApp(t: TestDatabase, env: Record<string, string>): Promise<INestApplication> {
  const moduleRef = await Test.createTestingModule({
    imports: [
      ConfigModule.forRoot(loadConfig(env)),
      // Its own pool: closing the app closes it, the test database stays usable.
      DatabaseModule.forRoot(new DatabaseService(t.url, 5)),
      MetricsModule,
      HealthModule,
      SheetsModule,
    ],
  })
    .overrideProvider(SHEETS_LOGGER)
    .useValue(new MemoryLogger())
    .compile();
  const app = moduleRef.createNestApplication({ logger: false });
  await app.init();
  return app;
}

async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(20);
  }
}

describe('SheetsModule in a Nest application', () => {
  let t: TestDatabase;
  let user: TestUser;
  let fake: FakeSheetsServer;
  let keyDir: string;
  let keyFile: string;

  beforeAll(async () => {
    t = await createTestDatabase();
    user = await createUser(t.db);
    fake = await FakeSheetsServer.start();
    keyDir = await mkdtemp(path.join(os.tmpdir(), 'bmcp-sheets-key-'));
    keyFile = path.join(keyDir, 'service-account.json');
    await writeFile(keyFile, fake.serviceAccount.json, { mode: 0o600 });
  });
  afterAll(async () => {
    await fake.close();
    await rm(keyDir, { recursive: true, force: true });
    await t.drop();
  });

  const enabledEnv = () => ({
    GOOGLE_SHEETS_SPREADSHEET_ID: fake.spreadsheetId,
    GOOGLE_SERVICE_ACCOUNT_JSON: keyFile, // a path to the key file
    GOOGLE_SHEETS_API_URL: fake.url,
    SHEETS_DRAIN_INTERVAL_MS: '100',
  });

  it('is off without a spreadsheet: readiness says disabled and nothing is sent', async () => {
    const app = await startApp(t, {});
    try {
      const { checks, ready } = await app.get(ReadinessRegistry).evaluate();
      expect(checks.sheets).toEqual({ state: 'disabled', detail: 'GOOGLE_SHEETS_SPREADSHEET_ID not set' });
      expect(ready).toBe(true);
      const drain = app.get(SheetsDrainService);
      expect(drain.enabled).toBe(false);
      await insertCalls(t.db, user, 1);
      drain.nudge();
      expect(await drain.drainOnce()).toMatchObject({ skipped: 'disabled' });
      expect(fake.requests).toEqual([]);
    } finally {
      await app.close();
    }
  });

  it('drains on its own timer and on nudge(), reports ok and metrics, and releases its lease on close', async () => {
    const app = await startApp(t, enabledEnv());
    try {
      const drain = app.get(SheetsDrainService);
      const [id] = await insertCalls(t.db, user, 1);
      drain.nudge();
      await waitFor(() => callIdCounts(fake).get(id!) === 1);
      await waitFor(async () => (await app.get(ReadinessRegistry).evaluate()).checks.sheets?.state === 'ok');
      const appended = /^bmcp_sheets_rows_written_total\{operation="append"\} [1-9]\d*$/m;
      await waitFor(async () => appended.test(await app.get(MetricsService).registry.metrics()));
      const exposition = await app.get(MetricsService).registry.metrics();
      expect(exposition).toMatch(/^bmcp_sheets_pending_changes 0$/m);
      expect(exposition).toMatch(/^bmcp_sheets_oldest_pending_age_seconds 0$/m);
      expect(exposition).toMatch(/^bmcp_sheets_writes_last_minute [1-9]/m);
    } finally {
      await app.close();
    }
    expect((await new LeaseRepository(t.db).get(SHEETS_DRAIN_LEASE))?.owner).toBeNull();
  });

  it('stops promptly on shutdown even while the drain waits out a long back-off', async () => {
    const app = await startApp(t, enabledEnv());
    let closedInMs: number;
    try {
      const drain = app.get(SheetsDrainService);
      await waitFor(async () => (await drain.drainOnce()).skipped === 'idle');
      await drain.throttle.pauseFor(60_000);
      await insertCalls(t.db, user, 1);
      drain.nudge();
      await waitFor(async () => Boolean((await new LeaseRepository(t.db).get(SHEETS_DRAIN_LEASE))?.owner));
    } finally {
      const started = Date.now();
      await app.close();
      closedInMs = Date.now() - started;
    }
    expect(closedInMs).toBeLessThan(1_000);
    expect((await new LeaseRepository(t.db).get(SHEETS_DRAIN_LEASE))?.owner).toBeNull();
  });
});
