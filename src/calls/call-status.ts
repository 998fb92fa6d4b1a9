/** Our call statuses. `pending`: recorded and credits held, not yet sent to Bland. `dispatch_unknown`: the send
 * may or may not have reached Bland (timeout, dropped connection) — reconciled, never redialled. */
export const CALL_STATUSES = [
  'pending',
  'dispatch_unknown',
  'queued',
  'ringing',
  'in_progress',
  'completed',
  'no_answer',
  'busy',
  'failed',
  'canceled',
] as const;
export type CallStatus = (typeof CALL_STATUSES)[number];

export const TERMINAL: ReadonlySet<CallStatus> = new Set([
  'completed',
  'no_answer',
  'busy',
  'failed',
  'canceled',
]);
export const ACTIVE_STATUSES = CALL_STATUSES.filter((s) => !TERMINAL.has(s));

const RANK: Record<CallStatus, number> = {
  pending: 0,
  dispatch_unknown: 1,
  queued: 2,
  ringing: 3,
  in_progress: 4,
  completed: 10,
  no_answer: 10,
  busy: 10,
  failed: 10,
  canceled: 10,
};

export const isTerminal = (s: CallStatus): boolean => TERMINAL.has(s);

/** Statuses only move forward: an older update never overwrites a newer one, and terminal is final. */
export function advances(from: CallStatus, to: CallStatus): boolean {
  if (isTerminal(from)) return false;
  return RANK[to] > RANK[from];
}
