// Finds the terraform binary and the offline AWS provider mirror, and runs terraform
// against a private copy of terraform/ so tests never write into the work tree.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { repoRoot } from './hcl.js';

const execFileAsync = promisify(execFile);

export const AWS_PROVIDER_VERSION = '5.100.0';
/** A full `terraform test` of the production root takes ~25 s on 2 cores; leave headroom. */
export const TERRAFORM_TIMEOUT_MS = 180_000;
const DEFAULT_PLUGIN_DIR = '/opt/tf-plugins';

export type Toolchain = { available: true; pluginDir: string } | { available: false; reason: string };

function mirrorHasAwsProvider(dir: string): boolean {
  return existsSync(path.join(dir, 'registry.terraform.io/hashicorp/aws', AWS_PROVIDER_VERSION));
}

export async function findToolchain(): Promise<Toolchain> {
  const candidates = [process.env.TF_PLUGIN_DIR, process.env.TF_PLUGIN_MIRROR, DEFAULT_PLUGIN_DIR].filter(
    (dir): dir is string => Boolean(dir),
  );
  const pluginDir = candidates.find(mirrorHasAwsProvider);
  if (!pluginDir) {
    return {
      available: false,
      reason: `no hashicorp/aws ${AWS_PROVIDER_VERSION} provider mirror in ${candidates.join(', ')} (set TF_PLUGIN_DIR)`,
    };
  }
  try {
    await execFileAsync('terraform', ['version'], { env: terraformEnv() });
  } catch {
    return { available: false, reason: 'terraform is not on PATH' };
  }
  return { available: true, pluginDir };
}

/** No CLI config (so no network mirrors or credentials), no update checks, no prompts. */
function terraformEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    ...process.env,
    TF_CLI_CONFIG_FILE: '/dev/null',
    CHECKPOINT_DISABLE: '1',
    TF_IN_AUTOMATION: '1',
    TF_INPUT: '0',
    ...extra,
  };
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** A throw-away copy of terraform/ with one data directory per root. */
export class TerraformSandbox {
  private constructor(
    readonly dir: string,
    private readonly pluginDir: string,
  ) {}

  static async create(pluginDir: string): Promise<TerraformSandbox> {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'bland-mcp-terraform-'));
    await cp(path.join(repoRoot, 'terraform'), path.join(dir, 'terraform'), {
      recursive: true,
      filter: (source) => path.basename(source) !== '.terraform',
    });
    return new TerraformSandbox(dir, pluginDir);
  }

  async run(root: string, args: string[]): Promise<RunResult> {
    const cwd = path.join(this.dir, root);
    const env = terraformEnv({ TF_DATA_DIR: path.join(this.dir, '.data', root.replaceAll('/', '_')) });
    try {
      const { stdout, stderr } = await execFileAsync('terraform', args, {
        cwd,
        env,
        maxBuffer: 64 * 1024 * 1024,
      });
      return { code: 0, stdout, stderr };
    } catch (error) {
      const failure = error as { code?: number; stdout?: string; stderr?: string };
      return {
        code: failure.code ?? 1,
        stdout: failure.stdout ?? '',
        stderr: failure.stderr ?? String(error),
      };
    }
  }

  init(root: string): Promise<RunResult> {
    return this.run(root, [
      'init',
      '-backend=false',
      '-input=false',
      '-no-color',
      `-plugin-dir=${this.pluginDir}`,
    ]);
  }

  async dispose(): Promise<void> {
    await rm(this.dir, { recursive: true, force: true });
  }
}

/** In CI a missing toolchain is a failure; on a newcomer's machine, a loud skip. */
export function reportMissingToolchain(toolchain: Toolchain, suite: string): boolean {
  if (toolchain.available) return false;
  if (!process.env.CI) {
    console.warn(
      `\n${'!'.repeat(100)}\n! SKIPPING ${suite}: ${toolchain.reason}.\n! These checks run in CI; ` +
        `install terraform 1.10+ and the AWS provider mirror to run them here.\n${'!'.repeat(100)}\n`,
    );
  }
  return true;
}
