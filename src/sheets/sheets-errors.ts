import { parseRetryAfter } from './backoff.js';
import { TokenRequestError } from './service-account-auth.js';

/**
 * What a failed Sheets request means for the drain:
 * - rate-limited (429): quota; the whole fleet backs off, the change is not at fault.
 * - unavailable (5xx, 408/409, network, timeout): transient; back off and count an attempt against the change.
 * - auth (token refused, 401): configuration; back off, the change is not at fault.
 * - missing-tab (400 "Unable to parse range"): the tab was deleted or renamed; create it again.
 * - rejected (other 400): Google refuses this content; never retried, the change is parked with the reason.
 * - denied (403/404): no access to the spreadsheet; never retried, parked with the reason.
 */
export type SheetsFailureKind =
  'rate-limited' | 'unavailable' | 'auth' | 'missing-tab' | 'rejected' | 'denied';

export interface SheetsFailure {
  kind: SheetsFailureKind;
  status?: number;
  reason: string;
  retryAfterMs?: number;
  /** A write with this outcome may have been applied by Google (we did not see a definite refusal). */
  maybeApplied: boolean;
  /** Google answered, so it is done with the request (a lost request may still be in progress). */
  answered: boolean;
}

interface GoogleErrorLike {
  status?: unknown;
  code?: unknown;
  message?: unknown;
  response?: { status?: number; headers?: { get?(name: string): string | null }; data?: unknown };
}

export function classifySheetsError(err: unknown): SheetsFailure {
  if (err instanceof TokenRequestError) {
    const refused = err.status !== undefined && err.status >= 400 && err.status < 500;
    return {
      kind: refused ? 'auth' : 'unavailable',
      reason: err.message,
      maybeApplied: false,
      answered: false,
    };
  }
  const e = (err ?? {}) as GoogleErrorLike;
  const status = typeof e.status === 'number' ? e.status : e.response?.status;
  if (status === undefined) {
    const code = typeof e.code === 'string' ? `${e.code}: ` : '';
    return {
      kind: 'unavailable',
      reason: `${code}${String(e.message ?? err)}`,
      maybeApplied: true,
      answered: false,
    };
  }
  const reason = `${status} ${googleMessage(e.response?.data) ?? String(e.message ?? '')}`.trim();
  if (status === 429) {
    const retryAfterMs = parseRetryAfter(e.response?.headers?.get?.('retry-after'));
    return { kind: 'rate-limited', status, reason, retryAfterMs, maybeApplied: false, answered: true };
  }
  if (status >= 500 || status === 408 || status === 409) {
    return { kind: 'unavailable', status, reason, maybeApplied: true, answered: true };
  }
  if (status === 401) return { kind: 'auth', status, reason, maybeApplied: false, answered: true };
  if (status === 400 && /unable to parse range/i.test(reason)) {
    return { kind: 'missing-tab', status, reason, maybeApplied: false, answered: true };
  }
  if (status === 403 || status === 404)
    return { kind: 'denied', status, reason, maybeApplied: false, answered: true };
  return { kind: 'rejected', status, reason, maybeApplied: false, answered: true };
}

/** `error.message` (and `error.status`) of Google's JSON error body (AIP-193). */
function googleMessage(data: unknown): string | undefined {
  const error = (data as { error?: { message?: unknown; status?: unknown } } | undefined)?.error;
  if (typeof error?.message !== 'string') return undefined;
  return typeof error.status === 'string' ? `${error.status}: ${error.message}` : error.message;
}
