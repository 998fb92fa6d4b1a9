#!/usr/bin/env node
/**
 * Bake the application AMI with Packer: packer init → validate → build, tagged with the app version and git
 * sha. If an AMI of this commit already exists it is reused (use --force to rebuild). Prints the AMI id on the
 * last line; with --github-output also writes `ami_id=…` to $GITHUB_OUTPUT for the next job.
 */
import { appendFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import {
  UsageError,
  currentGitSha,
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
import { PackerCli, bake } from './lib/packer.ts';
import { Reporter } from './lib/reporter.ts';
import { loadSettings } from './lib/settings.ts';

const spec: CommandSpec = {
  name: 'bake',
  summary: 'build the application AMI with Packer and print its id',
  usage: 'node scripts/bake.ts [--app-archive PATH] [--region R] [--force] [--github-output]',
  options: {
    'app-archive': {
      type: 'string',
      placeholder: 'PATH',
      description: 'Default: dist/release/bland-mcp-app.tar.gz.',
    },
    'git-sha': { type: 'string', placeholder: 'SHA', description: 'Commit being baked (default: HEAD).' },
    'app-version': { type: 'string', placeholder: 'V', description: 'Default: package.json version.' },
    region: { type: 'string', placeholder: 'R', description: 'Default: AWS_REGION.' },
    force: { type: 'boolean', description: 'Build even if an AMI of this commit exists.' },
    'github-output': { type: 'boolean', description: 'Append ami_id=… to $GITHUB_OUTPUT.' },
  },
  notes: ['--dry-run runs packer init and validate but not the build.'],
};

await main(async () => {
  const args = parseCommand(spec);
  if (!args) return 0;
  const { values } = args;
  if (args.positionals.length) throw new UsageError(`unexpected arguments: ${args.positionals.join(' ')}`);
  loadDeployEnv();
  const settings = loadSettings();
  const region = stringOption(values, 'region') ?? settings.AWS_REGION;
  if (!region) throw new UsageError('set --region or AWS_REGION');
  const appArchive = join(
    repoRoot,
    stringOption(values, 'app-archive') ?? 'dist/release/bland-mcp-app.tar.gz',
  );
  if (!existsSync(appArchive))
    throw new UsageError(`${appArchive} is missing: run node scripts/package-app.ts`);

  const reporter = new Reporter(systemClock);
  const packer = new PackerCli({
    // The directory, not bland-mcp.pkr.hcl alone: the template's variables live in a sibling file.
    template: join(repoRoot, 'packer'),
    manifest: join(repoRoot, 'packer/manifest.json'),
    log: (line) => reporter.info(`packer │ ${line}`),
  });
  const result = await bake(
    { packer, aws: createAwsGateway(region), reporter },
    {
      vars: {
        app_version: stringOption(values, 'app-version') ?? packageVersion(),
        git_sha: stringOption(values, 'git-sha') ?? currentGitSha(),
        region,
        app_archive: appArchive,
      },
      force: values.force === true,
      dryRun: values['dry-run'] === true,
    },
  );
  if (!result.amiId) return 0;
  if (values['github-output']) {
    if (!process.env.GITHUB_OUTPUT)
      throw new UsageError('--github-output needs $GITHUB_OUTPUT (GitHub Actions)');
    await appendFile(process.env.GITHUB_OUTPUT, `ami_id=${result.amiId}\nreused=${result.reused}\n`);
  }
  console.log(result.amiId);
  return 0;
});
