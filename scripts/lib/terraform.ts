/**
 * The Terraform adapter. Flows depend on the two interfaces; `TerraformCli` runs the real binary.
 * Drift detection receives a `TerraformReader`, which has no way to apply.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCommand } from './proc.ts';
import { parseStackOutputs, type StackOutputs, type StackVars } from './stack.ts';

export interface PlanResult {
  changed: boolean;
  /** Terraform's one-line verdict, e.g. "Plan: 0 to add, 1 to change, 0 to destroy." */
  summary: string;
  text: string;
}

export interface PlanOptions {
  /** false: read-only callers (drift) must never take or wait for the state lock. */
  lock?: boolean;
  /** Compare AWS with the state only, not the state with the configuration. */
  refreshOnly?: boolean;
}

export interface TerraformReader {
  init(): Promise<void>;
  outputs(): Promise<StackOutputs | null>;
  plan(vars: StackVars, options?: PlanOptions): Promise<PlanResult>;
}

export interface TerraformRunner extends TerraformReader {
  /** Plans, and applies that exact plan when it has changes. */
  apply(vars: StackVars): Promise<PlanResult>;
}

export interface TerraformCliOptions {
  /** The root module, e.g. terraform/envs/production. */
  dir: string;
  /** `-backend-config` values (`key=value` pairs or a file path); empty for a local backend. */
  backendConfig: string[];
  binary?: string;
  /** Receives Terraform's human output (plans, apply logs) line by line. */
  log?: (text: string) => void;
}

export function summaryLine(planText: string): string {
  const match =
    /^(Plan: .*|No changes\..*|Changes to Outputs:.*|Terraform detected the following changes.*)$/m.exec(
      planText,
    );
  return match?.[1]?.trim() ?? 'plan produced no summary line';
}

export class TerraformCli implements TerraformRunner {
  private readonly options: Required<TerraformCliOptions>;
  private initialized = false;

  constructor(options: TerraformCliOptions) {
    this.options = { binary: 'terraform', log: () => undefined, ...options };
  }

  async init(): Promise<void> {
    if (this.initialized) return;
    const backend = this.options.backendConfig.map((value) => `-backend-config=${value}`);
    // -reconfigure: the backend is given in full every time, so never try to migrate from a previous one.
    await this.run(['init', '-input=false', '-no-color', '-reconfigure', ...backend]);
    this.initialized = true;
  }

  async outputs(): Promise<StackOutputs | null> {
    await this.init();
    const out = await this.run(['output', '-json', '-no-color'], { quiet: true });
    return parseStackOutputs(JSON.parse(out.stdout));
  }

  plan(vars: StackVars, options: PlanOptions = {}): Promise<PlanResult> {
    return this.withVarFile(vars, (varFile) => this.planInto(varFile, null, options));
  }

  apply(vars: StackVars): Promise<PlanResult> {
    return this.withVarFile(vars, async (varFile, workDir) => {
      const planFile = join(workDir, 'tfplan');
      const plan = await this.planInto(varFile, planFile, { lock: true });
      // Applying the saved plan guarantees that what was printed is exactly what changes.
      if (plan.changed) await this.run(['apply', '-input=false', '-no-color', '-lock-timeout=5m', planFile]);
      return plan;
    });
  }

  private async planInto(
    varFile: string,
    planFile: string | null,
    options: PlanOptions,
  ): Promise<PlanResult> {
    await this.init();
    const args = ['plan', '-input=false', '-no-color', '-detailed-exitcode', `-var-file=${varFile}`];
    args.push(options.lock === false ? '-lock=false' : '-lock-timeout=5m');
    if (options.refreshOnly) args.push('-refresh-only');
    if (planFile) args.push(`-out=${planFile}`);
    const out = await this.run(args, { nothrow: true });
    // -detailed-exitcode: 0 = no changes, 2 = changes, anything else = error.
    if (out.exitCode !== 0 && out.exitCode !== 2) {
      throw new Error(
        `terraform plan failed (exit ${out.exitCode}):\n${out.stderr.trim() || out.stdout.trim()}`,
      );
    }
    return { changed: out.exitCode === 2, summary: summaryLine(out.stdout), text: out.stdout };
  }

  private async withVarFile<T>(vars: StackVars, fn: (file: string, dir: string) => Promise<T>): Promise<T> {
    const dir = await mkdtemp(join(tmpdir(), 'bland-tf-'));
    try {
      const file = join(dir, 'pipeline.auto.tfvars.json');
      await writeFile(file, JSON.stringify(vars, null, 2));
      return await fn(file, dir);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  private run(args: string[], opts: { quiet?: boolean; nothrow?: boolean } = {}) {
    const { dir, binary, log } = this.options;
    return runCommand(binary, [`-chdir=${dir}`, ...args], {
      env: { ...process.env, TF_IN_AUTOMATION: '1' },
      log: opts.quiet ? undefined : log,
      nothrow: opts.nothrow,
    });
  }
}

/**
 * Backend settings for `terraform init`: a file (TF_BACKEND_CONFIG, where `{env}` stands for the environment)
 * or the bucket and its region. Each root names its own state key, so nothing account-specific lives in git.
 */
export function backendConfigFor(
  environment: string,
  env: { TF_BACKEND_CONFIG?: string; TF_STATE_BUCKET?: string; TF_STATE_REGION?: string },
): string[] {
  if (env.TF_BACKEND_CONFIG) return [env.TF_BACKEND_CONFIG.replaceAll('{env}', environment)];
  if (!env.TF_STATE_BUCKET || !env.TF_STATE_REGION) {
    throw new Error(
      'set TF_STATE_BUCKET and TF_STATE_REGION (or TF_BACKEND_CONFIG) to reach the Terraform state',
    );
  }
  return [`bucket=${env.TF_STATE_BUCKET}`, `region=${env.TF_STATE_REGION}`];
}
