// `terraform test` on the production root: blue/green weights with a mocked provider, and a
// full plan with the real AWS provider (fake credentials, AWS-calling data sources overridden).
import {
  findToolchain,
  reportMissingToolchain,
  TERRAFORM_TIMEOUT_MS,
  TerraformSandbox,
} from './support/terraform-toolchain.js';

const toolchain = await findToolchain();
const skipped = reportMissingToolchain(toolchain, 'terraform test (production root)');
const root = 'terraform/envs/production';

if (process.env.CI && !toolchain.available) {
  test('terraform and the AWS provider mirror are installed (required in CI)', () => {
    throw new Error(toolchain.reason);
  });
}

(skipped ? describe.skip : describe)('production root: terraform test', () => {
  let sandbox: TerraformSandbox;

  beforeAll(async () => {
    if (!toolchain.available) throw new Error('unreachable: suite is skipped without a toolchain');
    sandbox = await TerraformSandbox.create(toolchain.pluginDir);
    const init = await sandbox.init(root);
    if (init.code !== 0) throw new Error(`terraform init failed in ${root}:\n${init.stderr}`);
  }, TERRAFORM_TIMEOUT_MS);

  afterAll(async () => {
    await sandbox?.dispose();
  });

  test.each([
    ['tests/blue_green.tftest.hcl', 7],
    ['tests/plan.tftest.hcl', 1],
  ])(
    '%s passes all %i runs',
    async (file, runs) => {
      const result = await sandbox.run(root, ['test', '-no-color', `-filter=${file}`]);
      const summary = /(\d+) passed, (\d+) failed/.exec(result.stdout);
      expect({
        file,
        code: result.code,
        passed: Number(summary?.[1]),
        failed: Number(summary?.[2]),
        output: result.code === 0 ? '' : result.stdout + result.stderr,
      }).toEqual({ file, code: 0, passed: runs, failed: 0, output: '' });
    },
    TERRAFORM_TIMEOUT_MS,
  );
});
