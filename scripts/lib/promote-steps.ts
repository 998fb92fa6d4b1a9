/**
 * The steps of a promotion (see promote.ts for the order and the guarantees). Each step reports what it does,
 * records its phase in the deploy record before moving on, and throws a PromotionFailure to stop the run.
 */
import {
  alarmCount,
  describeFiring,
  takeBaseline,
  watchAlarms,
  type Baseline,
  type WatchedAlarms,
} from './alarms.ts';
import { formatDuration } from './clock.ts';
import {
  CONSOLE_PREFIX,
  describeConsolePlan,
  planConsolePublish,
  uploadConsole,
  type ConsoleFile,
} from './console-assets.ts';
import { serializeDeployRecord, type DeployRecord, type LastOperation, type Phase } from './deploy-record.ts';
import { waitForColourReady } from './fleet.ts';
import type { PipelineDeps, PromoteRequest } from './promote.ts';
import type { RunResult } from './reporter.ts';
import { describeSmoke } from './smoke.ts';
import { stackVars, type Color, type StackOutputs, type Topology } from './stack.ts';

class PromotionFailure extends Error {}

function watchedAlarms(outputs: StackOutputs): WatchedAlarms {
  return { primary: outputs.alarmNames, edge: outputs.edgeAlarmNames };
}

export interface Run {
  deps: PipelineDeps;
  req: PromoteRequest;
  outputs: StackOutputs;
  from: Color;
  to: Color;
  topology: Topology;
  record: DeployRecord;
  trafficMoved: boolean;
  /** Alarm states just before traffic first moved: what the bake compares against. */
  baseline: Baseline | null;
}

export async function save(
  run: Run,
  patch: Partial<LastOperation>,
  phase: Phase,
  top: Partial<DeployRecord> = {},
) {
  const now = new Date(run.deps.clock.now()).toISOString();
  run.record = {
    ...run.record,
    ...top,
    active_color: run.topology.activeColor,
    last: { ...run.record.last, ...patch, phase },
    updated_at: now,
  };
  await run.deps.aws.writeParameter(run.outputs.deployStateParameter, serializeDeployRecord(run.record));
}

async function apply(run: Run, topology: Topology) {
  const { terraform, reporter } = run.deps;
  const plan = await terraform.apply(stackVars(topology, run.req.runVars));
  run.topology = topology;
  run.record.applied = { git_sha: run.req.runVars.git_sha, app_version: run.req.runVars.app_version };
  reporter.info(`terraform: ${plan.summary}`);
  // Outputs move with the stack: a colour gets a new Auto Scaling group (and name) when its AMI changes.
  if (plan.changed) run.outputs = (await terraform.outputs()) ?? run.outputs;
}

export async function updateStandby(run: Run) {
  const { reporter } = run.deps;
  const amiId = run.req.target.ami_id;
  reporter.step('update-standby', `Put ${amiId} on the standby colour ${run.to} (traffic unchanged)`);
  await apply(run, { ...run.topology, amis: { ...run.topology.amis, [run.to]: amiId }, canaryWeight: 0 });
  run.record.colors[run.to] = run.req.target;
  await save(run, {}, 'standby-updated');
}

export async function waitReady(run: Run) {
  const { deps, req, outputs, to } = run;
  const slot = outputs.slots[to];
  const limit = formatDuration(req.settings.healthTimeoutMs);
  deps.reporter.step(
    'wait-ready',
    `Wait until ${slot.asgName} runs ${req.target.ami_id}, all targets healthy (≤ ${limit})`,
  );
  const result = await waitForColourReady({
    ...deps,
    slot,
    amiId: req.target.ami_id,
    timeoutMs: req.settings.healthTimeoutMs,
    pollMs: req.settings.pollMs,
  });
  if (!result.ready) {
    throw new PromotionFailure(`${to} did not become ready within ${limit}: ${result.summary}`);
  }
  deps.reporter.end('ok', result.summary);
  await save(run, {}, 'standby-healthy');
}

export async function smokeTest(run: Run) {
  const { deps, req, outputs, to } = run;
  if (!req.settings.smokeTarget) {
    deps.reporter.step('smoke', `Smoke test ${to}`);
    deps.reporter.end('skipped', 'skipped on request (--skip-smoke)');
    return;
  }
  const known = req.target.git_sha !== 'unknown';
  const target = {
    ...req.settings.smokeTarget(outputs, to),
    expectedGitSha: known ? req.target.git_sha : null,
  };
  deps.reporter.step('smoke', `Smoke test ${to} through ${target.baseUrl} with the preview header`);
  if (!known) deps.reporter.warn('the target release has no known git sha: /version is not compared');
  let report = await deps.smoke(target);
  // The standby was just declared healthy; a couple of retries absorb edge caches and connection warm-up.
  for (let attempt = 2; !report.ok && attempt <= req.settings.smokeAttempts; attempt++) {
    deps.reporter.waiting(`smoke attempt ${attempt - 1} failed (${describeSmoke(report)}); retrying`);
    await deps.clock.sleep(req.settings.pollMs);
    report = await deps.smoke(target);
  }
  if (!report.ok) throw new PromotionFailure(`smoke test of ${to} failed: ${describeSmoke(report)}`);
  deps.reporter.end('ok', `passed: ${report.checks.map((c) => c.name).join(', ')}`);
  await save(run, {}, 'smoke-passed');
}

