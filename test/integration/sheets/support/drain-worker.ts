/**
 * A separate process running the Sheets drain, for the "two workers never drain at once" test. Bundled with
 * esbuild and started with `node`; configuration comes as JSON in SHEETS_WORKER_CONFIG. Prints { ready } once
 * started, then one JSON line per drain that held the lease: { worker, startedAt, finishedAt, appended, updated },
 * and stops when its stdin is closed.
 */
import 'reflect-metadata';
import { setTimeout as sleep } from 'node:timers/promises';
import { LeaseRepository } from '../../../../src/common/lease/lease.repository.js';
import { DatabaseService } from '../../../../src/database/database.service.js';
import { MetricsService } from '../../../../src/metrics/metrics.service.js';
import { SheetsDrainService } from '../../../../src/sheets/sheets-drain.service.js';
import type { SheetsSettings } from '../../../../src/sheets/sheets.settings.js';

interface WorkerConfig {
  worker: string;
  databaseUrl: string;
  settings: SheetsSettings;
}

const config = JSON.parse(process.env.SHEETS_WORKER_CONFIG ?? '{}') as WorkerConfig;
const db = new DatabaseService(config.databaseUrl, 4);
const quiet = {
  log: () => undefined,
  warn: () => undefined,
  error: (m: unknown) => console.error(String(m)),
};
const drain = new SheetsDrainService(
  db,
  new LeaseRepository(db),
  new MetricsService(),
  config.settings,
  quiet,
);

// Runs until the parent closes our stdin.
let stopRequested = false;
process.stdin.on('end', () => (stopRequested = true)).resume();
process.stdout.write(`${JSON.stringify({ ready: config.worker })}\n`);
while (!stopRequested) {
  const summary = await drain.drainOnce();
  if (!summary.skipped) {
    const { startedAt, finishedAt, appended, updated } = summary;
    process.stdout.write(
      `${JSON.stringify({ worker: config.worker, startedAt, finishedAt, appended, updated })}\n`,
    );
  }
  await sleep(1 + Math.random() * 4);
}
await drain.stop();
await db.close();
