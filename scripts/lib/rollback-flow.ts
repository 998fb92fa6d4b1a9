/**
 * `rollback <environment> --to previous|AMI` and `rollback --recover`.
 *
 * - previous: the release that served before the current one. After a successful deploy it is still running on
 *   the standby colour, so the rollback is a health check, a smoke test and one switch. If the standby no
 *   longer runs it (a later deploy failed on it), the AMI is put back on the standby first.
 * - AMI: any earlier release, through the same promotion.
 * - recover: settle a deploy or rollback that was interrupted (runner lost, job cancelled): if traffic had
 *   started to move, send it back to the colour the operation came from.
 *
 * A rollback never switches back on its own: if the release it returns to also fails, a person decides.
 */
import { AMI_ID, AMI_TAGS, otherColor, stackVars, topologyOf, type StackOutputs } from './stack.ts';
import {
  parseDeployRecord,
  serializeDeployRecord,
  TRAFFIC_MOVED,
  type DeployRecord,
  type Release,
} from './deploy-record.ts';
import { liveSummary } from './deploy-flow.ts';
import { describePlan } from './plan-description.ts';
import { executePromotion, planPromotion, type PipelineDeps, type PromoteRequest } from './promote.ts';
import type { RunResult } from './reporter.ts';

export type RollbackTarget = 'previous' | string;

export interface RollbackRequest {
  environment: string;
  to: RollbackTarget;
  /** Everything a promotion needs except the target, which the rollback resolves. */
  promote: Omit<PromoteRequest, 'target' | 'operation' | 'revertOnFailure' | 'runVars'> & {
    lambdaZipPath: string;
  };
  dryRun: boolean;
  force: boolean;
}

export async function rollback(deps: PipelineDeps, req: RollbackRequest): Promise<RunResult> {
  const { reporter } = deps;
  const state = await readState(deps, req.environment);
  if (!state)
    return reporter.finish(
      'rollback',
      req.environment,
      'failed',
      `no stack in the Terraform state of ${req.environment}`,
    );
  const { outputs, record } = state;

  const resolved = await resolveTarget(deps, req.to, outputs, record);
  if ('noop' in resolved) return reporter.finish('rollback', req.environment, 'noop', resolved.noop);
  if ('error' in resolved) return reporter.finish('rollback', req.environment, 'failed', resolved.error);

  const target = resolved.release;
  // Terraform's git_sha must be a commit id: for an AMI of unknown origin keep the values of the last apply.
  const release =
    target.git_sha !== 'unknown'
      ? { git_sha: target.git_sha, app_version: target.app_version }
      : record?.applied;
  if (!release) {
    return reporter.finish(
      'rollback',
      req.environment,
      'failed',
      `${target.ami_id} has no ${AMI_TAGS.gitSha} tag and no earlier apply is recorded: cannot set git_sha`,
    );
  }
  const promote: PromoteRequest = {
    ...req.promote,
    operation: 'rollback',
    target,
    revertOnFailure: false,
    runVars: { ...release, lambda_zip_path: req.promote.lambdaZipPath },
  };
  const plan = planPromotion(outputs, record, target, req.force);
  reporter.step('plan', `Plan: roll back to ${target.ami_id} (${target.git_sha})`);
  for (const line of describePlan(plan, outputs, promote)) reporter.info(line);
  if (plan.kind === 'noop') return reporter.finish('rollback', req.environment, 'noop', plan.why);
  if (plan.kind === 'blocked') return reporter.finish('rollback', req.environment, 'failed', plan.why);
  if (req.dryRun)
    return reporter.finish('rollback', req.environment, 'planned', 'dry run: nothing was changed');
  return executePromotion(deps, promote, outputs, record, plan);
}

async function readState(deps: PipelineDeps, environment: string) {
  deps.reporter.step('read-state', `Read the live state of ${environment}`);
  await deps.terraform.init();
  const outputs = await deps.terraform.outputs();
  if (!outputs) return null;
  const record = parseDeployRecord(await deps.aws.readParameter(outputs.deployStateParameter));
  deps.reporter.end('ok', liveSummary(outputs));
  return { outputs, record };
}