/**
 * Uploads the console build once the new colour has passed its smoke test, so a deploy that fails earlier never
 * changes what browsers load, and the console goes live within a minute of the API it was built with.
 */
export async function publishConsole(run: Run, build: ConsoleFile[]) {
  const { aws, reporter } = run.deps;
  const bucket = run.outputs.staticBucket;
  reporter.step('publish-console', `Publish the console to s3://${bucket}/${CONSOLE_PREFIX}`);
  try {
    const plan = await planConsolePublish(aws, bucket, build);
    await uploadConsole(aws, bucket, plan);
    reporter.end('ok', describeConsolePlan(plan));
  } catch (error) {
    throw new PromotionFailure(`console upload to ${bucket} failed: ${(error as Error).message}`);
  }
}

export async function canary(run: Run) {
  const { deps, req, outputs, to } = run;
  const { canaryPercent, canaryMs, pollMs } = req.settings;
  deps.reporter.step(
    'canary',
    `Canary: ${canaryPercent}% of traffic to ${to} for ${formatDuration(canaryMs)}`,
  );
  const baseline = await beforeTrafficMoves(run, 'canary');
  await apply(run, { ...run.topology, canaryWeight: canaryPercent });
  const watch = await watchAlarms({
    ...deps,
    watched: watchedAlarms(outputs),
    baseline,
    durationMs: canaryMs,
    pollMs,
  });
  if (!watch.ok) throw new PromotionFailure(`alarm during canary: ${describeFiring(watch.firing)}`);
}

export async function switchTraffic(run: Run) {
  const { reporter } = run.deps;
  reporter.step('switch', `Switch traffic: active_color ${run.from} → ${run.to}`);
  await beforeTrafficMoves(run, 'switching');
  await apply(run, { ...run.topology, activeColor: run.to, canaryWeight: 0 });
  await save(run, {}, 'switched');
}

/** Records that traffic is about to move (so an interruption can be undone) and snapshots the alarms. */
async function beforeTrafficMoves(run: Run, phase: Phase): Promise<Baseline> {
  run.baseline ??= await takeBaseline(run.deps.aws, run.deps.clock, watchedAlarms(run.outputs));
  run.trafficMoved = true;
  await save(run, {}, phase);
  return run.baseline;
}

export async function bake(run: Run) {
  const { deps, req, outputs } = run;
  const duration = formatDuration(req.settings.bakeMs);
  const watched = watchedAlarms(outputs);
  deps.reporter.step('bake', `Bake: watch ${alarmCount(watched)} alarm(s) for ${duration}`);
  // A resumed bake has no baseline from before the switch; the interrupted run's last save is the best bound.
  const baseline = run.baseline ?? {
    ...(await takeBaseline(deps.aws, deps.clock, watched)),
    takenAt: Date.parse(run.record.updated_at),
  };
  const watch = await watchAlarms({
    ...deps,
    watched,
    baseline,
    durationMs: req.settings.bakeMs,
    pollMs: req.settings.pollMs,
  });
  if (!watch.ok) throw new PromotionFailure(`alarm during bake: ${describeFiring(watch.firing)}`);
  deps.reporter.end('ok', 'no alarm fired');
}

export async function fail(run: Run, error: unknown): Promise<RunResult> {
  const { deps, req } = run;
  const message = oneLine(error);
  const finishedAt = () => new Date(deps.clock.now()).toISOString();
  deps.reporter.end('failed', message);
  if (!run.trafficMoved) {
    await save(run, { status: 'failed', error: message, finished_at: finishedAt() }, run.record.last.phase);
    return deps.reporter.finish(
      req.operation,
      req.environment,
      'failed',
      `${req.operation} stopped before any traffic moved: ${message}`,
      {
        'live colour': `${run.from} (unchanged)`,
      },
    );
  }
  if (!req.revertOnFailure) {
    await save(run, { status: 'failed', error: message, finished_at: finishedAt() }, run.record.last.phase);
    return deps.reporter.finish(
      req.operation,
      req.environment,
      'failed',
      `${message}. Traffic stays on ${run.topology.activeColor}: decide by hand (docs/operations.md).`,
    );
  }
  deps.reporter.step('switch-back', `Switch traffic back to ${run.from}`);
  try {
    await apply(run, { ...run.topology, activeColor: run.from, canaryWeight: 0 });
  } catch (revertError) {
    const why = oneLine(revertError);
    const detail = `${message}; SWITCHING BACK FAILED (${why}). Manual action needed: docs/operations.md#rollback-by-hand`;
    await save(run, { status: 'failed', error: detail, finished_at: finishedAt() }, run.record.last.phase);
    return deps.reporter.finish(req.operation, req.environment, 'failed', detail);
  }
  deps.reporter.end('ok', `traffic is back on ${run.from}`);
  await save(run, { status: 'rolled_back', error: message, finished_at: finishedAt() }, 'switched-back');
  return deps.reporter.finish(
    req.operation,
    req.environment,
    'rolled_back',
    `${message}. Traffic is back on ${run.from}.`,
    {
      'live colour': `${run.from} (previous release, restored)`,
    },
  );
}

/** Tool errors span lines (Terraform's especially); headlines, records and notifications want one. */
function oneLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).replace(/\s*\n\s*/g, ' — ');
}
