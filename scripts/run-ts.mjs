#!/usr/bin/env node
// Runs a TypeScript entry point (bench scripts, test provisioning) without a build step: esbuild bundles it with
// its local imports into node_modules/.cache (npm packages stay external) and Node imports the result.
// Not for code that needs Nest's constructor injection (esbuild does not emit decorator metadata): such code runs
// from the tsc build (dist/).
import { build } from 'esbuild';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const root = path.resolve(import.meta.dirname, '..');

/** Bundles `entry` (relative to the project root) and imports it; returns the module. */
export async function importTs(entry) {
  const name = entry.replace(/[\\/]/g, '_').replace(/\.ts$/, '.mjs');
  const outfile = path.join(root, 'node_modules/.cache/bland-mcp', name);
  mkdirSync(path.dirname(outfile), { recursive: true });
  await build({
    entryPoints: [path.resolve(root, entry)],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node22',
    packages: 'external',
    sourcemap: 'inline',
    logLevel: 'error',
  });
  return import(`${pathToFileURL(outfile).href}?t=${Date.now()}`);
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [entry, ...args] = process.argv.slice(2);
  if (!entry) {
    console.error('usage: node scripts/run-ts.mjs <file.ts> [args…]');
    process.exit(2);
  }
  process.argv = [process.argv[0], path.resolve(root, entry), ...args];
  await importTs(entry);
}
