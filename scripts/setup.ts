#!/usr/bin/env node
/**
 * Prepare a workstation or CI checkout for the pipeline:
 *   1. check node, npm, git, terraform, packer and the AWS CLI (version and what each is needed for)
 *   2. create dist/release and dist/deploy
 *   3. copy .env.deploy.example to .env.deploy if there is none (never overwrites)
 * Exit status 1 when node is too old or a tool named in --require is missing or too old.
 */
import { $ } from 'zx';
import { UsageError, main, parseCommand, repoRoot, stringOption, type CommandSpec } from './lib/cli.ts';
import { TOOLS, checkTools, prepareWorkspace } from './lib/setup.ts';

const spec: CommandSpec = {
  name: 'setup',
  summary: 'check tools and prepare local deploy files',
  usage: 'node scripts/setup.ts [--require terraform,packer,aws]',
  options: {
    require: {
      type: 'string',
      placeholder: 'TOOLS',
      description: 'Comma-separated tools that must be present (CI).',
    },
  },
};

await main(async () => {
  const args = parseCommand(spec);
  if (!args) return 0;
  const required = new Set([
    'node',
    ...(stringOption(args.values, 'require') ?? '').split(',').filter(Boolean),
  ]);
  const unknown = [...required].filter((name) => !TOOLS.some((t) => t.name === name));
  if (unknown.length) throw new UsageError(`unknown tool(s): ${unknown.join(', ')}`);

  const statuses = await checkTools(async ([cmd, ...rest]) => {
    const out = await $({ quiet: true, nothrow: true })`${cmd} ${rest}`;
    return out.exitCode === 0 ? out.stdout + out.stderr : null;
  });
  let failed = false;
  for (const { tool, version, ok } of statuses) {
    const mark = ok ? '✓' : required.has(tool.name) ? '✗' : '⚠';
    const state = version ? `${version}${ok ? '' : ` (need ≥ ${tool.minimum})`}` : 'not found';
    console.log(`${mark} ${tool.name.padEnd(10)} ${state.padEnd(24)} for ${tool.neededFor}`);
    if (!ok && required.has(tool.name)) failed = true;
  }
  for (const action of await prepareWorkspace(repoRoot, args.values['dry-run'] === true)) {
    console.log(`${args.values['dry-run'] ? 'would ' : ''}${action}`);
  }
  return failed ? 1 : 0;
});
