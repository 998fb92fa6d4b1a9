/**
 * Waiting for a colour to be ready: every in-service instance of its Auto Scaling group runs the wanted AMI,
 * there are at least as many as the group wants, and each is healthy in the colour's target group.
 *
 * The stack replaces a colour's Auto Scaling group when its AMI changes and Terraform already waits for the new
 * group's capacity (`wait_for_elb_capacity`), so this is usually satisfied at the first look; it is the
 * pipeline's own check, independent of how the stack rolls instances.
 *
 * We poll rather than use the SDK's `waitUntilTargetInService`: readiness spans three APIs (Auto Scaling, EC2,
 * ELB) — "all registered targets healthy" is vacuously true for an empty group and says nothing about the AMI —
 * and polling lets us print what we are waiting for. The wait is bounded by `timeoutMs`.
 */
import type { AsgSnapshot, AwsGateway, TargetHealth } from './aws.ts';
import type { Clock } from './clock.ts';
import type { Reporter } from './reporter.ts';
import type { ColorSlot } from './stack.ts';

export interface ColourSnapshot {
  asg: AsgSnapshot | null;
  images: Map<string, string>;
  targets: TargetHealth[];
}

export interface Assessment {
  ready: boolean;
  summary: string;
}

export function assessColour(snapshot: ColourSnapshot, amiId: string): Assessment {
  const { asg, images, targets } = snapshot;
  if (!asg) return { ready: false, summary: `Auto Scaling group not found` };
  const inService = asg.instances.filter((i) => i.lifecycleState === 'InService');
  const current = inService.filter((i) => images.get(i.id) === amiId);
  const stale = asg.instances.filter((i) => images.has(i.id) && images.get(i.id) !== amiId).map((i) => i.id);
  const healthById = new Map(targets.map((t) => [t.id, t.state]));
  const healthy = current.filter((i) => healthById.get(i.id) === 'healthy');
  const summary =
    `${healthy.length}/${asg.desired} healthy on ${amiId}` +
    (stale.length ? `, ${stale.length} instance(s) still on an older AMI` : '') +
    (current.length > healthy.length ? `, ${current.length - healthy.length} not yet healthy` : '');
  if (asg.desired < 1) return { ready: false, summary: 'desired capacity is 0: nothing could serve traffic' };
  const ready = stale.length === 0 && current.length >= asg.desired && healthy.length === current.length;
  return { ready, summary };
}

export async function snapshotColour(aws: AwsGateway, slot: ColorSlot): Promise<ColourSnapshot> {
  const asg = await aws.autoScalingGroup(slot.asgName);
  const images = await aws.instanceImages(asg?.instances.map((i) => i.id) ?? []);
  const targets = await aws.targetHealth(slot.targetGroupArn);
  return { asg, images, targets };
}

export interface WaitOptions {
  aws: AwsGateway;
  clock: Clock;
  reporter: Reporter;
  slot: ColorSlot;
  amiId: string;
  timeoutMs: number;
  pollMs: number;
}

export async function waitForColourReady(options: WaitOptions): Promise<Assessment> {
  const { aws, clock, reporter, slot, amiId, timeoutMs, pollMs } = options;
  const deadline = clock.now() + timeoutMs;
  for (;;) {
    const assessment = assessColour(await snapshotColour(aws, slot), amiId);
    if (assessment.ready) return assessment;
    if (clock.now() >= deadline) return assessment;
    reporter.waiting(`${slot.asgName}: ${assessment.summary}`);
    await clock.sleep(pollMs);
  }
}
