/**
 * The one error model. Services throw AppError with a stable machine `code` (MODULE.REASON); each edge maps it:
 * HTTP → status + JSON body (http-exception.filter.ts), MCP → a tool result with isError (mcp/tool-result.ts).
 * `message` is safe to show to the caller and names the field and the fix; never put secrets in it.
 */
export type ErrorKind =
  | 'validation' // the caller's input is wrong (400)
  | 'unauthenticated' // no or bad credentials (401)
  | 'forbidden' // authenticated but not allowed (403)
  | 'not_found' // (404) — also used for other users' resources, so ids are not probed
  | 'conflict' // (409)
  | 'insufficient_credits' // (402)
  | 'rate_limited' // (429)
  | 'upstream' // a dependency (Bland, Google) failed (502)
  | 'unavailable' // temporarily unavailable (503)
  | 'internal'; // a bug (500)

export const HTTP_STATUS: Record<ErrorKind, number> = {
  validation: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  insufficient_credits: 402,
  rate_limited: 429,
  upstream: 502,
  unavailable: 503,
  internal: 500,
};

export class AppError extends Error {
  constructor(
    readonly kind: ErrorKind,
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown> = {},
    options: { cause?: unknown; retryable?: boolean; retryAfterSeconds?: number } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = 'AppError';
    this.retryable = options.retryable ?? (kind === 'rate_limited' || kind === 'unavailable');
    this.retryAfterSeconds = options.retryAfterSeconds;
  }

  readonly retryable: boolean;
  readonly retryAfterSeconds?: number;

  get httpStatus(): number {
    return HTTP_STATUS[this.kind];
  }

  toJSON() {
    return {
      code: this.code,
      message: this.message,
      ...(Object.keys(this.details).length ? { details: this.details } : {}),
    };
  }
}

/** A validation failure on one named input field. */
export function invalidField(field: string, message: string, code = 'VALIDATION.INVALID_FIELD'): AppError {
  return new AppError('validation', code, `${field}: ${message}`, { field });
}

export const isUniqueViolation = (err: unknown, constraint?: string): boolean =>
  typeof err === 'object' &&
  err !== null &&
  (err as { code?: string }).code === '23505' &&
  (constraint === undefined || (err as { constraint?: string }).constraint === constraint);

export const isCheckViolation = (err: unknown): boolean =>
  typeof err === 'object' && err !== null && (err as { code?: string }).code === '23514';
