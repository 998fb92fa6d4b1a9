import { AppError } from '../common/errors/app-error.js';
import {
  BlandAuthError,
  BlandBillingError,
  BlandError,
  BlandRateLimitError,
  BlandValidationError,
} from './bland/bland.errors.js';

/**
 * A definite Bland failure as the caller should see it. Bland's own account problems (our key, our balance) are
 * the operator's, not the user's: say so rather than blame their input.
 */
export function blandFailureToAppError(err: BlandError): AppError {
  if (err instanceof BlandValidationError) {
    const fields = err.fields.map((f) => (f.field ? `${f.field}: ${f.message}` : f.message)).join('; ');
    return new AppError(
      'validation',
      'CALLS.REJECTED_BY_BLAND',
      `Bland rejected the call: ${fields || err.message}`,
      {
        fields: err.fields,
      },
    );
  }
  if (err instanceof BlandRateLimitError) {
    return new AppError(
      'rate_limited',
      'CALLS.BLAND_RATE_LIMITED',
      `Bland's rate limit was reached (${err.blandCode ?? 'rate limited'}); try again${err.retryAfterSeconds ? ` in ${err.retryAfterSeconds} s` : ' shortly'}`,
      { blandCode: err.blandCode },
      { retryAfterSeconds: err.retryAfterSeconds },
    );
  }
  if (err instanceof BlandAuthError) {
    return new AppError(
      'upstream',
      'CALLS.BLAND_AUTH',
      'the server’s Bland API key was refused; contact the administrator',
    );
  }
  if (err instanceof BlandBillingError) {
    return new AppError(
      'upstream',
      'CALLS.BLAND_BILLING',
      'the Bland account behind this server cannot pay for calls; contact the administrator',
    );
  }
  if (err.retryable) {
    return new AppError(
      'unavailable',
      'CALLS.BLAND_UNAVAILABLE',
      `Bland is not answering (${err.code}); nothing was dialled, try again shortly`,
      {},
      { retryable: true },
    );
  }
  return new AppError('upstream', 'CALLS.BLAND_REJECTED', `Bland refused the call: ${err.message}`, {
    blandCode: err.blandCode,
  });
}
