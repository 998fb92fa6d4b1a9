/** Display formatting, in the browser's locale. */

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const number = new Intl.NumberFormat();

export const formatDateTime = (iso: string | null | undefined) =>
  iso ? dateTime.format(new Date(iso)) : '—';

export const formatCredits = (n: number | null | undefined) =>
  n === null || n === undefined ? '—' : number.format(n);

/** 75 → "1:15"; null → "—". */
export function formatDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined) return '—';
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = String(s % 60).padStart(2, '0');
  return h ? `${h}:${String(m).padStart(2, '0')}:${rest}` : `${m}:${rest}`;
}

export const STATUS_LABELS: Record<string, string> = {
  pending: 'Pending',
  dispatch_unknown: 'Confirming',
  queued: 'Queued',
  ringing: 'Ringing',
  in_progress: 'In progress',
  completed: 'Completed',
  no_answer: 'No answer',
  busy: 'Busy',
  failed: 'Failed',
  canceled: 'Cancelled',
};

/** Colour family of a status chip (the label always carries the meaning too). */
export function statusTone(status: string): 'live' | 'good' | 'warn' | 'bad' | 'neutral' {
  if (status === 'completed') return 'good';
  if (status === 'failed') return 'bad';
  if (status === 'no_answer' || status === 'busy' || status === 'dispatch_unknown') return 'warn';
  if (status === 'canceled') return 'neutral';
  return 'live';
}

export const LEDGER_LABELS: Record<string, string> = {
  grant: 'Credits granted',
  adjust: 'Adjustment',
  hold: 'Held for a call',
  capture: 'Charged',
  release: 'Hold released',
  refund: 'Refund',
};

/** The signed change to the balance (holds change what is available, not the balance). */
export function balanceDelta(kind: string, amount: number): number {
  if (kind === 'capture') return -amount;
  if (kind === 'grant' || kind === 'refund' || kind === 'adjust') return amount;
  return 0;
}

/** What an entry did, signed: "−12", "+500", "+120 held", "−108 held". */
export function describeChange(kind: string, amount: number): string {
  const signed = (n: number) => `${n < 0 ? '−' : '+'}${number.format(Math.abs(n))}`;
  if (kind === 'hold') return `${signed(amount)} held`;
  if (kind === 'release') return `${signed(-amount)} held`;
  return signed(balanceDelta(kind, amount));
}
