/** Runs an external tool through zx, streaming its stdout line by line to a log while it runs. */
import { $ } from 'zx';

export interface CommandResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

export interface CommandOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Receives each stdout line as it arrives (long builds and applies stay visible). */
  log?: (line: string) => void;
  /** Return non-zero exits instead of throwing (for tools whose exit code carries meaning). */
  nothrow?: boolean;
}

export async function runCommand(
  cmd: string,
  args: string[],
  options: CommandOptions = {},
): Promise<CommandResult> {
  const proc = $({
    cwd: options.cwd,
    env: options.env ?? process.env,
    quiet: true,
    nothrow: true,
  })`${cmd} ${args}`;
  if (options.log) for await (const line of proc) if (line.trim()) options.log(line);
  const out = await proc;
  const result = { exitCode: out.exitCode ?? 1, stdout: out.stdout, stderr: out.stderr };
  if (result.exitCode !== 0 && !options.nothrow) {
    const why = result.stderr.trim() || result.stdout.trim().split('\n').slice(-20).join('\n');
    throw new Error(`${cmd} ${args[0] ?? ''} failed (exit ${result.exitCode}):\n${why}`);
  }
  return result;
}
