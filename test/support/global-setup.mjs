// Jest loads globalSetup outside its module system (plain Node), which cannot resolve our TypeScript sources, so
// the provisioning code (test/support/provision.ts, reusing the app's embedded-postgres and migrator modules) is
// bundled and imported by scripts/run-ts.mjs. Spawned-process tests need the tsc build: made here once per run.
import { importTs } from '../../scripts/run-ts.mjs';
import { ensureBuilt } from './build.mjs';

export default async function globalSetup() {
  ensureBuilt();
  const provisioner = await importTs('test/support/provision.ts');
  await provisioner.provisionTestDatabase();
  globalThis.__BMCP_PROVISIONER__ = provisioner;
}
