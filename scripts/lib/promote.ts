/**
 * Blue-green promotion: the state machine shared by `deploy` and `rollback`.
 *
 *   update standby → wait until ready → smoke test → [publish console] → [canary] → switch → bake → record
 *
 * The live colour is never touched before the switch, so a failure up to there leaves production as it was.
 * From the canary or switch on, traffic has moved: a deploy that fails then switches back to the colour it
 * came from (still running the previous release, so this takes one apply). Every phase is written to the deploy
 * record first, so an interrupted run can be resumed or undone (`rollback --recover`).
 */
import type { AwsGateway } from './aws.ts';
import type { ConsoleFile } from './console-assets.ts';
import type { Clock } from './clock.ts';
import {
  releaseOn,
  type DeployRecord,
  type LastOperation,
  type Operation,
  type Release,
} from './deploy-record.ts';
import {
  bake,
  canary,
  publishConsole,
  fail,
  save,
  smokeTest,
  switchTraffic,
  updateStandby,
  waitReady,
  type Run,
} from './promote-steps.ts';
import type { Reporter, RunResult } from './reporter.ts';
import type { SmokeTarget, SmokeTest } from './smoke.ts';
import { COLORS, otherColor, topologyOf, type Color, type RunVars, type StackOutputs } from './stack.ts';
import type { TerraformRunner } from './terraform.ts';

export interface PipelineDeps {
  terraform: TerraformRunner;
  aws: AwsGateway;
  smoke: SmokeTest;
  clock: Clock;
  reporter: Reporter;
}

export interface PromoteSettings {
  healthTimeoutMs: number;
  pollMs: number;
  bakeMs: number;
  /** Percent of traffic for the canary step; 0 skips it. */
  canaryPercent: number;
  canaryMs: number;
  smokeAttempts: number;
  /** Where and how to reach the standby colour; null skips the smoke test (emergency rollback only). */
  smokeTarget: ((outputs: StackOutputs, color: Color) => Omit<SmokeTarget, 'expectedGitSha'>) | null;
}

export interface PromoteRequest {
  environment: string;
  operation: Operation;
  target: Release;
  runVars: RunVars;
  reason: string | null;
  runUrl: string | null;
  /** Deploys switch back when anything fails after traffic moved; rollbacks never return to what they fled. */
  revertOnFailure: boolean;
  /**
   * The console build to publish to the static bucket before traffic moves (deploys). Absent for rollbacks: old
   * hashed assets stay in the bucket, and the live index.html is left as it is.
   */
  console?: ConsoleFile[];
  settings: PromoteSettings;
}

export type PromotionPlan =
  | { kind: 'noop'; why: string }
  | { kind: 'blocked'; why: string }
  | { kind: 'resume-bake'; from: Color; to: Color }
  | { kind: 'promote'; from: Color; to: Color; updateStandby: boolean };

export function planPromotion(
  outputs: StackOutputs,
  record: DeployRecord | null,
  target: Release,
  force: boolean,
): PromotionPlan {
  const active = outputs.activeColor;
  const standby = otherColor(active);
  const last = record?.last;
  const unfinished = last?.status === 'in_progress';
  if (outputs.slots[active].amiId === target.ami_id) {
    if (unfinished && last.target.ami_id === target.ami_id && last.to_color === active) {
      return { kind: 'resume-bake', from: last.from_color, to: active };
    }
    return { kind: 'noop', why: `${active} already serves ${target.ami_id}: nothing to change` };
  }
  if (unfinished && last.target.ami_id !== target.ami_id && !force) {
    return {
      kind: 'blocked',
      why:
        `a ${last.operation} of ${last.target.ami_id} (started ${last.started_at}) did not finish. ` +
        'Run `rollback --recover` to settle it, or pass --force to override.',
    };
  }
  return {
    kind: 'promote',
    from: active,
    to: standby,
    updateStandby: outputs.slots[standby].amiId !== target.ami_id,
  };
}

/** The record as Terraform sees the stack, for the first run against a stack with no record yet. */
export function recordFromOutputs(environment: string, outputs: StackOutputs, record: DeployRecord | null) {
  const colors = Object.fromEntries(
    COLORS.map((c) => {
      const amiId = outputs.slots[c].amiId;
      return [
        c,
        releaseOn(record, c, amiId) ?? { ami_id: amiId, git_sha: 'unknown', app_version: 'unknown' },
      ];
    }),
  ) as Record<Color, Release>;
  return { environment, active_color: outputs.activeColor, colors, previous: record?.previous ?? null };
}

export async function executePromotion(
  deps: PipelineDeps,
  req: PromoteRequest,
  outputs: StackOutputs,
  existing: DeployRecord | null,
  plan: Extract<PromotionPlan, { kind: 'promote' | 'resume-bake' }>,
): Promise<RunResult> {
  const { clock, reporter } = deps;
  const base = recordFromOutputs(req.environment, outputs, existing);
  const resuming = plan.kind === 'resume-bake';
  const last: LastOperation = resuming
    ? (existing as DeployRecord).last
    : {
        operation: req.operation,
        status: 'in_progress',
        phase: 'started',
        target: req.target,
        from_color: plan.from,
        to_color: plan.to,
        started_at: new Date(clock.now()).toISOString(),
        finished_at: null,
        reason: req.reason,
        error: null,
        run_url: req.runUrl,
      };
  const run: Run = {
    deps,
    req,
    outputs,
    from: plan.from,
    to: plan.to,
    topology: topologyOf(outputs),
    record: {
      schema: 1,
      ...base,
      applied: existing?.applied ?? null,
      last,
      updated_at: existing?.updated_at ?? last.started_at,
    },
    trafficMoved: resuming,
    baseline: null,
  };

  try {
    if (resuming) {
      reporter.info(`resuming an interrupted ${last.operation}: traffic is already on ${run.to}`);
    } else {
      await save(run, {}, 'started');
      if (plan.updateStandby) await updateStandby(run);
      await waitReady(run);
      await smokeTest(run);
      if (req.console) await publishConsole(run, req.console);
      if (req.settings.canaryPercent > 0) await canary(run);
      await switchTraffic(run);
    }
    await bake(run);
  } catch (error) {
    return fail(run, error);
  }
  const previous = run.record.colors[run.from];
  await save(run, { status: 'succeeded', finished_at: new Date(clock.now()).toISOString() }, 'baked', {
    previous,
  });
  return reporter.finish(
    req.operation,
    req.environment,
    'succeeded',
    `${run.to} serves ${req.target.ami_id}`,
    {
      'live colour': `${run.to} (${req.target.ami_id}, ${req.target.git_sha})`,
      'standby colour': `${run.from} (${previous?.ami_id ?? 'unknown'}, ready for rollback)`,
    },
  );
}
