// Tests that spawn the server or the CLIs run the compiled build; compile it once per run if sources changed.
import { execFileSync } from 'node:child_process';
import path from 'node:path';

export function ensureBuilt() {
  const root = path.resolve(import.meta.dirname, '../..');
  try {
    execFileSync(process.execPath, [path.join(root, 'scripts/build-if-needed.mjs')], {
      cwd: root,
      stdio: 'inherit',
    });
  } catch {
    // tsc still emits JavaScript when it finds type errors; `npm run typecheck` is the gate that reports them.
    console.warn(
      '\n[tests] the TypeScript build reported errors; spawned-process tests use what it emitted\n',
    );
  }
}
