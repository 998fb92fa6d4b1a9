/**
 * package-app on a small fixture project: the archive holds the build, production dependencies only, the
 * migrations and the build info, and none of the pipeline's own outputs under dist/. Offline: the fixture's
 * dependencies are local tarballs.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { packageApp, type PackageAppResult } from '../../scripts/lib/package-app.ts';

describe('packageApp', () => {
  let tmp: string;
  let project: string;
  let result: PackageAppResult;
  const log: string[] = [];

  beforeAll(async () => {
    // <tmp>/project and the staging dir <tmp>/stage sit side by side, so "file:../vendor/…" resolves from both.
    tmp = await mkdtemp(join(tmpdir(), 'package-app-'));
    project = join(tmp, 'project');
    for (const name of ['tiny', 'tiny-dev']) {
      await mkdir(join(tmp, 'vendor', name), { recursive: true });
      await writeFile(join(tmp, 'vendor', name, 'package.json'), JSON.stringify({ name, version: '1.0.0' }));
    }
    execFileSync('npm', ['pack', './tiny', './tiny-dev', '--silent'], { cwd: join(tmp, 'vendor') });
    await mkdir(join(project, 'supabase/migrations'), { recursive: true });
    await writeFile(join(project, 'supabase/migrations/20260101000000_init.sql'), 'select 1;\n');
    await writeFile(
      join(project, 'build.mjs'),
      `import { mkdirSync, writeFileSync } from 'node:fs';
       mkdirSync('dist/src', { recursive: true }); writeFileSync('dist/src/main.js', 'console.log(1)');
       mkdirSync('dist/lambda', { recursive: true }); writeFileSync('dist/lambda/poller.zip', 'zip');
       mkdirSync('dist/release', { recursive: true }); writeFileSync('dist/release/old.tar.gz', 'old');`,
    );
    await writeFile(
      join(project, 'package.json'),
      JSON.stringify({
        name: 'fixture-app',
        version: '2.0.0',
        private: true,
        scripts: { build: 'node build.mjs' },
        dependencies: { tiny: 'file:../vendor/tiny-1.0.0.tgz' },
        devDependencies: { 'tiny-dev': 'file:../vendor/tiny-dev-1.0.0.tgz' },
      }),
    );
    execFileSync('npm', ['install', '--package-lock-only', '--offline', '--no-audit', '--no-fund'], {
      cwd: project,
    });

    result = await packageApp({
      root: project,
      output: join(tmp, 'bland-mcp-app.tar.gz'),
      gitSha: '7'.repeat(40),
      builtAt: '2026-11-27T12:00:00.000Z',
      build: true,
      cpu: 'arm64',
      dryRun: false,
      log: (line) => log.push(line),
    });
  });
  afterAll(() => rm(tmp, { recursive: true, force: true }));

  const list = () => execFileSync('tar', ['-tzf', result.archive], { encoding: 'utf8' }).trim().split('\n');

  it('contains the build, production dependencies, manifest, lock and migrations', () => {
    const entries = list();
    for (const expected of [
      'dist/src/main.js',
      'dist/build-info.json',
      'node_modules/tiny/package.json',
      'package.json',
      'package-lock.json',
      'supabase/migrations/20260101000000_init.sql',
    ]) {
      expect(entries).toContain(expected);
    }
    expect(result.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(result.bytes).toBeGreaterThan(0);
  });

  it('leaves out dev dependencies and the pipeline outputs that share dist/', () => {
    const entries = list();
    expect(entries.some((e) => e.startsWith('node_modules/tiny-dev'))).toBe(false);
    expect(entries.some((e) => e.startsWith('dist/lambda') || e.startsWith('dist/release'))).toBe(false);
  });

  it('records the commit and build time where /version reads them', () => {
    const info = execFileSync('tar', ['-xzOf', result.archive, 'dist/build-info.json'], { encoding: 'utf8' });
    expect(JSON.parse(info)).toEqual({ gitSha: '7'.repeat(40), builtAt: '2026-11-27T12:00:00.000Z' });
  });

  it('cleans up its staging directory', () => {
    expect(existsSync(join(tmp, 'stage'))).toBe(false);
  });
});
