/**
 * Typed failures of the Bland adapter. Every error carries a stable `code`, the HTTP `status` Bland answered with
 * (null when no answer arrived), and `retryable`: whether the same operation may sensibly be tried again later.
 * Messages are safe to show: the client strips credentials before building them.
 */

export type BlandErrorCode =
  | 'BLAND.VALIDATION'
  | 'BLAND.AUTH'
  | 'BLAND.BILLING'
  | 'BLAND.NOT_FOUND'
  | 'BLAND.RATE_LIMITED'
  | 'BLAND.REJECTED'
  | 'BLAND.SERVER_ERROR'
  | 'BLAND.UNAVAILABLE'
  | 'BLAND.TIMEOUT'
  | 'BLAND.NETWORK'
  | 'BLAND.DISPATCH_UNKNOWN'
  | 'BLAND.BAD_RESPONSE'
  | 'BLAND.INVALID_PAYLOAD';

interface BlandErrorInit {
  status?: number | null;
  /** Bland's own error code from the body, e.g. CALL_RL_PLAN_CONCURRENCY. */
  blandCode?: string;
  cause?: unknown;
}

export abstract class BlandError extends Error {
  abstract readonly code: BlandErrorCode;
  abstract readonly retryable: boolean;
  readonly status: number | null;
  readonly blandCode: string | undefined;

  constructor(message: string, init: BlandErrorInit = {}) {
    super(message, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = new.target.name;
    this.status = init.status ?? null;
    this.blandCode = init.blandCode;
  }
}

export interface BlandFieldError {
  /** Absent when Bland reported the problem as free text only. */
  field?: string;
  message: string;
}

/** 400/422: the request was malformed; `fields` lists what Bland named. */
export class BlandValidationError extends BlandError {
  readonly code = 'BLAND.VALIDATION';
  readonly retryable = false;
  constructor(
    message: string,
    readonly fields: readonly BlandFieldError[],
    init?: BlandErrorInit,
  ) {
    super(message, init);
  }
}

/** 401/403: the API key (or BYOT encrypted key) is missing, wrong or lacks permission. */
export class BlandAuthError extends BlandError {
  readonly code = 'BLAND.AUTH';
  readonly retryable = false;
}

/** 402, or a billing refusal code: the Bland account cannot pay for the call. */
export class BlandBillingError extends BlandError {
  readonly code = 'BLAND.BILLING';
  readonly retryable = false;
}

export class BlandNotFoundError extends BlandError {
  readonly code = 'BLAND.NOT_FOUND';
  readonly retryable = false;
}

/** 429 or a CALL_RL_* code: a request-rate or plan limit (concurrency, daily minutes). `blandCode` names which. */
export class BlandRateLimitError extends BlandError {
  readonly code = 'BLAND.RATE_LIMITED';
  readonly retryable = true;
  constructor(
    message: string,
    readonly retryAfterSeconds: number | undefined,
    init?: BlandErrorInit,
  ) {
    super(message, init);
  }
}

/** Any other refusal (e.g. CALL_PLAN_DESTINATION_BLOCKED, 409, 413): resending the same request will not help. */
export class BlandRejectedError extends BlandError {
  readonly code = 'BLAND.REJECTED';
  readonly retryable = false;
}

/** 5xx: Bland failed; for send-call this is a definite "not queued" (gateway 502/504 are ambiguous instead). */
export class BlandServerError extends BlandError {
  readonly code = 'BLAND.SERVER_ERROR';
  readonly retryable = true;
}

/** Our circuit breaker is open after repeated Bland outages; nothing was sent. */
export class BlandUnavailableError extends BlandError {
  readonly code = 'BLAND.UNAVAILABLE';
  readonly retryable = true;
}

/** No answer within the timeout (read-only operations; for send-call see BlandAmbiguousDispatchError). */
export class BlandTimeoutError extends BlandError {
  readonly code = 'BLAND.TIMEOUT';
  readonly retryable = true;
}

/**
 * The connection failed. `dispatched: false` means it failed while connecting, so Bland cannot have seen the
 * request; `true` means it dropped after the request may have been written (only raised for reads).
 */
export class BlandNetworkError extends BlandError {
  readonly code = 'BLAND.NETWORK';
  readonly retryable = true;
  constructor(
    message: string,
    readonly dispatched: boolean,
    init?: BlandErrorInit,
  ) {
    super(message, init);
  }
}

export type AmbiguousDispatchReason = 'timeout' | 'connection_lost' | 'gateway_error' | 'unreadable_response';

/**
 * Send-call only: the request may have reached Bland and a call may be queued, but we do not know its id.
 * Do NOT resend — that can dial the person twice. Reconcile by listing calls for the number and matching metadata.
 */
export class BlandAmbiguousDispatchError extends BlandError {
  readonly code = 'BLAND.DISPATCH_UNKNOWN';
  readonly retryable = false;
  constructor(
    message: string,
    readonly reason: AmbiguousDispatchReason,
    init?: BlandErrorInit,
  ) {
    super(message, init);
  }
}

/** A 2xx whose body is not what the endpoint returns (not JSON, or missing required fields). */
export class BlandBadResponseError extends BlandError {
  readonly code = 'BLAND.BAD_RESPONSE';
  readonly retryable = false;
}

/** A call-details or webhook body we cannot use at all (not an object, or without a call id). */
export class BlandPayloadError extends BlandError {
  readonly code = 'BLAND.INVALID_PAYLOAD';
  readonly retryable = false;
}
