/**
 * Workstation / CI preparation: check the tools the pipeline calls, create the local output folders and seed
 * `.env.deploy` from the example (never overwriting an existing one).
 */
import { existsSync } from 'node:fs';
import { chmod, copyFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';

export interface Tool {
  name: string;
  /** How to ask the installed tool its version, and how to read the version from its answer. */
  command: [string, ...string[]];
  parse: (output: string) => string | null;
  minimum: string;
  neededFor: string;
}

export const TOOLS: Tool[] = [
  {
    name: 'node',
    command: ['node', '--version'],
    parse: semver,
    minimum: '22.12.0',
    neededFor: 'everything',
  },
  { name: 'npm', command: ['npm', '--version'], parse: semver, minimum: '10.0.0', neededFor: 'everything' },
  { name: 'git', command: ['git', '--version'], parse: semver, minimum: '2.30.0', neededFor: 'commit ids' },
  {
    name: 'terraform',
    command: ['terraform', 'version'],
    parse: semver,
    minimum: '1.10.0',
    neededFor: 'deploy, rollback, drift',
  },
  // packer/bland-mcp.pkr.hcl declares required_version >= 1.14.0.
  { name: 'packer', command: ['packer', 'version'], parse: semver, minimum: '1.14.0', neededFor: 'bake' },
  {
    name: 'aws',
    command: ['aws', '--version'],
    parse: semver,
    minimum: '2.0.0',
    neededFor: 'manual operations (docs/operations.md)',
  },
];

export function semver(output: string): string | null {
  return /(\d+\.\d+\.\d+)/.exec(output)?.[1] ?? null;
}

export function atLeast(version: string, minimum: string): boolean {
  const a = version.split('.').map(Number);
  const b = minimum.split('.').map(Number);
  for (let i = 0; i < 3; i++) if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) > (b[i] ?? 0);
  return true;
}

export interface ToolStatus {
  tool: Tool;
  version: string | null;
  ok: boolean;
}

export async function checkTools(
  probe: (command: string[]) => Promise<string | null>,
): Promise<ToolStatus[]> {
  return Promise.all(
    TOOLS.map(async (tool) => {
      const output = await probe(tool.command);
      const version = output === null ? null : tool.parse(output);
      return { tool, version, ok: version !== null && atLeast(version, tool.minimum) };
    }),
  );
}

/** Returns what it did (or, in a dry run, would do), one line per action. */
export async function prepareWorkspace(root: string, dryRun: boolean): Promise<string[]> {
  const actions: string[] = [];
  for (const dir of ['dist/release', 'dist/deploy']) {
    if (existsSync(join(root, dir))) continue;
    actions.push(`create ${dir}/`);
    if (!dryRun) await mkdir(join(root, dir), { recursive: true });
  }
  const target = join(root, '.env.deploy');
  if (existsSync(target)) {
    actions.push('keep the existing .env.deploy');
  } else {
    actions.push('copy .env.deploy.example to .env.deploy (fill it in; it is git-ignored)');
    if (!dryRun) {
      await copyFile(join(root, '.env.deploy.example'), target);
      await chmod(target, 0o600); // it will hold secrets
    }
  }
  return actions;
}
