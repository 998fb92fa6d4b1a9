/**
 * Every pipeline script runs under plain Node (types stripped natively), answers --help, and rejects bad
 * arguments with exit status 2 before touching anything.
 */
import { describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { atLeast, checkTools, prepareWorkspace, semver } from '../../scripts/lib/setup.ts';

const SCRIPTS = ['setup', 'package-app', 'bake', 'deploy', 'rollback', 'cleanup-amis', 'drift'];
const root = new URL('../../', import.meta.url).pathname;

async function runScript(
  name: string,
  args: string[],
): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(
      process.execPath,
      [join(root, 'scripts', `${name}.ts`), ...args],
      {
        cwd: root,
        env: { ...process.env, GITHUB_SHA: 'f'.repeat(40) },
      },
    );
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('pipeline scripts', () => {
  it.concurrent.each(SCRIPTS)('%s --help prints usage, options and --dry-run', async (name) => {
    const { code, stdout } = await runScript(name, ['--help']);
    expect(code).toBe(0);
    expect(stdout).toMatch(new RegExp(`^${name} — `));
    expect(stdout).toMatch(`Usage: node scripts/${name}.ts`);
    expect(stdout).toMatch('--dry-run');
  });

  it.concurrent.each([
    ['deploy', ['production', '--amii', 'ami-0123456789abcdef0'], /Unknown option '--amii'/],
    ['deploy', ['production'], /--ami must be an AMI id/],
    ['deploy', ['mars', '--ami', 'ami-0123456789abcdef0'], /unknown environment "mars"/],
    ['rollback', [], /missing <environment>/],
    ['package-app', ['--cpu', 'sparc'], /--cpu must be arm64, x64 or host/],
    ['cleanup-amis', ['--env', '../etc'], /unknown environment/],
  ])('%s %j is a usage error', async (name, args, message) => {
    const { code, stderr } = await runScript(name, args as string[]);
    expect(code).toBe(2);
    expect(stderr).toMatch(message as RegExp);
  });

  it('package-app --dry-run describes the archive without building anything', async () => {
    const { code, stdout } = await runScript('package-app', ['--dry-run']);
    expect(code).toBe(0);
    expect(stdout).toMatch(
      /would run npm run build, then stage dist, node_modules, package.json, package-lock.json/,
    );
    expect(stdout).toMatch(/npm ci --omit=dev --os=linux --cpu=arm64/);
  });
});

describe('setup', () => {
  it('reads versions from the way each tool prints them', () => {
    expect(semver('Terraform v1.11.4\non linux_amd64')).toBe('1.11.4');
    expect(semver('aws-cli/2.17.0 Python/3.11.9 Linux/6.1')).toBe('2.17.0');
    expect(semver('Packer v1.6.6')).toBe('1.6.6');
    expect(atLeast('1.6.6', '1.10.0')).toBe(false);
    expect(atLeast('1.11.4', '1.10.0')).toBe(true);
    expect(atLeast('22.12.0', '22.12.0')).toBe(true);
  });

  it('reports missing and outdated tools', async () => {
    const answers: Record<string, string | null> = {
      node: 'v22.23.3',
      npm: '11.1.0',
      git: 'git version 2.39.5',
      terraform: null,
      packer: 'Packer v1.6.6',
      aws: 'aws-cli/2.17.0',
    };
    const statuses = await checkTools(async ([cmd]) => answers[cmd!] ?? null);
    const byName = Object.fromEntries(statuses.map((s) => [s.tool.name, [s.version, s.ok]]));
    expect(byName).toEqual({
      node: ['22.23.3', true],
      npm: ['11.1.0', true],
      git: ['2.39.5', true],
      terraform: [null, false],
      packer: ['1.6.6', false],
      aws: ['2.17.0', true],
    });
  });

  it('creates the deploy folders and seeds .env.deploy once, never overwriting it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'setup-'));
    try {
      await writeFile(join(dir, '.env.deploy.example'), 'AWS_REGION=\n');
      expect(await prepareWorkspace(dir, true)).toEqual([
        'create dist/release/',
        'create dist/deploy/',
        'copy .env.deploy.example to .env.deploy (fill it in; it is git-ignored)',
      ]);
      await prepareWorkspace(dir, false);
      await writeFile(join(dir, '.env.deploy'), 'AWS_REGION=eu-west-1\n');

      expect(await prepareWorkspace(dir, false)).toEqual(['keep the existing .env.deploy']);
      expect(await readFile(join(dir, '.env.deploy'), 'utf8')).toBe('AWS_REGION=eu-west-1\n');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
