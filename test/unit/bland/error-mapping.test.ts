import {
  errorFromResponse,
  parseErrorBody,
  parseRetryAfter,
} from '../../../src/calls/bland/bland.error-mapping.js';
import {
  BlandAmbiguousDispatchError,
  BlandBillingError,
  BlandRateLimitError,
  BlandRejectedError,
  BlandServerError,
  BlandValidationError,
} from '../../../src/calls/bland/bland.errors.js';

const failure = (status: number, body: unknown, operation: 'sendCall' | 'getCall' = 'sendCall') =>
  errorFromResponse({
    operation,
    status,
    retryAfter: null,
    bodyText: typeof body === 'string' ? body : JSON.stringify(body),
    redact: (text) => text,
  });

describe('parseErrorBody', () => {
  it('reads express-validator items with their field names', () => {
    const parsed = parseErrorBody(
      JSON.stringify({
        status: 'error',
        message: 'Invalid parameters',
        errors: [{ value: 'abc', msg: 'Invalid phone number', param: 'phone_number', location: 'body' }],
      }),
    );
    expect(parsed).toEqual({
      message: 'Invalid parameters',
      blandCode: undefined,
      fields: [{ field: 'phone_number', message: 'Invalid phone number' }],
    });
  });

  it('reads plain-string error items (no field names)', () => {
    expect(parseErrorBody('{"status":"error","message":"Bad","errors":["task is required"]}').fields).toEqual(
      [{ message: 'task is required' }],
    );
  });

  it('reads the newer { data, errors: [{ error, message }] } envelope', () => {
    const parsed = parseErrorBody(
      '{"data":null,"errors":[{"error":"CALL_RL_PLAN_CONCURRENCY","message":"Too many"}]}',
    );
    expect(parsed).toMatchObject({ message: 'Too many', blandCode: 'CALL_RL_PLAN_CONCURRENCY' });
  });

  it('ignores HTML error pages and keeps short plain text', () => {
    expect(parseErrorBody('<html><body>502 Bad Gateway</body></html>').message).toBeUndefined();
    expect(parseErrorBody('upstream connect error').message).toBe('upstream connect error');
  });
});

describe('errorFromResponse', () => {
  it('maps 400/422 to validation errors naming the fields', () => {
    const error = failure(422, {
      status: 'error',
      message: 'Bad',
      errors: [{ param: 'task', msg: 'required' }],
    });
    expect(error).toBeInstanceOf(BlandValidationError);
    expect(error.message).toContain('[fields: task]');
  });

  it('lets Bland’s code win over the status for plan and billing refusals', () => {
    const envelope = (code: string) => ({ data: null, errors: [{ error: code, message: 'refused' }] });
    expect(failure(400, envelope('CALL_RL_PLAN_CONCURRENCY'))).toBeInstanceOf(BlandRateLimitError);
    expect(failure(403, envelope('CALL_UNPAID_INTL_BLOCK'))).toBeInstanceOf(BlandBillingError);
    expect(failure(403, envelope('CALL_PLAN_TRANSFER_BLOCKED'))).toBeInstanceOf(BlandRejectedError);
  });

  it('treats gateway 502/504 as ambiguous only for send-call', () => {
    expect(failure(502, 'Bad Gateway')).toBeInstanceOf(BlandAmbiguousDispatchError);
    expect(failure(504, 'Gateway Timeout')).toBeInstanceOf(BlandAmbiguousDispatchError);
    expect(failure(503, 'Unavailable')).toBeInstanceOf(BlandServerError);
    expect(failure(504, 'Gateway Timeout', 'getCall')).toBeInstanceOf(BlandServerError);
  });

  it('maps other 4xx to BlandRejectedError', () => {
    expect(failure(409, { status: 'error', message: 'Conflict' })).toBeInstanceOf(BlandRejectedError);
  });
});

describe('parseRetryAfter', () => {
  const now = Date.parse('2026-01-01T00:00:00Z');
  it.each([
    [null, undefined],
    ['', undefined],
    ['5', 5],
    ['Thu, 01 Jan 2026 00:00:30 GMT', 30],
    ['Wed, 31 Dec 2025 23:00:00 GMT', 0],
    ['soon', undefined],
  ])('reads %j as %j seconds', (header, seconds) => {
    expect(parseRetryAfter(header, now)).toBe(seconds);
  });
});
