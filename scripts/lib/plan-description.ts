/** Human description of a promotion plan: what `--dry-run` prints and what a run announces before it starts. */
import { formatDuration } from './clock.ts';
import type { PromoteRequest, PromotionPlan } from './promote.ts';
import type { StackOutputs } from './stack.ts';

export function describePlan(plan: PromotionPlan, outputs: StackOutputs, req: PromoteRequest): string[] {
  if (plan.kind === 'noop') return [`nothing to do: ${plan.why}`];
  if (plan.kind === 'blocked') return [`refusing to start: ${plan.why}`];
  const { settings, target } = req;
  const { from, to } = plan;
  const alarms = `${outputs.alarmNames.length + outputs.edgeAlarmNames.length} alarm(s) for ${formatDuration(settings.bakeMs)}`;
  const onFailure = req.revertOnFailure ? `switch back to ${from}` : `stop and leave traffic where it is`;
  if (plan.kind === 'resume-bake') {
    return [`resume: ${to} already serves ${target.ami_id}`, `bake: watch ${alarms}; on alarm ${onFailure}`];
  }
  const lines = [
    plan.updateStandby
      ? `update standby ${to}: ${to}_ami_id ${outputs.slots[to].amiId} → ${target.ami_id} (traffic unchanged)`
      : `standby ${to} already runs ${target.ami_id}: no apply needed`,
    `wait until ${to} runs ${target.ami_id} with every target healthy (≤ ${formatDuration(settings.healthTimeoutMs)})`,
    settings.smokeTarget
      ? `smoke-test ${to} through ${settings.smokeTarget(outputs, to).baseUrl}: /health/ready, /version = ${target.git_sha}, MCP tools/list + get_credit_balance`
      : `skip the smoke test (--skip-smoke)`,
  ];
  if (settings.canaryPercent > 0) {
    lines.push(
      `canary: ${settings.canaryPercent}% of traffic to ${to} for ${formatDuration(settings.canaryMs)}`,
    );
  }
  lines.push(
    `switch: active_color ${from} → ${to}`,
    `bake: watch ${alarms}; on any failure ${onFailure}`,
    `record the outcome in ${outputs.deployStateParameter}`,
  );
  return lines;
}
