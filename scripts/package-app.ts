#!/usr/bin/env node
/**
 * Build the application archive Packer bakes into the AMI (dist/release/bland-mcp-app.tar.gz):
 *   1. npm run build (skip with --skip-build when CI already built)
 *   2. stage dist/ (+ build-info.json with the commit), package.json, package-lock.json,
 *      supabase/migrations/ and console/dist/ when present
 *   3. npm ci --omit=dev for the AMI's platform (linux/arm64 by default)
 *   4. tar + gzip, print size and sha256
 */
import { join } from 'node:path';
import {
  UsageError,
  currentGitSha,
  main,
  parseCommand,
  repoRoot,
  stringOption,
  type CommandSpec,
} from './lib/cli.ts';
import { packageApp } from './lib/package-app.ts';

const spec: CommandSpec = {
  name: 'package-app',
  summary: 'build the application archive for the AMI',
  usage: 'node scripts/package-app.ts [--skip-build] [--cpu arm64|x64|host] [--output PATH]',
  options: {
    'skip-build': { type: 'boolean', description: 'Use the existing dist/ (CI builds before testing).' },
    cpu: {
      type: 'string',
      placeholder: 'CPU',
      description: 'Platform of production dependencies: arm64 (default, Graviton), x64, or host.',
    },
    output: {
      type: 'string',
      placeholder: 'PATH',
      description: 'Default: dist/release/bland-mcp-app.tar.gz.',
    },
    'git-sha': {
      type: 'string',
      placeholder: 'SHA',
      description: 'Commit recorded in dist/build-info.json (default: HEAD).',
    },
  },
};

await main(async () => {
  const args = parseCommand(spec);
  if (!args) return 0;
  const { values } = args;
  if (args.positionals.length) throw new UsageError(`unexpected arguments: ${args.positionals.join(' ')}`);
  const cpu = stringOption(values, 'cpu') ?? 'arm64';
  if (!['arm64', 'x64', 'host'].includes(cpu)) throw new UsageError('--cpu must be arm64, x64 or host');
  const result = await packageApp({
    root: repoRoot,
    output: join(repoRoot, stringOption(values, 'output') ?? 'dist/release/bland-mcp-app.tar.gz'),
    gitSha: stringOption(values, 'git-sha') ?? currentGitSha(),
    builtAt: new Date().toISOString(),
    build: values['skip-build'] !== true,
    cpu: cpu === 'host' ? null : cpu,
    dryRun: values['dry-run'] === true,
    log: (line) => console.log(line),
  });
  if (result.bytes > 0) {
    console.log(`${result.archive}: ${(result.bytes / 1024 / 1024).toFixed(1)} MiB, sha256 ${result.sha256}`);
  }
  return 0;
});
