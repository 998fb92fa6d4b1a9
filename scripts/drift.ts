#!/usr/bin/env node
/**
 * Drift check for one environment: `terraform plan -detailed-exitcode -lock=false` with the variables of the
 * last apply (colours and AMIs from the outputs, release values from the deploy record). Never applies.
 *   --mode refresh-only (default)  does AWS still match the Terraform state? (changes made by hand)
 *   --mode full                    would applying this checkout change anything? (needs the real secrets)
 * Exit status: 0 in sync (or a deploy is running: nothing to judge), 2 drift (plan in --plan-file), 1 error.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import {
  UsageError,
  currentGitSha,
  environmentArgument,
  loadDeployEnv,
  main,
  packageVersion,
  parseCommand,
  repoRoot,
  stringOption,
  type CommandSpec,
} from './lib/cli.ts';
import { createAwsGateway } from './lib/aws.ts';
import { systemClock } from './lib/clock.ts';
import { lambdaZipFor, terraformFor } from './lib/context.ts';
import { detectDrift } from './lib/drift-flow.ts';
import { Reporter } from './lib/reporter.ts';
import { loadSettings, requireSetting } from './lib/settings.ts';

const spec: CommandSpec = {
  name: 'drift',
  summary: 'report whether the live stack differs from its Terraform state or configuration (read-only)',
  usage: 'node scripts/drift.ts <environment> [--mode refresh-only|full] [--plan-file PATH]',
  options: {
    mode: { type: 'string', placeholder: 'MODE', description: 'refresh-only (default) or full.' },
    'plan-file': {
      type: 'string',
      placeholder: 'PATH',
      description: 'Where to write the plan (default: dist/deploy/drift-<env>.txt).',
    },
    'lambda-zip': {
      type: 'string',
      placeholder: 'PATH',
      description: 'Poller bundle (default: dist/lambda/poller.zip).',
    },
  },
  notes: ['Exit status: 0 in sync; 2 drift; 1 error. --dry-run prints the check it would run and stops.'],
};

await main(async () => {
  const args = parseCommand(spec);
  if (!args) return 0;
  const environment = environmentArgument(args.positionals);
  const mode = stringOption(args.values, 'mode') ?? 'refresh-only';
  if (mode !== 'refresh-only' && mode !== 'full') throw new UsageError('--mode must be refresh-only or full');
  const flags = `-detailed-exitcode -lock=false${mode === 'refresh-only' ? ' -refresh-only' : ''}`;
  if (args.values['dry-run']) {
    console.log(
      `would run: terraform plan ${flags} in terraform/envs/${environment}, with the live variables`,
    );
    return 0;
  }
  loadDeployEnv();
  const settings = loadSettings();
  const reporter = new Reporter(systemClock);
  const result = await detectDrift(
    {
      terraform: terraformFor(environment, settings, reporter),
      aws: createAwsGateway(requireSetting(settings, 'AWS_REGION', 'the region of the stack')),
      reporter,
    },
    {
      environment,
      mode,
      lambdaZipPath: lambdaZipFor(environment, args.values, true).variable,
      fallbackRelease: { git_sha: currentGitSha(), app_version: packageVersion() },
    },
  );
  if (result.status === 'no-stack') throw new Error(`no stack in the Terraform state of ${environment}`);
  if (result.status === 'busy') {
    console.log(`skipped: ${result.why}`);
    return 0;
  }
  const planFile = join(
    repoRoot,
    stringOption(args.values, 'plan-file') ?? `dist/deploy/drift-${environment}.txt`,
  );
  await mkdir(dirname(planFile), { recursive: true });
  await writeFile(planFile, result.plan.text);
  console.log(result.status === 'drift' ? `DRIFT: ${result.plan.summary} (plan in ${planFile})` : 'in sync');
  return result.status === 'drift' ? 2 : 0;
});
