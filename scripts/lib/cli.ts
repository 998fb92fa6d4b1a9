/**
 * What every script shares: argument parsing with generated `--help` (every command also gets `--dry-run`),
 * `.env.deploy` loading, repository facts (root, commit, version) and one top-level error handler.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

export interface OptionSpec {
  type: 'string' | 'boolean';
  description: string;
  placeholder?: string;
  multiple?: boolean;
}

export interface CommandSpec {
  name: string;
  summary: string;
  usage: string;
  options: Record<string, OptionSpec>;
  notes?: string[];
}

export class UsageError extends Error {}

export type Values = Record<string, string | boolean | string[] | undefined>;

const COMMON: Record<string, OptionSpec> = {
  'dry-run': { type: 'boolean', description: 'Print what would happen; change nothing.' },
  help: { type: 'boolean', description: 'Show this help.' },
};

export function helpText(spec: CommandSpec): string {
  const options = { ...spec.options, ...COMMON };
  const rows = Object.entries(options).map(([name, o]) => {
    const flag = `--${name}${o.type === 'string' ? ` ${o.placeholder ?? 'VALUE'}` : ''}`;
    return `  ${flag.padEnd(28)} ${o.description}${o.multiple ? ' (repeatable)' : ''}`;
  });
  return [
    `${spec.name} — ${spec.summary}`,
    '',
    `Usage: ${spec.usage}`,
    '',
    'Options:',
    ...rows,
    '',
    ...(spec.notes ?? []),
  ]
    .join('\n')
    .trimEnd();
}

/** Parses argv; prints help and returns null for --help. Unknown options are errors, not ignored. */
export function parseCommand(
  spec: CommandSpec,
  argv = process.argv.slice(2),
): { values: Values; positionals: string[] } | null {
  const options = Object.fromEntries(
    Object.entries({ ...spec.options, ...COMMON }).map(([name, o]) => [
      name,
      { type: o.type, multiple: o.multiple === true },
    ]),
  );
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (parsed.values.help) {
    console.log(helpText(spec));
    return null;
  }
  return { values: parsed.values as Values, positionals: parsed.positionals };
}

export function stringOption(values: Values, name: string): string | undefined {
  const value = values[name];
  return typeof value === 'string' ? value : undefined;
}

export function numberOption(values: Values, name: string): number | undefined {
  const text = stringOption(values, name);
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isFinite(n) || n < 0)
    throw new UsageError(`--${name} expects a non-negative number, got "${text}"`);
  return n;
}

/** The one environment argument, checked against the Terraform roots that exist. */
export function environmentArgument(positionals: string[]): string {
  const [environment, ...rest] = positionals;
  if (!environment) throw new UsageError('missing <environment> (e.g. production)');
  if (rest.length) throw new UsageError(`unexpected arguments: ${rest.join(' ')}`);
  if (!/^[a-z][a-z0-9-]*$/.test(environment) || !existsSync(join(repoRoot, 'terraform/envs', environment))) {
    throw new UsageError(`unknown environment "${environment}": no terraform/envs/${environment}`);
  }
  return environment;
}

/** Loads `.env.deploy` if present; variables already set (CI secrets) win. */
export function loadDeployEnv(file = join(repoRoot, '.env.deploy')): void {
  if (existsSync(file)) process.loadEnvFile(file);
}

export function currentGitSha(): string {
  if (process.env.GITHUB_SHA) return process.env.GITHUB_SHA;
  return execFileSync('git', ['rev-parse', 'HEAD'], { cwd: repoRoot, encoding: 'utf8' }).trim();
}

export function packageVersion(): string {
  return (JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string }).version;
}

export function githubRunUrl(): string | null {
  const { GITHUB_SERVER_URL, GITHUB_REPOSITORY, GITHUB_RUN_ID } = process.env;
  return GITHUB_SERVER_URL && GITHUB_REPOSITORY && GITHUB_RUN_ID
    ? `${GITHUB_SERVER_URL}/${GITHUB_REPOSITORY}/actions/runs/${GITHUB_RUN_ID}`
    : null;
}

/** Runs a script body: one place that prints errors and sets the exit code (2 for usage errors). */
export async function main(body: () => Promise<number>): Promise<void> {
  try {
    process.exitCode = await body();
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(`error: ${error.message}\n(run with --help for usage)`);
      process.exitCode = 2;
      return;
    }
    console.error(`error: ${error instanceof Error ? error.message : String(error)}`);
    if (error instanceof Error && error.cause) console.error('caused by:', error.cause);
    process.exitCode = 1;
  }
}
