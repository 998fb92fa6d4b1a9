/**
 * Turns Bland's HTTP answers and transport failures into typed BlandErrors. Kept apart from the client so the
 * rules — which failures are definite, which are ambiguous for send-call — read in one place.
 */
import {
  BlandAmbiguousDispatchError,
  BlandAuthError,
  BlandBillingError,
  BlandError,
  BlandFieldError,
  BlandNetworkError,
  BlandNotFoundError,
  BlandRateLimitError,
  BlandRejectedError,
  BlandServerError,
  BlandTimeoutError,
  BlandValidationError,
} from './bland.errors.js';

export type BlandOperation = 'sendCall' | 'getCall' | 'listCalls' | 'stopCall' | 'listVoices';

const OPERATION_LABEL: Record<BlandOperation, string> = {
  sendCall: 'send call',
  getCall: 'get call',
  listCalls: 'list calls',
  stopCall: 'stop call',
  listVoices: 'list voices',
};

const MAX_MESSAGE_CHARS = 300;

export interface ParsedErrorBody {
  message?: string;
  blandCode?: string;
  fields: BlandFieldError[];
}

/** Reads both error shapes Bland uses (legacy `{status,message,errors}` and `{data:null,errors:[{error,message}]}`). */
export function parseErrorBody(text: string): ParsedErrorBody {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    // An HTML error page from a proxy says nothing useful and may be large.
    const plain = text.trim();
    return { message: plain && !plain.startsWith('<') ? plain : undefined, fields: [] };
  }
  if (!isRecord(body)) return { fields: [] };

  const fields: BlandFieldError[] = [];
  let itemCode: string | undefined;
  for (const item of Array.isArray(body.errors) ? body.errors : []) {
    if (typeof item === 'string') {
      fields.push({ message: item });
      continue;
    }
    if (!isRecord(item)) continue;
    itemCode ??= stringOrUndefined(item.error);
    const field =
      stringOrUndefined(item.param) ?? stringOrUndefined(item.path) ?? stringOrUndefined(item.field);
    const message =
      stringOrUndefined(item.msg) ?? stringOrUndefined(item.message) ?? stringOrUndefined(item.error);
    if (message) fields.push(field ? { field, message } : { message });
  }
  return {
    message: stringOrUndefined(body.message) ?? fields[0]?.message ?? stringOrUndefined(body.error),
    blandCode: itemCode ?? stringOrUndefined(body.error_code) ?? stringOrUndefined(body.code),
    fields,
  };
}

export interface ResponseFailure {
  operation: BlandOperation;
  status: number;
  retryAfter: string | null;
  bodyText: string;
  /** Removes credentials from any text that ends up in a message. */
  redact: (text: string) => string;
}

/** Maps a non-2xx answer, or a 2xx whose body says `status: "error"`, to a typed error. */
export function errorFromResponse(failure: ResponseFailure): BlandError {
  const { operation, status } = failure;
  const parsed = parseErrorBody(failure.bodyText);
  const blandMessage = failure.redact(truncate(parsed.message ?? `HTTP ${status}`));
  const message = `Bland ${OPERATION_LABEL[operation]} failed (HTTP ${status}): ${blandMessage}`;
  const init = { status, blandCode: parsed.blandCode };
  const code = parsed.blandCode ?? '';

  // Bland's code names the limit more precisely than the status, whose value for plan refusals is undocumented.
  if (code.startsWith('CALL_RL_') || status === 429) {
    return new BlandRateLimitError(message, parseRetryAfter(failure.retryAfter), init);
  }
  if (code.startsWith('CALL_UNPAID') || status === 402) return new BlandBillingError(message, init);
  if (code.startsWith('CALL_PLAN_')) return new BlandRejectedError(message, init);
  if (status === 401 || status === 403) return new BlandAuthError(message, init);
  if (status === 404 || (isLookup(operation) && /not found/i.test(blandMessage))) {
    return new BlandNotFoundError(message, init);
  }
  if (status === 400 || status === 422) {
    const named = parsed.fields.flatMap((f) => (f.field ? [f.field] : []));
    const suffix = named.length > 0 ? ` [fields: ${[...new Set(named)].join(', ')}]` : '';
    return new BlandValidationError(message + suffix, parsed.fields, init);
  }
  // A gateway error on send-call may come after Bland queued the call: the outcome is unknown, not a failure.
  if (operation === 'sendCall' && (status === 502 || status === 504)) {
    return new BlandAmbiguousDispatchError(
      `${message}; the call may have been queued`,
      'gateway_error',
      init,
    );
  }
  if (status >= 500) return new BlandServerError(message, init);
  return new BlandRejectedError(message, init);
}

/** Error codes raised while connecting: the request cannot have reached Bland. */
const CONNECT_PHASE_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EADDRNOTAVAIL',
  'UND_ERR_CONNECT_TIMEOUT',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'CERT_HAS_EXPIRED',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
]);

/** Maps a fetch rejection. `timedOut` is true when our own AbortSignal timeout fired. */
export function errorFromTransportFailure(
  operation: BlandOperation,
  error: unknown,
  timedOut: boolean,
  timeoutMs: number,
): BlandError {
  const label = OPERATION_LABEL[operation];
  if (timedOut) {
    return operation === 'sendCall'
      ? new BlandAmbiguousDispatchError(
          `Bland send call timed out after ${timeoutMs} ms; the call may have been queued`,
          'timeout',
          { cause: error },
        )
      : new BlandTimeoutError(`Bland ${label} timed out after ${timeoutMs} ms`, { cause: error });
  }
  const code = transportErrorCode(error);
  const detail = code ?? 'connection failed';
  if (code !== undefined && CONNECT_PHASE_CODES.has(code)) {
    return new BlandNetworkError(`Bland ${label} could not connect (${detail}); nothing was sent`, false, {
      cause: error,
    });
  }
  if (operation === 'sendCall') {
    return new BlandAmbiguousDispatchError(
      `Bland send call lost its connection (${detail}); the call may have been queued`,
      'connection_lost',
      { cause: error },
    );
  }
  return new BlandNetworkError(`Bland ${label} lost its connection (${detail})`, true, { cause: error });
}

/** `Retry-After` as delta-seconds or an HTTP date → whole seconds from now. */
export function parseRetryAfter(value: string | null, now: number = Date.now()): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - now) / 1000));
}

/** undici wraps the socket error in `cause` (sometimes an AggregateError from happy-eyeballs). */
function transportErrorCode(error: unknown): string | undefined {
  for (let current = error, depth = 0; current !== undefined && depth < 5; depth++) {
    if (!isRecord(current)) return undefined;
    if (typeof current.code === 'string') return current.code;
    if (
      Array.isArray(current.errors) &&
      isRecord(current.errors[0]) &&
      typeof current.errors[0].code === 'string'
    ) {
      return current.errors[0].code;
    }
    current = current.cause;
  }
  return undefined;
}

function isLookup(operation: BlandOperation): boolean {
  return operation === 'getCall' || operation === 'stopCall';
}

function truncate(text: string): string {
  return text.length > MAX_MESSAGE_CHARS ? `${text.slice(0, MAX_MESSAGE_CHARS)}…` : text;
}

function stringOrUndefined(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
