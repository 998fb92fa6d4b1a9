/**
 * The bake: after traffic moves, watch the stack's CloudWatch alarms for a while. An alarm that enters ALARM
 * after the switch fails the bake. An alarm that was already firing before the switch (and has not changed
 * state since) is reported but does not count: the new release did not cause it, and flipping back would not
 * fix it.
 *
 * Polling DescribeAlarms every `pollMs` cannot miss a breach: an alarm stays in ALARM for at least one
 * evaluation period (≥ 60 s for the stack's alarms), longer than the poll interval.
 */
import type { AlarmState, AwsGateway } from './aws.ts';
import type { Clock } from './clock.ts';
import { formatDuration } from './clock.ts';
import type { Reporter } from './reporter.ts';

/** CloudFront publishes its metrics, and so hosts its alarms, in us-east-1. */
export const EDGE_REGION = 'us-east-1';

export interface WatchedAlarms {
  /** Alarms in the stack's region (ALB, targets, Lambda, app metrics). */
  primary: string[];
  /** Alarms in us-east-1 (CloudFront, Route 53 health check). */
  edge: string[];
}

export function alarmCount(watched: WatchedAlarms): number {
  return watched.primary.length + watched.edge.length;
}

async function readAlarms(aws: AwsGateway, watched: WatchedAlarms): Promise<AlarmState[]> {
  const [primary, edge] = await Promise.all([
    watched.primary.length ? aws.alarms(watched.primary) : [],
    watched.edge.length ? aws.alarms(watched.edge, EDGE_REGION) : [],
  ]);
  return [...primary, ...edge];
}

export interface Baseline {
  takenAt: number;
  firing: Set<string>;
}

export async function takeBaseline(aws: AwsGateway, clock: Clock, watched: WatchedAlarms): Promise<Baseline> {
  const states = await readAlarms(aws, watched);
  return {
    takenAt: clock.now(),
    firing: new Set(states.filter((a) => a.state === 'ALARM').map((a) => a.name)),
  };
}

export function newlyFiring(states: AlarmState[], baseline: Baseline): AlarmState[] {
  return states.filter(
    (a) => a.state === 'ALARM' && (!baseline.firing.has(a.name) || a.updatedAt >= baseline.takenAt),
  );
}

export interface WatchOptions {
  aws: AwsGateway;
  clock: Clock;
  reporter: Reporter;
  watched: WatchedAlarms;
  baseline: Baseline;
  durationMs: number;
  pollMs: number;
}

export type WatchResult = { ok: true } | { ok: false; firing: AlarmState[] };

export async function watchAlarms(options: WatchOptions): Promise<WatchResult> {
  const { aws, clock, reporter, watched, baseline, durationMs, pollMs } = options;
  const count = alarmCount(watched);
  if (count === 0) reporter.warn('the stack exports no alarms to watch: the bake is a plain wait');
  for (const name of baseline.firing) reporter.warn(`${name} was already in ALARM before the switch`);
  const end = clock.now() + durationMs;
  for (;;) {
    const firing = newlyFiring(await readAlarms(aws, watched), baseline);
    if (firing.length > 0) return { ok: false, firing };
    const left = end - clock.now();
    if (left <= 0) return { ok: true };
    reporter.waiting(`${count} alarm(s) quiet, ${formatDuration(left)} left`);
    await clock.sleep(Math.min(pollMs, left));
  }
}

export function describeFiring(firing: AlarmState[]): string {
  return firing.map((a) => `${a.name} (${a.reason || 'no reason given'})`).join('; ');
}
