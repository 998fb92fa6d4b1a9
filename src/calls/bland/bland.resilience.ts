/**
 * Retry and circuit-breaker policies (cockatiel) for the Bland client.
 * - One breaker per client, shared by every operation: repeated 5xx/timeouts/connection failures open it, and
 *   while open every call fails fast with BlandUnavailableError without touching the network.
 * - Retries wrap the breaker (each attempt counts towards it) and are used only for idempotent reads.
 */
import {
  BrokenCircuitError,
  CircuitBreakerPolicy,
  CircuitState,
  ConsecutiveBreaker,
  DelegateBackoff,
  ExponentialBackoff,
  IBackoff,
  IRetryBackoffContext,
  RetryPolicy,
  circuitBreaker,
  handleWhen,
  retry,
} from 'cockatiel';
import {
  BlandAmbiguousDispatchError,
  BlandNetworkError,
  BlandRateLimitError,
  BlandServerError,
  BlandTimeoutError,
  BlandUnavailableError,
} from './bland.errors.js';
import type { BlandOperation } from './bland.error-mapping.js';
import type { BlandLogger } from './bland.logger.js';

export interface BlandRetryOptions {
  /** Retries after the first attempt. */
  maxRetries: number;
  initialDelayMs: number;
  maxDelayMs: number;
  /** A Retry-After longer than this is not waited for: the error goes straight to the caller. */
  maxRetryAfterMs: number;
}

export interface BlandBreakerOptions {
  /** Consecutive outage failures that open the circuit. */
  consecutiveFailures: number;
  /** How long the circuit stays open before one trial request is let through. */
  halfOpenAfterMs: number;
}

export const DEFAULT_RETRY: BlandRetryOptions = {
  maxRetries: 2,
  initialDelayMs: 250,
  maxDelayMs: 4_000,
  maxRetryAfterMs: 10_000,
};

export const DEFAULT_BREAKER: BlandBreakerOptions = { consecutiveFailures: 5, halfOpenAfterMs: 30_000 };

export type BreakerState = 'closed' | 'open' | 'half-open';

/** Failures that say "Bland (or the path to it) is down", as opposed to "this request is wrong". */
function isOutage(error: unknown): boolean {
  if (error instanceof BlandAmbiguousDispatchError) return error.reason !== 'unreadable_response';
  return (
    error instanceof BlandServerError ||
    error instanceof BlandTimeoutError ||
    error instanceof BlandNetworkError
  );
}

export class BlandResilience {
  private readonly breaker: CircuitBreakerPolicy;
  private readonly retryPolicy: RetryPolicy;
  private openedAt: number | undefined;

  constructor(
    private readonly retryOptions: BlandRetryOptions,
    private readonly breakerOptions: BlandBreakerOptions,
    private readonly logger: BlandLogger,
  ) {
    this.breaker = circuitBreaker(handleWhen(isOutage), {
      halfOpenAfter: breakerOptions.halfOpenAfterMs,
      breaker: new ConsecutiveBreaker(breakerOptions.consecutiveFailures),
    });
    this.breaker.onBreak(() => {
      this.openedAt = Date.now();
      this.logger.error({ halfOpenAfterMs: breakerOptions.halfOpenAfterMs }, 'Bland circuit breaker opened');
    });
    this.breaker.onReset(() => {
      this.openedAt = undefined;
      this.logger.info({}, 'Bland circuit breaker closed');
    });
    this.retryPolicy = retry(
      handleWhen((error) => this.isRetryable(error)),
      { maxAttempts: retryOptions.maxRetries, backoff: this.backoff() },
    );
  }

  /** One attempt through the breaker — for send-call (never retried) and stop. */
  runOnce<T>(operation: BlandOperation, attempt: () => Promise<T>): Promise<T> {
    return this.throughBreaker(operation, attempt);
  }

  /** Retries idempotent reads with jittered exponential backoff, honouring Retry-After. */
  runIdempotent<T>(operation: BlandOperation, attempt: () => Promise<T>): Promise<T> {
    return this.retryPolicy.execute(async ({ attempt: retryNumber }) => {
      if (retryNumber > 0) this.logger.warn({ operation, retry: retryNumber }, 'retrying Bland request');
      return this.throughBreaker(operation, attempt);
    });
  }

  state(): BreakerState {
    switch (this.breaker.state) {
      case CircuitState.Closed:
        return 'closed';
      case CircuitState.HalfOpen:
        return 'half-open';
      default:
        return 'open';
    }
  }

  /**
   * For health checks. cockatiel only moves Open → HalfOpen when the next request arrives, so an open circuit
   * whose wait has elapsed counts as available: the next request is the trial.
   */
  isAvailable(): boolean {
    if (this.state() !== 'open') return true;
    return this.openedAt !== undefined && Date.now() - this.openedAt >= this.breakerOptions.halfOpenAfterMs;
  }

  private async throughBreaker<T>(operation: BlandOperation, attempt: () => Promise<T>): Promise<T> {
    try {
      return await this.breaker.execute(attempt);
    } catch (error) {
      if (error instanceof BrokenCircuitError) {
        throw new BlandUnavailableError(
          `Bland is unavailable (circuit open after repeated failures); ${operation} was not sent — try again later`,
          { cause: error },
        );
      }
      throw error;
    }
  }

  private isRetryable(error: unknown): boolean {
    if (error instanceof BlandRateLimitError) {
      const waitMs = (error.retryAfterSeconds ?? 0) * 1000;
      return waitMs <= this.retryOptions.maxRetryAfterMs;
    }
    return isOutage(error) && !(error instanceof BlandAmbiguousDispatchError);
  }

  /** Decorrelated-jitter exponential backoff, stretched to Bland's Retry-After when it asks for longer. */
  private backoff(): DelegateBackoff<IRetryBackoffContext<unknown>, IBackoff<unknown> | undefined> {
    const exponential = new ExponentialBackoff({
      initialDelay: this.retryOptions.initialDelayMs,
      maxDelay: this.retryOptions.maxDelayMs,
    });
    return new DelegateBackoff((context, previous) => {
      const next = previous ? previous.next(context) : exponential.next();
      const failure = 'error' in context.result ? context.result.error : undefined;
      const retryAfterMs =
        failure instanceof BlandRateLimitError && failure.retryAfterSeconds !== undefined
          ? failure.retryAfterSeconds * 1000
          : 0;
      return { delay: Math.max(next.duration, retryAfterMs), state: next };
    });
  }
}
