import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { build } from 'esbuild';
import { createTestDatabase, type TestDatabase } from '../../support/database.js';
import { FakeSheetsServer } from '../../support/fake-sheets/fake-sheets-server.js';
import {
  callIdCounts,
  createUser,
  insertCalls,
  outboxSize,
  setStatus,
  testSettings,
} from './support/harness.js';

interface DrainInterval {
  worker: string;
  startedAt: number;
  finishedAt: number;
}

const root = path.resolve(import.meta.dirname, '../../..');

/** The worker script bundled for plain `node` (dependencies stay external, resolved from node_modules). */
async function bundleWorker(): Promise<string> {
  const outfile = path.join(
    root,
    `node_modules/.cache/bland-mcp/sheets-drain-worker-${randomBytes(4).toString('hex')}.mjs`,
  );
  await build({
    entryPoints: [path.join(root, 'test/integration/sheets/support/drain-worker.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node22',
    packages: 'external',
    logLevel: 'error',
  });
  return outfile;
}

interface Worker {
  ready: Promise<void>;
  /** Asks the worker to finish its current drain and exit. */
  stop(): void;
  /** Its lease-held drains, once it has exited. */
  done: Promise<DrainInterval[]>;
}

function runWorker(script: string, config: object): Worker {
  let onReady!: () => void;
  const ready = new Promise<void>((resolve) => (onReady = resolve));
  const child = spawn(process.execPath, [script], {
    env: { ...process.env, SHEETS_WORKER_CONFIG: JSON.stringify(config) },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const done = new Promise<DrainInterval[]>((resolve, reject) => {
    const intervals: DrainInterval[] = [];
    let pending = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => {
      const lines = (pending + d.toString()).split('\n');
      pending = lines.pop()!;
      for (const line of lines.filter(Boolean)) {
        const message = JSON.parse(line) as DrainInterval | { ready: string };
        if ('ready' in message) onReady();
        else intervals.push(message);
      }
    });
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve(intervals) : reject(new Error(`worker exited ${code}: ${err}`)),
    );
  });
  return { ready, stop: () => child.stdin.end(), done };
}

describe('Sheets drain in two processes', () => {
  let t: TestDatabase;
  let fake: FakeSheetsServer;
  let script: string;
  beforeAll(async () => {
    [t, fake, script] = await Promise.all([createTestDatabase(), FakeSheetsServer.start(), bundleWorker()]);
  });
  afterAll(async () => {
    await Promise.all([fake.close(), t.drop(), rm(script, { force: true })]);
  });

  it('never drains concurrently: lease-held drains never overlap, and every request falls inside one', async () => {
    const user = await createUser(t.db);
    // Slow requests keep each drain busy for a while; a change every 50 ms makes the lease change hands often.
    fake.setFaults({ latencyMs: 15 });
    const settings = testSettings(fake, { drain: { batchSize: 50 } });
    const workers = ['a', 'b'].map((worker) => runWorker(script, { worker, databaseUrl: t.url, settings }));
    const ids: string[] = [];
    try {
      await Promise.all(workers.map((w) => w.ready));
      for (let round = 0; round < 40; round++) {
        ids.push(...(await insertCalls(t.db, user, 5)));
        await setStatus(t.db, ids.slice(-10), round % 2 ? 'ringing' : 'in_progress');
        await sleep(50);
      }
      // The workers sync what is left, then stop.
      for (let waited = 0; (await outboxSize(t.db)).pending > 0; waited += 50) {
        if (waited > 10_000) throw new Error('the workers did not drain the outbox');
        await sleep(50);
      }
    } finally {
      for (const worker of workers) worker.stop();
    }
    const intervals = (await Promise.all(workers.map((w) => w.done)))
      .flat()
      .sort((x, y) => x.startedAt - y.startedAt);

    // Both workers drained, many times over: the lease really was contended.
    expect(intervals.filter((i) => i.worker === 'a').length).toBeGreaterThan(3);
    expect(intervals.filter((i) => i.worker === 'b').length).toBeGreaterThan(3);
    for (let i = 1; i < intervals.length; i++) {
      // Sorted by start, so no overlap means each starts after the previous one finished.
      expect(intervals[i]!.startedAt).toBeGreaterThanOrEqual(intervals[i - 1]!.finishedAt);
    }
    const api = fake.requests.filter((r) => r.kind !== 'token');
    const owner = (at: number) => intervals.find((i) => at >= i.startedAt && at <= i.finishedAt + 1)?.worker;
    expect(api.filter((r) => owner(r.at) === undefined)).toEqual([]);
    // Each worker has its own token; a token's requests all fall inside that one worker's drains.
    const workersByToken = new Map<string, Set<string>>();
    for (const r of api)
      workersByToken.set(r.token!, (workersByToken.get(r.token!) ?? new Set()).add(owner(r.at)!));
    expect([...workersByToken.values()].map((w) => w.size)).toEqual([1, 1]);

    expect(await outboxSize(t.db)).toEqual({ pending: 0, parked: 0 });
    const counts = callIdCounts(fake);
    expect(counts.size).toBe(ids.length);
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
  }, 20_000);
});
