/**
 * Drift detection: plan the live configuration (colours, AMIs and release variables exactly as the last apply
 * set them) without a lock and report whether anything would change. It receives a TerraformReader, which
 * cannot apply: drift is reported, never repaired, by this path.
 */
import { parseDeployRecord } from './deploy-record.ts';
import type { AwsGateway } from './aws.ts';
import type { Reporter } from './reporter.ts';
import { stackVars, topologyOf } from './stack.ts';
import type { PlanResult, TerraformReader } from './terraform.ts';

export type DriftResult =
  | { status: 'in-sync'; plan: PlanResult }
  | { status: 'drift'; plan: PlanResult }
  | { status: 'busy'; why: string }
  | { status: 'no-stack' };

export interface DriftRequest {
  environment: string;
  lambdaZipPath: string;
  /**
   * refresh-only (the nightly check): does AWS still match the state? Independent of the variables, so it needs
   * no secrets. full: would an apply of this checkout change anything? Needs the real variable values.
   */
  mode: 'refresh-only' | 'full';
  /** Release values to use when the deploy record has none (a stack never deployed by the pipeline). */
  fallbackRelease: { git_sha: string; app_version: string };
}

export async function detectDrift(
  deps: { terraform: TerraformReader; aws: AwsGateway; reporter: Reporter },
  req: DriftRequest,
): Promise<DriftResult> {
  const { terraform, aws, reporter } = deps;
  reporter.step('read-state', `Read the live state of ${req.environment}`);
  await terraform.init();
  const outputs = await terraform.outputs();
  if (!outputs) return { status: 'no-stack' };
  const record = parseDeployRecord(await aws.readParameter(outputs.deployStateParameter));
  // A deploy in flight changes the stack between our reads: what we would report is its progress, not drift.
  if (record?.last.status === 'in_progress') {
    return {
      status: 'busy',
      why: `a ${record.last.operation} started ${record.last.started_at} is in progress`,
    };
  }
  const applied = record?.applied;
  if (!applied)
    reporter.warn('the deploy record holds no applied release: using this checkout for git_sha/app_version');
  const vars = stackVars(topologyOf(outputs), {
    ...(applied ?? req.fallbackRelease),
    lambda_zip_path: req.lambdaZipPath,
  });
  const refreshOnly = req.mode === 'refresh-only';
  reporter.step(
    'plan',
    `terraform plan -detailed-exitcode -lock=false${refreshOnly ? ' -refresh-only' : ''}`,
  );
  const plan = await terraform.plan(vars, { lock: false, refreshOnly });
  reporter.end(plan.changed ? 'failed' : 'ok', plan.summary);
  return { status: plan.changed ? 'drift' : 'in-sync', plan };
}
