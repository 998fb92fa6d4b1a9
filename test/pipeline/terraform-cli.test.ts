/**
 * TerraformCli against the real terraform binary and a provider-less root with a local backend: proves the
 * command lines, the -detailed-exitcode handling, the saved-plan apply and the output parsing. No network.
 * Skipped (loudly) only on a workstation without terraform; in CI a missing binary fails the test.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { StackVars } from '../../scripts/lib/stack.ts';
import { TerraformCli, backendConfigFor } from '../../scripts/lib/terraform.ts';

function terraformAvailable(): boolean {
  try {
    execFileSync('terraform', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    if (process.env.CI)
      throw new Error('terraform is not on PATH: CI must install it (hashicorp/setup-terraform)');
    console.warn('SKIPPED terraform-cli tests: terraform is not on PATH');
    return false;
  }
}

const ROOT = `
terraform {
  backend "local" {}
}

variable "active_color" {
  type = string
  validation {
    condition     = contains(["blue", "green"], var.active_color)
    error_message = "active_color must be blue or green."
  }
}
variable "blue_ami_id" { type = string }
variable "green_ami_id" { type = string }
variable "canary_weight" { type = number }
variable "app_version" { type = string }
variable "git_sha" { type = string }
variable "lambda_zip_path" { type = string }

resource "terraform_data" "colours" {
  input = { blue = var.blue_ami_id, green = var.green_ami_id, active = var.active_color, canary = var.canary_weight, sha = var.git_sha }
}

output "active_color" { value = var.active_color }
output "alb_listener_arn" { value = "arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/x/1/2" }
output "blue_target_group_arn" { value = "arn:blue-tg" }
output "green_target_group_arn" { value = "arn:green-tg" }
output "blue_asg_name" { value = "stack-blue-\${var.blue_ami_id}" }
output "green_asg_name" { value = "stack-green-\${var.green_ami_id}" }
output "blue_ami_id" { value = var.blue_ami_id }
output "green_ami_id" { value = var.green_ami_id }
output "alb_dns_name" { value = "alb.example" }
output "cloudfront_domain" { value = "d1.cloudfront.net" }
output "static_bucket_name" { value = "static" }
output "deploy_state_parameter" { value = "/bland-mcp/test/deploy-state" }
output "alarm_names" { value = ["a", "b"] }
`;

const vars: StackVars = {
  active_color: 'blue',
  blue_ami_id: 'ami-0000000000000000b',
  green_ami_id: 'ami-0000000000000000c',
  canary_weight: 0,
  app_version: '1.0.0',
  git_sha: 'a'.repeat(40),
  lambda_zip_path: '/tmp/poller.zip',
};

const available = terraformAvailable();

(available ? describe : describe.skip)('TerraformCli (real terraform)', () => {
  let dir: string;
  let cli: TerraformCli;
  const log: string[] = [];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tf-cli-'));
    await writeFile(join(dir, 'main.tf'), ROOT);
    cli = new TerraformCli({
      dir,
      backendConfig: [`path=${join(dir, 'state.tfstate')}`],
      log: (l) => log.push(l),
    });
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('reads "no stack" before the first apply', async () => {
    expect(await cli.outputs()).toBeNull();
  });

  it('applies a saved plan, then finds nothing to change on the second apply', async () => {
    const first = await cli.apply(vars);
    expect(first).toMatchObject({
      changed: true,
      summary: expect.stringMatching(/^Plan: 1 to add, 0 to change, 0 to destroy/),
    });
    expect(log.some((l) => /Apply complete! Resources: 1 added/.test(l))).toBe(true);

    const second = await cli.apply(vars);
    expect(second).toMatchObject({ changed: false, summary: expect.stringMatching(/^No changes\./) });
  });

  it('parses the outputs into the pipeline contract', async () => {
    const outputs = await cli.outputs();
    expect(outputs).toMatchObject({
      activeColor: 'blue',
      slots: { blue: { amiId: vars.blue_ami_id, asgName: `stack-blue-${vars.blue_ami_id}` } },
      deployStateParameter: '/bland-mcp/test/deploy-state',
      alarmNames: ['a', 'b'],
    });
  });

  it('plans without a lock and without changing anything', async () => {
    const plan = await cli.plan({ ...vars, active_color: 'green' }, { lock: false });
    expect(plan.changed).toBe(true);
    expect(plan.text).toMatch(/"blue" -> "green"|active\s+= "blue" -> "green"/);
    expect((await cli.outputs())?.activeColor).toBe('blue');
  });

  it('a refresh-only plan compares AWS with the state and ignores what only the variables changed', async () => {
    const changed = { ...vars, git_sha: 'b'.repeat(40) };
    expect((await cli.plan(changed, { lock: false })).changed).toBe(true);
    expect((await cli.plan(changed, { lock: false, refreshOnly: true })).changed).toBe(false);
  });

  it("reports Terraform's own error when a plan fails", async () => {
    await expect(cli.apply({ ...vars, active_color: 'purple' as 'blue' })).rejects.toThrow(
      /terraform plan failed \(exit 1\)[\s\S]*active_color must be blue or green/,
    );
  });
});

describe('TerraformCli command lines', () => {
  it('initialises with the backend given in full and plans drift without a lock', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tf-args-'));
    try {
      const fake = join(dir, 'terraform');
      await writeFile(
        fake,
        `#!/bin/sh\necho "$@" >> ${join(dir, 'args.log')}\necho "No changes. Your infrastructure matches the configuration."\n`,
      );
      await chmod(fake, 0o755);
      const cli = new TerraformCli({
        dir: 'terraform/envs/production',
        backendConfig: ['bucket=b', 'region=r'],
        binary: fake,
      });

      const plan = await cli.plan(vars, { lock: false, refreshOnly: true });

      expect(plan).toMatchObject({
        changed: false,
        summary: 'No changes. Your infrastructure matches the configuration.',
      });
      const [init, planArgs] = (await readFile(join(dir, 'args.log'), 'utf8')).trim().split('\n');
      expect(init).toBe(
        '-chdir=terraform/envs/production init -input=false -no-color -reconfigure -backend-config=bucket=b -backend-config=region=r',
      );
      expect(planArgs).toMatch(
        /^-chdir=terraform\/envs\/production plan -input=false -no-color -detailed-exitcode -var-file=\S+\.tfvars\.json -lock=false -refresh-only$/,
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('backendConfigFor', () => {
  it('names the bucket and region; the key stays in each root', () => {
    expect(backendConfigFor('staging', { TF_STATE_BUCKET: 'b', TF_STATE_REGION: 'eu-west-1' })).toEqual([
      'bucket=b',
      'region=eu-west-1',
    ]);
    expect(backendConfigFor('production', { TF_BACKEND_CONFIG: 'backend-{env}.hcl' })).toEqual([
      'backend-production.hcl',
    ]);
    expect(() => backendConfigFor('production', {})).toThrow(/TF_STATE_BUCKET/);
  });
});
