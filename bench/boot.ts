/**
 * Boot time to ready and idle memory: the built server (dist/main.js) started with (a) a fresh embedded database
 * (first start: initdb + migrations + demo user), (b) the same embedded database again, (c) an external database
 * (DATABASE_URL, else a separate embedded server standing in for it). Run: npm run bench:boot
 */
import { spawn } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../src/database/embedded-postgres.js';
import { benchDatabase } from './lib/database.js';
import { rssMiB } from './lib/load.js';

async function bootOnce(label: string, env: Record<string, string>) {
  const port = await freePort();
  const started = performance.now();
  const child = spawn(process.execPath, ['dist/main.js'], {
    env: { PATH: process.env.PATH, PORT: String(port), LOG_LEVEL: 'warn', POLLER_MODE: 'off', ...env },
    stdio: 'ignore',
  });
  let readyMs = NaN;
  for (let i = 0; i < 600; i++) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/health/ready`)).ok) {
        readyMs = performance.now() - started;
        break;
      }
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  await new Promise((r) => setTimeout(r, 5_000)); // settle, then read idle RSS
  const rss = await rssMiB(child.pid!);
  child.kill('SIGTERM');
  await new Promise((r) => child.once('exit', r));
  console.log(`| ${label} | ${readyMs.toFixed(0)} | ${rss.toFixed(0)} |`);
}

const dataDir = await mkdtemp(path.join(os.tmpdir(), 'bmcp-boot-'));
const external = await benchDatabase('boot');
console.log('| start | ms to /health/ready = 200 | idle RSS MiB (5 s after ready) |');
console.log('| --- | ---: | ---: |');
await bootOnce('embedded, first start (initdb, migrations, demo user)', { DATA_DIR: dataDir });
await bootOnce('embedded, later start', { DATA_DIR: dataDir });
await bootOnce('external DATABASE_URL (migrated)', { DATABASE_URL: external.url });
await external.drop();
