/** The composition root: real adapters (Terraform CLI, AWS SDK, smoke test over HTTPS) wired from settings. */
import { existsSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { createAwsGateway } from './aws.ts';
import { UsageError, repoRoot, stringOption, type Values } from './cli.ts';
import { minutes, seconds, systemClock } from './clock.ts';
import type { PipelineDeps, PromoteSettings } from './promote.ts';
import { runCommand } from './proc.ts';
import { Reporter } from './reporter.ts';
import { requireSetting, type Settings } from './settings.ts';
import { runSmokeTest } from './smoke.ts';
import { backendConfigFor, TerraformCli } from './terraform.ts';

export function terraformFor(environment: string, settings: Settings, reporter: Reporter): TerraformCli {
  return new TerraformCli({
    dir: join(repoRoot, 'terraform/envs', environment),
    backendConfig: backendConfigFor(environment, settings),
    log: (line) => reporter.info(`tf │ ${line}`),
  });
}

export interface LambdaZip {
  /** Where the bundle is on this machine. */
  file: string;
  /**
   * The same file relative to the Terraform root, which is what `lambda_zip_path` gets: an absolute path would
   * differ between machines and show up as a change of the function's `filename` on every run.
   */
  variable: string;
}

export function lambdaZipFor(environment: string, values: Values, mustExist: boolean): LambdaZip {
  const file = join(repoRoot, stringOption(values, 'lambda-zip') ?? 'dist/lambda/poller.zip');
  if (mustExist && !existsSync(file)) throw new UsageError(`${file} is missing: run npm run package:lambda`);
  return { file, variable: relative(join(repoRoot, 'terraform/envs', environment), file) };
}

const RELEASE_ARCHIVE = 'dist/release/bland-mcp-app.tar.gz';

/**
 * Where the console build to publish comes from: `--console-dir` if given; else the release archive when present
 * (in CI, the tested artifact: the same console the AMI carries); else a local `console/dist`.
 */
export async function consoleDirFor(values: Values): Promise<string> {
  const explicit = stringOption(values, 'console-dir');
  if (explicit) return join(repoRoot, explicit);
  const archive = join(repoRoot, RELEASE_ARCHIVE);
  if (!existsSync(archive)) return join(repoRoot, 'console/dist');
  const into = await mkdtemp(join(tmpdir(), 'bland-mcp-console-'));
  await runCommand('tar', ['-xzf', archive, '-C', into, 'console/dist']);
  return join(into, 'console/dist');
}

export function createPipeline(environment: string, settings: Settings): PipelineDeps {
  const reporter = new Reporter(systemClock);
  return {
    terraform: terraformFor(environment, settings, reporter),
    aws: createAwsGateway(requireSetting(settings, 'AWS_REGION', 'the region of the stack')),
    smoke: (target) => runSmokeTest(target),
    clock: systemClock,
    reporter,
  };
}

export interface Overrides {
  bakeMinutes?: number;
  canaryPercent?: number;
  skipSmoke?: boolean;
}

export function promoteSettings(settings: Settings, overrides: Overrides): PromoteSettings {
  const smokeTarget = overrides.skipSmoke ? null : smokeTargetFrom(settings);
  return {
    healthTimeoutMs: minutes(settings.DEPLOY_HEALTH_TIMEOUT_MINUTES),
    pollMs: seconds(settings.DEPLOY_POLL_SECONDS),
    bakeMs: minutes(overrides.bakeMinutes ?? settings.DEPLOY_BAKE_MINUTES),
    canaryPercent: overrides.canaryPercent ?? settings.DEPLOY_CANARY_PERCENT,
    canaryMs: minutes(settings.DEPLOY_CANARY_MINUTES),
    smokeAttempts: 3,
    smokeTarget,
  };
}

/**
 * The smoke test reaches one colour through CloudFront: the ALB's preview rule forwards a request carrying the
 * preview token and a colour name to that colour's target group, whatever the weights say.
 */
function smokeTargetFrom(settings: Settings): PromoteSettings['smokeTarget'] {
  const apiKey = requireSetting(settings, 'SMOKE_API_KEY', 'the smoke user API key (or pass --skip-smoke)');
  const token = settings.SMOKE_PREVIEW_TOKEN ?? settings.TF_VAR_preview_token;
  if (!token)
    throw new Error(
      'set SMOKE_PREVIEW_TOKEN or TF_VAR_preview_token: the ALB preview token (or pass --skip-smoke)',
    );
  return (outputs, color) => ({
    baseUrl: settings.SMOKE_BASE_URL ?? `https://${outputs.cloudfrontDomain}`,
    headers: { [settings.SMOKE_PREVIEW_TOKEN_HEADER]: token, [settings.SMOKE_PREVIEW_COLOR_HEADER]: color },
    apiKey,
  });
}
