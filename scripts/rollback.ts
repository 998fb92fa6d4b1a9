#!/usr/bin/env node
/**
 * Roll an environment back:
 *   --to previous (default)  switch to the release that served before the current one; it is normally still
 *                            warm on the standby colour, so this is a health check, a smoke test and a switch
 *   --to ami-…               put that AMI on the standby colour, then health, smoke and switch
 *   --recover                settle an interrupted deploy/rollback: if traffic had started to move, move it back
 * A rerun after a successful rollback changes nothing.
 */
import { join } from 'node:path';
import {
  UsageError,
  environmentArgument,
  githubRunUrl,
  loadDeployEnv,
  main,
  numberOption,
  parseCommand,
  repoRoot,
  stringOption,
  type CommandSpec,
} from './lib/cli.ts';
import { createPipeline, lambdaZipFor, promoteSettings } from './lib/context.ts';
import { exitCodeFor, publishResult } from './lib/reporter.ts';
import { recover, rollback } from './lib/rollback-flow.ts';
import { loadSettings } from './lib/settings.ts';

/** A rollback returns to a release that has already served: a shorter watch is enough to confirm it. */
const ROLLBACK_BAKE_MINUTES = 5;

const spec: CommandSpec = {
  name: 'rollback',
  summary: 'switch an environment back to the previous release or to a given AMI',
  usage:
    'node scripts/rollback.ts <environment> [--to previous|AMI] --reason TEXT | --recover [--git-sha SHA]',
  options: {
    to: { type: 'string', placeholder: 'previous|AMI', description: 'Target release (default: previous).' },
    reason: {
      type: 'string',
      placeholder: 'TEXT',
      description: 'Why, for the deploy record. Required unless --recover.',
    },
    recover: {
      type: 'boolean',
      description: 'Settle an interrupted deploy or rollback (used by the workflow).',
    },
    'git-sha': {
      type: 'string',
      placeholder: 'SHA',
      description: 'With --recover: only settle an operation of this commit.',
    },
    'lambda-zip': {
      type: 'string',
      placeholder: 'PATH',
      description: 'Poller bundle (default: dist/lambda/poller.zip).',
    },
    'bake-minutes': {
      type: 'string',
      placeholder: 'N',
      description: `Alarm watch after the switch (default ${ROLLBACK_BAKE_MINUTES}).`,
    },
    'skip-smoke': {
      type: 'boolean',
      description: 'Emergency only: switch without smoke-testing the target.',
    },
    force: { type: 'boolean', description: 'Start although an earlier operation did not finish.' },
  },
  notes: ['Exit status: 0 done or nothing to do; 1 failed; 2 usage error.'],
};

await main(async () => {
  const args = parseCommand(spec);
  if (!args) return 0;
  const { values, positionals } = args;
  const environment = environmentArgument(positionals);
  const dryRun = values['dry-run'] === true;
  // --recover runs after any failure, also one before the bundle was downloaded; it only applies (and so only
  // needs the bundle) when traffic had moved, which means the deploy had it.
  const lambdaZip = lambdaZipFor(environment, values, !dryRun && values.recover !== true).variable;

  loadDeployEnv();
  const settings = loadSettings();
  const deps = createPipeline(environment, settings);
  const result = values.recover
    ? await recover(deps, {
        environment,
        gitSha: stringOption(values, 'git-sha') ?? null,
        lambdaZipPath: lambdaZip,
        dryRun,
      })
    : await rollback(deps, {
        environment,
        to: stringOption(values, 'to') ?? 'previous',
        dryRun,
        force: values.force === true,
        promote: {
          environment,
          lambdaZipPath: lambdaZip,
          reason: requiredReason(stringOption(values, 'reason')),
          runUrl: githubRunUrl(),
          settings: promoteSettings(settings, {
            bakeMinutes: numberOption(values, 'bake-minutes') ?? ROLLBACK_BAKE_MINUTES,
            canaryPercent: 0,
            skipSmoke: values['skip-smoke'] === true,
          }),
        },
      });
  await publishResult(result, join(repoRoot, `dist/deploy/${result.operation}-result.json`));
  return exitCodeFor(result.outcome);
});

function requiredReason(reason: string | undefined): string {
  if (!reason?.trim())
    throw new UsageError('--reason is required: the deploy record keeps why traffic was moved');
  return reason.trim();
}
