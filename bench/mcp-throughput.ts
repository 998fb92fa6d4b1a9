/**
 * MCP throughput: `tools/call get_credit_balance` (2026-07-28 era, as the official client sends it) at several
 * connection counts against bland-mcp (the built server) and, in the same run, the bare official-SDK stateless
 * server doing the same Postgres work (bench/bare-sdk-server.mjs). Both run as separate processes on loopback.
 * Run: npm run bench:mcp   (env: CONNECTIONS=1,16,64 SECONDS=10 WARMUP_SECONDS=8)
 */
import { freePort } from '../src/database/embedded-postgres.js';
import { DatabaseService } from '../src/database/database.service.js';
import { accountServices } from '../test/support/services.js';
import { benchDatabase } from './lib/database.js';
import { load, rssMiB, type LoadResult } from './lib/load.js';
import { recordToolCall, start, waitForPort } from './lib/server.js';

const CONNECTIONS = (process.env.CONNECTIONS ?? '1,16,64').split(',').map(Number);
const SECONDS = Number(process.env.SECONDS ?? 10);
const WARMUP = Number(process.env.WARMUP_SECONDS ?? 8);
const TOOL = process.env.TOOL ?? 'get_credit_balance';
// place_call: scheduled far ahead so the simulator keeps the calls queued (no completion traffic during the run).
const ARGS: Record<string, unknown> =
  TOOL === 'place_call'
    ? {
        phone_number: '+14155550123',
        task: 'Benchmark call: confirm an appointment.',
        max_duration_minutes: 1,
        start_time: new Date(Date.now() + 20 * 86_400_000).toISOString(),
      }
    : {};
// The bare-SDK anchor implements get_credit_balance only.
const WITH_ANCHOR = TOOL === 'get_credit_balance';

async function measure(label: string, port: number, pid: number, key: string) {
  await waitForPort(port);
  const request = await recordToolCall(port, key, TOOL, ARGS);
  await load(port, request, 16, WARMUP); // JIT warm-up (the SDK needs ~15k requests to settle)
  const rows: (LoadResult & { label: string; rss: number })[] = [];
  for (const c of CONNECTIONS)
    rows.push({ label, ...(await load(port, request, c, SECONDS)), rss: await rssMiB(pid) });
  return rows;
}

const db = await benchDatabase('mcp');
const service = new DatabaseService(db.url, 4);
const apiKey = (await accountServices(service).newUser(1_000_000)).apiKey!;
await service.close();

const ours = await freePort();
const bare = await freePort();
const app = start(['dist/main.js'], {
  DATABASE_URL: db.url,
  PORT: String(ours),
  LOG_LEVEL: 'warn',
  RATE_LIMIT_PER_MINUTE: '1000000',
  MAX_CONCURRENT_CALLS_PER_USER: '100000',
  MAX_CALLS_PER_HOUR_PER_USER: '100000',
  POLLER_MODE: 'off',
  NODE_ENV: 'production',
});
const anchor = WITH_ANCHOR ? start(['bench/bare-sdk-server.mjs', String(bare), db.url], {}) : undefined;
try {
  const results = [
    ...(await measure('bland-mcp', ours, app.pid!, apiKey)),
    ...(anchor ? await measure('bare SDK', bare, anchor.pid!, apiKey) : []),
  ];
  console.log(`\n${TOOL}, ${SECONDS}s per point after ${WARMUP}s warm-up, node ${process.version}`);
  console.log('| server | connections | req/s | p50 ms | p99 ms | errors | non-2xx | RSS MiB |');
  console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const r of results) {
    console.log(
      `| ${r.label} | ${r.connections} | ${r.rps.toFixed(0)} | ${r.p50.toFixed(2)} | ${r.p99.toFixed(2)} | ${r.errors} | ${r.non2xx} | ${r.rss.toFixed(0)} |`,
    );
  }
  for (const c of anchor ? CONNECTIONS : []) {
    const a = results.find((r) => r.label === 'bland-mcp' && r.connections === c)!;
    const b = results.find((r) => r.label === 'bare SDK' && r.connections === c)!;
    console.log(`ratio at ${c} connections: ${(a.rps / b.rps).toFixed(2)}× the bare SDK server's req/s`);
  }
} finally {
  app.kill('SIGTERM');
  anchor?.kill('SIGTERM');
  await new Promise((r) => setTimeout(r, 500));
  await db.drop();
}
