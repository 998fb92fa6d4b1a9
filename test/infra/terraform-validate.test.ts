// terraform fmt, init against the offline provider mirror, validate, and the module-level
// `terraform test` suites. Runs on a copy of terraform/ (see TerraformSandbox).
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from './support/hcl.js';
import {
  findToolchain,
  reportMissingToolchain,
  TERRAFORM_TIMEOUT_MS,
  TerraformSandbox,
} from './support/terraform-toolchain.js';

const toolchain = await findToolchain();
const skipped = reportMissingToolchain(toolchain, 'terraform fmt/validate/test');

const moduleDirs = readdirSync(path.join(repoRoot, 'terraform/modules')).map(
  (name) => `terraform/modules/${name}`,
);

// Modules that take an aliased provider (configuration_aliases) cannot be validated on their
// own; they are validated as part of the environment roots that pass them the providers.
const standaloneModules = moduleDirs.filter(
  (dir) => !readFileSync(path.join(repoRoot, dir, 'versions.tf'), 'utf8').includes('configuration_aliases'),
);
const roots = ['terraform/envs/production', 'terraform/envs/staging', ...standaloneModules];
const modulesWithTests = moduleDirs.filter((dir) => readdirSync(path.join(repoRoot, dir)).includes('tests'));

if (process.env.CI && !toolchain.available) {
  test('terraform and the AWS provider mirror are installed (required in CI)', () => {
    throw new Error(toolchain.reason);
  });
}

(skipped ? describe.skip : describe)('terraform (offline, provider mirror)', () => {
  let sandbox: TerraformSandbox;

  beforeAll(async () => {
    if (!toolchain.available) throw new Error('unreachable: suite is skipped without a toolchain');
    sandbox = await TerraformSandbox.create(toolchain.pluginDir);
  }, TERRAFORM_TIMEOUT_MS);

  afterAll(async () => {
    await sandbox?.dispose();
  });

  test(
    'every file is formatted (terraform fmt -check -recursive)',
    async () => {
      const result = await sandbox.run('terraform', ['fmt', '-check', '-recursive', '-diff', '-no-color']);
      expect({ code: result.code, unformatted: result.stdout }).toEqual({ code: 0, unformatted: '' });
    },
    TERRAFORM_TIMEOUT_MS,
  );

  test('there are modules with terraform test suites', () => {
    expect(modulesWithTests.length).toBeGreaterThanOrEqual(4);
  });

  test.each(roots)(
    '%s initialises offline and validates without errors or warnings',
    async (root) => {
      const init = await sandbox.init(root);
      expect({ root, code: init.code, stderr: init.stderr }).toEqual({ root, code: 0, stderr: '' });

      const validate = await sandbox.run(root, ['validate', '-json', '-no-color']);
      const report = JSON.parse(validate.stdout) as {
        valid: boolean;
        diagnostics: Array<{ severity: string; summary: string; detail: string }>;
      };
      expect({ root, valid: report.valid, diagnostics: report.diagnostics }).toEqual({
        root,
        valid: true,
        diagnostics: [],
      });
    },
    TERRAFORM_TIMEOUT_MS,
  );

  test.each(modulesWithTests)(
    '%s passes its terraform test suite',
    async (dir) => {
      const result = await sandbox.run(dir, ['test', '-no-color']);
      const summary = /(\d+) passed, (\d+) failed/.exec(result.stdout);
      expect({
        dir,
        code: result.code,
        failedRuns: summary?.[2],
        output: result.code === 0 ? '' : result.stdout + result.stderr,
      }).toEqual({ dir, code: 0, failedRuns: '0', output: '' });
    },
    TERRAFORM_TIMEOUT_MS,
  );
});
