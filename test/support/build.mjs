// Tests that spawn the server or the CLIs run the compiled build; compile it once per run if sources changed.
import { execFileSync } from 'node:child_process';
import path from 'node:path';

export function ensureBuilt() {
  const root = path.resolve(import.meta.dirname, '../..');
  execFileSync(process.execPath, [path.join(root, 'scripts/build-if-needed.mjs')], {
    cwd: root,
    stdio: 'inherit',
  });
}
