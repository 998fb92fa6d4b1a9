// Jest loads globalSetup outside its module system (plain Node), which cannot resolve our TypeScript sources.
// Bundle the provisioning code (test/support/provision.ts, which reuses the app's own embedded-postgres and
// migrator modules) with esbuild into node_modules/.cache and import that: one code path, ~100 ms.
import { build } from 'esbuild';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ensureBuilt } from './build.mjs';

const root = path.resolve(import.meta.dirname, '../..');

export async function loadProvisioner() {
  const outfile = path.join(root, 'node_modules/.cache/bland-mcp/provision.mjs');
  mkdirSync(path.dirname(outfile), { recursive: true });
  await build({
    entryPoints: [path.join(root, 'test/support/provision.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node22',
    packages: 'external',
    logLevel: 'error',
  });
  return import(`${pathToFileURL(outfile).href}?t=${Date.now()}`);
}

export default async function globalSetup() {
  ensureBuilt();
  const provisioner = await loadProvisioner();
  await provisioner.provisionTestDatabase();
  globalThis.__BMCP_PROVISIONER__ = provisioner;
}
