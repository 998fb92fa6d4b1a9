import type { RunnerKind } from './poll-record.js';

export interface TickInput {
  mode: 'in-app' | 'lambda';
  now: number;
  intervalMs: number;
  fallbackAfterMs: number;
  /** End of the last successful poll by any runner. */
  lastSuccessAt?: number;
  lastKind?: RunnerKind;
  /** When this instance took over from the Lambda; unset while it has not. */
  engagedAt?: number;
  /** When this instance started watching: stands in for the last success while nobody ever polled. */
  watchingSince: number;
}

export type TickDecision =
  | { run: true; kind: 'in-app' | 'fallback'; reason: 'due' | 'stale' | 'standing-in'; engage?: true }
  | { run: false; reason: 'fresh' | 'covered' | 'lambda-back'; disengage?: true };

/**
 * What an app instance does on a timer tick. Every instance ticks; the decision keeps the fleet at about one poll
 * per interval and the Lambda in charge whenever it is alive:
 * - in-app: poll unless someone polled less than half an interval ago.
 * - lambda: stand by while anyone polled within POLLER_FALLBACK_AFTER_SECONDS. Past that, take over (the dead-man's
 *   switch) and poll every interval until a Lambda run succeeds again, then stand down.
 */
export function decideTick(input: TickInput): TickDecision {
  const { now, lastSuccessAt } = input;
  const fresh = lastSuccessAt !== undefined && now - lastSuccessAt < input.intervalMs / 2;
  if (input.mode === 'in-app') {
    return fresh ? { run: false, reason: 'fresh' } : { run: true, kind: 'in-app', reason: 'due' };
  }

  if (input.engagedAt !== undefined) {
    if (input.lastKind === 'lambda' && lastSuccessAt !== undefined && lastSuccessAt > input.engagedAt) {
      return { run: false, reason: 'lambda-back', disengage: true };
    }
    return fresh ? { run: false, reason: 'fresh' } : { run: true, kind: 'fallback', reason: 'standing-in' };
  }
  const silentFor = now - (lastSuccessAt ?? input.watchingSince);
  return silentFor >= input.fallbackAfterMs
    ? { run: true, kind: 'fallback', reason: 'stale', engage: true }
    : { run: false, reason: 'covered' };
}
