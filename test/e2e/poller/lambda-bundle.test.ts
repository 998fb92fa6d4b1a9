import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import {
  placeEndedCalls,
  settledCalls,
  startAppInstance,
  startPollerWorld,
  type AppInstance,
  type PollerWorld,
} from '../../integration/poller/support/world.js';

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '../../..');

/**
 * Loads the bundle as Lambda does: a plain Node process in a directory with no node_modules anywhere above it,
 * imports poller.mjs, invokes `handler` once, closes it and prints what it returned.
 */
const INVOKE = `
const started = performance.now();
const { handler } = await import('./poller.mjs');
const initMs = performance.now() - started;
const result = await handler({}, { awsRequestId: 'e2e-request', getRemainingTimeInMillis: () => 60_000 });
await handler.close();
console.log('RESULT ' + JSON.stringify({ initMs, result }));
`;

async function invokeBundle(dir: string, env: Record<string, string>) {
  const { stdout } = await run(
    process.execPath,
    ['--enable-source-maps', '--input-type=module', '-e', INVOKE],
    {
      cwd: dir,
      env: { PATH: process.env.PATH ?? '', AWS_LAMBDA_FUNCTION_NAME: 'bland-mcp-e2e-poller', ...env },
      timeout: 60_000,
    },
  );
  const line = stdout.split('\n').find((l) => l.startsWith('RESULT '));
  if (!line) throw new Error(`no result from the bundle; output:\n${stdout}`);
  return JSON.parse(line.slice('RESULT '.length)) as { initMs: number; result: Record<string, unknown> };
}

describe('npm run package:lambda → dist/lambda/poller.zip', () => {
  let dir: string;
  let zip: string;
  let world: PollerWorld;
  let app: AppInstance;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'bmcp-lambda-'));
    zip = path.join(dir, 'poller.zip');
    const built = await run(
      process.execPath,
      [path.join(root, 'scripts/package-lambda.mjs'), '--output', zip],
      {
        cwd: root,
      },
    );
    expect(built.stdout).toMatch(/poller\.zip: \d+\.\d\d MiB/);
    await run('unzip', ['-q', zip, '-d', path.join(dir, 'task')]);
    world = await startPollerWorld();
    app = await startAppInstance(world, { POLL_INTERVAL_SECONDS: '3600' });
  }, 120_000);
  afterAll(async () => {
    await app?.close();
    await world?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('holds only the handler module and its source map, within the 5 MB budget, without the simulator', async () => {
    const { stdout } = await run('unzip', ['-Z1', zip]);
    expect(stdout.trim().split('\n').sort()).toEqual(['poller.mjs', 'poller.mjs.map']);
    const { size } = await stat(zip);
    expect(size).toBeLessThanOrEqual(5 * 1024 * 1024);
    const bundle = await readFile(path.join(dir, 'task/poller.mjs'), 'utf8');
    expect(bundle).toContain('the Bland simulator is not part of the Lambda bundle');
    expect(bundle).not.toContain('/__sim/');
  });

  it('imported by a plain Node process, its handler polls a real database through the Bland API', async () => {
    const ids = await placeEndedCalls(world, app.calls, await world.newUser(), [
      'completed',
      'no-answer',
      'busy',
    ]);
    const { initMs, result } = await invokeBundle(path.join(dir, 'task'), {
      NODE_ENV: 'production',
      DATABASE_URL: world.t.url,
      BLAND_API_URL: world.sim.url,
      BLAND_API_KEY: world.env.BLAND_API_KEY!,
    });
    expect(result).toMatchObject({
      ran: true,
      polled: 3,
      updated: 3,
      settled: 3,
      errors: 0,
      remaining: false,
    });
    expect(result.runner).toMatch(/^lambda:bland-mcp-e2e-poller:/);
    expect((await settledCalls(world, ids)).map((c) => c.status)).toEqual(['completed', 'no_answer', 'busy']);
    // Module initialisation only builds objects: settings, the pool and Bland are set up on the first invocation.
    expect(initMs).toBeLessThan(5_000);
  });

  it('without a Bland key it refuses to run rather than start a simulator', async () => {
    const { result } = await invokeBundle(path.join(dir, 'task'), { DATABASE_URL: world.t.url });
    expect(result).toMatchObject({ ran: false, skipped: 'no-bland-key' });
  });
});