type Resolution = { release: Release } | { noop: string } | { error: string };

async function resolveTarget(
  deps: PipelineDeps,
  to: RollbackTarget,
  outputs: StackOutputs,
  record: DeployRecord | null,
): Promise<Resolution> {
  if (to === 'previous') {
    if (!record) return { error: 'no deploy record yet, so no previous release is known: pass --to ami-…' };
    const last = record.last;
    // A second `rollback --to previous` must not bounce back to the release the first one fled.
    if (
      last.operation === 'rollback' &&
      last.status === 'succeeded' &&
      outputs.slots[outputs.activeColor].amiId === last.target.ami_id
    ) {
      return { noop: `already rolled back to ${last.target.ami_id}; to go elsewhere pass --to ami-…` };
    }
    if (!record.previous) return { error: 'the deploy record names no previous release: pass --to ami-…' };
    return { release: record.previous };
  }
  if (!AMI_ID.test(to)) return { error: `--to must be "previous" or an AMI id (ami-…), got "${to}"` };
  const known = [record?.previous, record?.colors.blue, record?.colors.green].find((r) => r?.ami_id === to);
  if (known) return { release: known };
  const image = await deps.aws.image(to);
  if (!image) return { error: `AMI ${to} does not exist in this region` };
  return {
    release: {
      ami_id: to,
      git_sha: image.tags[AMI_TAGS.gitSha] ?? 'unknown',
      app_version: image.tags[AMI_TAGS.appVersion] ?? 'unknown',
    },
  };
}

export interface RecoverRequest {
  environment: string;
  /** Only settle an operation of this commit (the workflow passes its own sha). */
  gitSha: string | null;
  lambdaZipPath: string;
  dryRun: boolean;
}

export async function recover(deps: PipelineDeps, req: RecoverRequest): Promise<RunResult> {
  const { reporter, clock } = deps;
  const state = await readState(deps, req.environment);
  if (!state) return reporter.finish('recover', req.environment, 'noop', 'no stack, nothing to recover');
  const { outputs, record } = state;
  const last = record?.last;
  if (!record || !last || last.status !== 'in_progress') {
    return reporter.finish('recover', req.environment, 'noop', 'no deploy or rollback is unfinished');
  }
  if (req.gitSha && last.target.git_sha !== req.gitSha) {
    return reporter.finish(
      'recover',
      req.environment,
      'noop',
      `the unfinished ${last.operation} is of ${last.target.git_sha}, not ${req.gitSha}: left alone`,
    );
  }
  const moved = TRAFFIC_MOVED.includes(last.phase);
  reporter.step(
    'recover',
    moved ? `Send traffic back to ${last.from_color}` : 'Mark the interrupted operation as failed',
  );
  if (req.dryRun)
    return reporter.finish('recover', req.environment, 'planned', 'dry run: nothing was changed');
  const now = () => new Date(clock.now()).toISOString();
  let active = outputs.activeColor;
  if (moved) {
    const topology = { ...topologyOf(outputs), activeColor: last.from_color, canaryWeight: 0 };
    const applied = record.applied ?? { git_sha: last.target.git_sha, app_version: last.target.app_version };
    const plan = await deps.terraform.apply(
      stackVars(topology, { ...applied, lambda_zip_path: req.lambdaZipPath }),
    );
    reporter.info(`terraform: ${plan.summary}`);
    active = last.from_color;
  }
  const settled: DeployRecord = {
    ...record,
    active_color: active,
    last: {
      ...last,
      status: moved ? 'rolled_back' : 'failed',
      phase: moved ? 'switched-back' : last.phase,
      finished_at: now(),
      error: last.error ?? 'interrupted',
    },
    updated_at: now(),
  };
  await deps.aws.writeParameter(outputs.deployStateParameter, serializeDeployRecord(settled));
  const headline = moved
    ? `traffic is back on ${active} (${outputs.slots[active].amiId}); ${otherColor(active)} keeps ${last.target.ami_id}`
    : `the interrupted ${last.operation} never moved traffic; ${active} still serves`;
  return reporter.finish('recover', req.environment, 'succeeded', headline);
}
