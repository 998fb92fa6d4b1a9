// The image's boot script that turns SSM parameters into the service's EnvironmentFile, run
// for real against a stub `aws` command. Its output is read back with bash, whose
// double-quote rules are the ones systemd documents for EnvironmentFile values.
import { execFile } from 'node:child_process';
import { chmod, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { repoRoot } from './support/hcl.js';

const execFileAsync = promisify(execFile);
const SCRIPT = path.join(repoRoot, 'packer/rootfs/usr/local/libexec/bland-mcp/render-environment');
const PREFIX = '/bland-mcp/production/app';

let dir: string;
let group: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'bland-mcp-render-env-'));
  group = (await execFileAsync('id', ['-gn'])).stdout.trim();
  await writeFile(
    path.join(dir, 'aws'),
    '#!/bin/bash\n[[ -f "$STUB_RESPONSE" ]] || exit 255\ncat "$STUB_RESPONSE"\n',
  );
  await chmod(path.join(dir, 'aws'), 0o755);
  await writeFile(path.join(dir, 'deployment.env'), `APP_PARAMETER_PATH=${PREFIX}\nAWS_REGION=us-east-1\n`);
  await writeFile(path.join(dir, 'build.env'), 'APP_VERSION=1.2.3\nGIT_SHA=0123456789abcdef\n');
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function render(parameters: Array<{ Name: string; Value: string }> | null) {
  const response = path.join(dir, 'response.json');
  await rm(response, { force: true });
  if (parameters) await writeFile(response, JSON.stringify({ Parameters: parameters }));
  const output = path.join(dir, 'run', 'environment');
  await rm(output, { force: true });
  const env = {
    ...process.env,
    PATH: `${dir}:${process.env.PATH}`,
    STUB_RESPONSE: response,
    DEPLOYMENT_FILE: path.join(dir, 'deployment.env'),
    BUILD_FILE: path.join(dir, 'build.env'),
    OUTPUT_FILE: output,
    SERVICE_GROUP: group,
    FETCH_ATTEMPTS: '1',
  };
  try {
    await execFileAsync('bash', [SCRIPT], { env });
    return { ok: true as const, output };
  } catch (error) {
    return { ok: false as const, stderr: String((error as { stderr?: string }).stderr) };
  }
}

/** What a process started with this EnvironmentFile sees. */
async function environmentSeenBy(file: string, names: string[]): Promise<Record<string, string>> {
  const script = `set -a; source "$1"; node -e 'console.log(JSON.stringify(Object.fromEntries(process.argv.slice(1).map((n) => [n, process.env[n]]))))' ${names.join(' ')}`;
  const { stdout } = await execFileAsync('bash', ['-c', script, 'bash', file], {
    env: { PATH: process.env.PATH },
  });
  return JSON.parse(stdout) as Record<string, string>;
}

test('every parameter becomes a variable, exact even with quotes, $, backticks, backslashes and newlines', async () => {
  const tricky = {
    DATABASE_URL: 'postgres://user:p$a"ss`wd\\x@db.example.com:6543/postgres?sslmode=require',
    GOOGLE_SERVICE_ACCOUNT_JSON:
      '{"private_key":"-----BEGIN KEY-----\\nAAA\\n-----END KEY-----\\n"}\nsecond line',
    PORT: '3000',
  };
  const result = await render(
    Object.entries(tricky).map(([name, value]) => ({ Name: `${PREFIX}/${name}`, Value: value })),
  );
  expect(result.ok).toBe(true);
  if (!result.ok) return;
  expect(await environmentSeenBy(result.output, [...Object.keys(tricky), 'GIT_SHA'])).toEqual({
    ...tricky,
    GIT_SHA: '0123456789abcdef',
  });
});

test('the file is readable by the service group only', async () => {
  const result = await render([{ Name: `${PREFIX}/PORT`, Value: '3000' }]);
  expect(result.ok).toBe(true);
  if (!result.ok) return;
  expect((await stat(result.output)).mode & 0o777).toBe(0o640);
  expect(await readFile(result.output, 'utf8')).toContain('PORT="3000"');
});

test('a parameter whose name is not an environment variable name fails the boot step', async () => {
  const result = await render([{ Name: `${PREFIX}/nested/database-url`, Value: 'x' }]);
  expect(result).toMatchObject({
    ok: false,
    stderr: expect.stringContaining('is not an environment variable name'),
  });
});

test('no parameters at all fails the boot step instead of starting an unconfigured app', async () => {
  expect(await render([])).toMatchObject({ ok: false, stderr: expect.stringContaining('no parameters') });
});

test('SSM being unreachable fails the boot step after the configured attempts', async () => {
  expect(await render(null)).toMatchObject({
    ok: false,
    stderr: expect.stringContaining('after 1 attempts'),
  });
});
