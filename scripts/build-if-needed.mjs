#!/usr/bin/env node
// `npm start` runs this first: compiles TypeScript only when a source file is newer than the last build,
// so a fresh clone's first start builds and later starts are instant.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const stamp = path.join(root, 'dist', 'build-info.json');

function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : statSync(full).mtimeMs);
  }
  return newest;
}

const inputs = [
  path.join(root, 'src'),
  path.join(root, 'tsconfig.json'),
  path.join(root, 'tsconfig.build.json'),
  path.join(root, 'package.json'),
];
const newestInput = Math.max(
  ...inputs.map((p) => (statSync(p).isDirectory() ? newestMtime(p) : statSync(p).mtimeMs)),
);

if (!existsSync(stamp) || statSync(stamp).mtimeMs < newestInput) {
  console.error('bland-mcp: building (tsc)…');
  execFileSync(
    process.execPath,
    [path.join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'],
    {
      cwd: root,
      stdio: 'inherit',
    },
  );
  let gitSha = process.env.GIT_SHA;
  if (!gitSha) {
    try {
      gitSha = execFileSync('git', ['rev-parse', 'HEAD'], {
        cwd: root,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
      }).trim();
    } catch {
      gitSha = 'unknown';
    }
  }
  mkdirSync(path.dirname(stamp), { recursive: true });
  writeFileSync(stamp, JSON.stringify({ gitSha, builtAt: new Date().toISOString() }, null, 2));
}
