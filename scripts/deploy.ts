#!/usr/bin/env node
/**
 * Blue-green deploy of one AMI to one environment:
 *   1. read the live state (Terraform outputs, deploy record in SSM)
 *   2. put the AMI on the standby colour (terraform apply, traffic unchanged)
 *   3. wait until that colour runs it with every target healthy
 *   4. smoke-test that colour directly (health, /version, MCP tools/list + get_credit_balance)
 *   4b. publish the console build to the static bucket (hashed assets first, then index.html)
 *   5. optional canary, then switch active_color
 *   6. bake: watch the alarms; on any failure switch back and exit non-zero
 *   7. record the outcome in SSM
 * Rerunning a finished deploy changes nothing.
 */
import { join } from 'node:path';
import {
  UsageError,
  currentGitSha,
  environmentArgument,
  githubRunUrl,
  loadDeployEnv,
  main,
  numberOption,
  packageVersion,
  parseCommand,
  repoRoot,
  stringOption,
  type CommandSpec,
} from './lib/cli.ts';
import { readConsoleBuild } from './lib/console-assets.ts';
import { consoleDirFor, createPipeline, lambdaZipFor, promoteSettings } from './lib/context.ts';
import { deploy } from './lib/deploy-flow.ts';
import { exitCodeFor, publishResult } from './lib/reporter.ts';
import { loadSettings } from './lib/settings.ts';
import { AMI_ID } from './lib/stack.ts';

const spec: CommandSpec = {
  name: 'deploy',
  summary: 'blue-green deploy of an AMI (standby colour → health → smoke → switch → bake)',
  usage: 'node scripts/deploy.ts <environment> --ami AMI [options]',
  options: {
    ami: {
      type: 'string',
      placeholder: 'AMI',
      description: 'AMI to deploy (printed by scripts/bake.ts). Required.',
    },
    'git-sha': {
      type: 'string',
      placeholder: 'SHA',
      description: 'Commit the AMI was built from (default: HEAD).',
    },
    'app-version': {
      type: 'string',
      placeholder: 'V',
      description: 'Application version (default: package.json).',
    },
    'lambda-zip': {
      type: 'string',
      placeholder: 'PATH',
      description: 'Poller bundle (default: dist/lambda/poller.zip).',
    },
    'bake-minutes': {
      type: 'string',
      placeholder: 'N',
      description: 'Alarm watch after the switch (DEPLOY_BAKE_MINUTES).',
    },
    'canary-percent': {
      type: 'string',
      placeholder: 'N',
      description: 'Canary share before the switch, 0 = none.',
    },
    'console-dir': {
      type: 'string',
      placeholder: 'DIR',
      description:
        'Console build to publish (default: console/dist of dist/release/bland-mcp-app.tar.gz if present, else console/dist).',
    },
    reason: { type: 'string', placeholder: 'TEXT', description: 'Why, for the deploy record.' },
    force: { type: 'boolean', description: 'Start although an earlier deploy did not finish.' },
  },
  notes: [
    'Settings come from the environment or .env.deploy (see .env.deploy.example).',
    'Exit status: 0 deployed or nothing to do; 1 failed or switched back; 2 usage error.',
  ],
};

await main(async () => {
  const args = parseCommand(spec);
  if (!args) return 0;
  const { values, positionals } = args;
  const environment = environmentArgument(positionals);
  const ami = stringOption(values, 'ami');
  if (!ami || !AMI_ID.test(ami)) throw new UsageError('--ami must be an AMI id (ami-…)');
  const dryRun = values['dry-run'] === true;
  const lambdaZip = lambdaZipFor(environment, values, !dryRun);
  // Read before anything changes: a deploy without a console build would leave /console/ stale or empty.
  const consoleBuild = await readConsoleBuild(await consoleDirFor(values));

  loadDeployEnv();
  const settings = loadSettings();
  const deps = createPipeline(environment, settings);
  const release = {
    ami_id: ami,
    git_sha: stringOption(values, 'git-sha') ?? currentGitSha(),
    app_version: stringOption(values, 'app-version') ?? packageVersion(),
  };
  const result = await deploy(
    deps,
    {
      environment,
      operation: 'deploy',
      target: release,
      runVars: {
        git_sha: release.git_sha,
        app_version: release.app_version,
        lambda_zip_path: lambdaZip.variable,
      },
      reason: stringOption(values, 'reason') ?? null,
      runUrl: githubRunUrl(),
      revertOnFailure: true,
      console: consoleBuild,
      settings: promoteSettings(settings, {
        bakeMinutes: numberOption(values, 'bake-minutes'),
        canaryPercent: numberOption(values, 'canary-percent'),
      }),
    },
    { dryRun, force: values.force === true },
  );
  await publishResult(result, join(repoRoot, 'dist/deploy/deploy-result.json'));
  return exitCodeFor(result.outcome);
});
