import { TokenRequestError } from '../../../src/sheets/service-account-auth.js';
import { classifySheetsError } from '../../../src/sheets/sheets-errors.js';

/** The shape gaxios gives a failed request (GaxiosError): status, response.data, WHATWG Headers. */
function httpError(
  status: number,
  error: { status: string; message: string },
  headers: Record<string, string> = {},
) {
  return Object.assign(new Error(error.message), {
    status,
    response: { status, headers: new Headers(headers), data: { error: { code: status, ...error } } },
  });
}

describe('classifySheetsError', () => {
  it('429 is quota: not applied, Retry-After read from the Headers object', () => {
    const err = httpError(
      429,
      { status: 'RESOURCE_EXHAUSTED', message: "Quota exceeded for quota metric 'Write requests'" },
      { 'retry-after': '3' },
    );
    expect(classifySheetsError(err)).toEqual({
      kind: 'rate-limited',
      status: 429,
      reason: "429 RESOURCE_EXHAUSTED: Quota exceeded for quota metric 'Write requests'",
      retryAfterMs: 3_000,
      maybeApplied: false,
      answered: true,
    });
  });

  it('5xx may have been applied; a lost connection may even still be running', () => {
    expect(classifySheetsError(httpError(503, { status: 'UNAVAILABLE', message: 'x' }))).toMatchObject({
      kind: 'unavailable',
      maybeApplied: true,
      answered: true,
    });
    const reset = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
    expect(classifySheetsError(reset)).toEqual({
      kind: 'unavailable',
      reason: 'ECONNRESET: socket hang up',
      maybeApplied: true,
      answered: false,
    });
  });

  it('400 is a refusal of the content, except a range Google cannot parse (the tab is gone)', () => {
    expect(
      classifySheetsError(httpError(400, { status: 'INVALID_ARGUMENT', message: 'Invalid value' })),
    ).toMatchObject({
      kind: 'rejected',
      maybeApplied: false,
    });
    expect(
      classifySheetsError(
        httpError(400, { status: 'INVALID_ARGUMENT', message: "Unable to parse range: 'Calls'!A:T" }),
      ),
    ).toMatchObject({ kind: 'missing-tab' });
  });

  it('403 and 404 are denied; 401 and a refused token are auth problems, never the row’s fault', () => {
    expect(classifySheetsError(httpError(403, { status: 'PERMISSION_DENIED', message: 'no' })).kind).toBe(
      'denied',
    );
    expect(classifySheetsError(httpError(404, { status: 'NOT_FOUND', message: 'no' })).kind).toBe('denied');
    expect(classifySheetsError(httpError(401, { status: 'UNAUTHENTICATED', message: 'no' })).kind).toBe(
      'auth',
    );
    expect(
      classifySheetsError(new TokenRequestError('token endpoint answered 400 invalid_grant', 400)),
    ).toMatchObject({
      kind: 'auth',
      maybeApplied: false,
    });
    expect(classifySheetsError(new TokenRequestError('token endpoint unreachable')).kind).toBe('unavailable');
  });
});
