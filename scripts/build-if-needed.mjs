#!/usr/bin/env node
// `npm start` runs this first: compiles TypeScript, and builds the web console (Vite), only when a source file is
// newer than the last build, so a fresh clone's first start builds and later starts are instant.
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

// ---- The web console (console/ → console/dist, served at /console/) ------------------------------------------------
// Skipped where only the built console ships (the app package has console/dist but not its sources).
const consoleDir = path.join(root, 'console');
const consoleShell = path.join(consoleDir, 'dist', 'index.html');
if (existsSync(path.join(consoleDir, 'index.html'))) {
  const consoleInputs = ['src', 'public', 'index.html', 'vite.config.ts']
    .map((name) => path.join(consoleDir, name))
    .filter((p) => existsSync(p))
    .concat(path.join(root, 'package.json'));
  const newestConsoleInput = Math.max(
    ...consoleInputs.map((p) => (statSync(p).isDirectory() ? newestMtime(p) : statSync(p).mtimeMs)),
  );
  if (!existsSync(consoleShell) || statSync(consoleShell).mtimeMs < newestConsoleInput) {
    const vite = path.join(root, 'node_modules', 'vite', 'bin', 'vite.js');
    if (existsSync(vite)) {
      console.error('bland-mcp: building the console (vite)…');
      execFileSync(
        process.execPath,
        [vite, 'build', '--config', 'console/vite.config.ts', '--logLevel', 'warn'],
        {
          cwd: root,
          stdio: 'inherit',
        },
      );
    } else {
      console.error(
        'bland-mcp: console sources changed but vite is not installed (npm install); serving the old build',
      );
    }
  }
}
