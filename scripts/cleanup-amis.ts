#!/usr/bin/env node
/**
 * Deregister old application AMIs and delete their snapshots. Keeps the newest N (AMI_KEEP_RELEASES) and every
 * AMI in use: either colour and the recorded previous release of each environment, and anything an instance or
 * a launch template in the region references. If any environment's state cannot be read, nothing is deleted.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  UsageError,
  environmentArgument,
  loadDeployEnv,
  main,
  numberOption,
  parseCommand,
  repoRoot,
  type CommandSpec,
} from './lib/cli.ts';
import { cleanupAmis } from './lib/ami-cleanup.ts';
import { createAwsGateway, type AwsGateway } from './lib/aws.ts';
import { systemClock } from './lib/clock.ts';
import { terraformFor } from './lib/context.ts';
import { parseDeployRecord } from './lib/deploy-record.ts';
import { exitCodeFor, publishResult, Reporter } from './lib/reporter.ts';
import { loadSettings, requireSetting, type Settings } from './lib/settings.ts';
import { AMI_NAME_PATTERN, AMI_TAGS, COLORS } from './lib/stack.ts';

const spec: CommandSpec = {
  name: 'cleanup-amis',
  summary: 'deregister application AMIs older than the newest N that nothing uses',
  usage: 'node scripts/cleanup-amis.ts [--keep N] [--env NAME ...] [--dry-run]',
  options: {
    keep: {
      type: 'string',
      placeholder: 'N',
      description: 'Releases to keep regardless of use (AMI_KEEP_RELEASES, 5).',
    },
    env: {
      type: 'string',
      placeholder: 'NAME',
      multiple: true,
      description: 'Environments whose AMIs are protected (default: all in terraform/envs).',
    },
  },
};

await main(async () => {
  const args = parseCommand(spec);
  if (!args) return 0;
  if (args.positionals.length) throw new UsageError(`unexpected arguments: ${args.positionals.join(' ')}`);
  const requested = args.values.env as string[] | undefined;
  const environments = (requested ?? readdirSync(join(repoRoot, 'terraform/envs'))).map((e) =>
    environmentArgument([e]),
  );
  loadDeployEnv();
  const settings = loadSettings();
  const keep = numberOption(args.values, 'keep') ?? settings.AMI_KEEP_RELEASES;
  if (keep < 2) throw new UsageError('--keep must be at least 2 (the live and the previous release)');
  const reporter = new Reporter(systemClock);
  const aws = createAwsGateway(requireSetting(settings, 'AWS_REGION', 'the region of the AMIs'));
  const protectedAmis = await amisUsedBy(environments, settings, aws, reporter);
  const result = await cleanupAmis(
    { aws, reporter },
    {
      keep,
      filters: [
        { name: 'name', values: [AMI_NAME_PATTERN] },
        { name: 'tag-key', values: [AMI_TAGS.gitSha] },
      ],
      protectedAmis,
      dryRun: args.values['dry-run'] === true,
    },
  );
  await publishResult(result, join(repoRoot, 'dist/deploy/cleanup-amis-result.json'));
  return exitCodeFor(result.outcome);
});

/** Any failure here aborts the run: an AMI we could not check is an AMI we must not delete. */
async function amisUsedBy(environments: string[], settings: Settings, aws: AwsGateway, reporter: Reporter) {
  const used = new Set<string>();
  for (const environment of environments) {
    reporter.step(`state-${environment}`, `Read which AMIs ${environment} uses`);
    const outputs = await terraformFor(environment, settings, reporter).outputs();
    if (!outputs) {
      reporter.end('skipped', `no stack in ${environment}`);
      continue;
    }
    const record = parseDeployRecord(await aws.readParameter(outputs.deployStateParameter));
    for (const color of COLORS) used.add(outputs.slots[color].amiId);
    for (const release of [record?.previous, record?.colors.blue, record?.colors.green]) {
      if (release) used.add(release.ami_id);
    }
    reporter.end('ok', `${environment}: ${[...used].join(', ')}`);
  }
  return used;
}
