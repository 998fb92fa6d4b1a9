/**
 * Fault injection for the simulator, settable in-process or over HTTP (`POST /__sim/faults`).
 * `times` limits a fault to the next N matching requests; omitted, it lasts until cleared.
 *
 * Order per request: latency → rateLimit → forced (unless afterProcessing) → errorRate → the request is handled
 * (a send-call is accepted and will dial) → dropAfterAccept | timeout | forced with afterProcessing.
 */
import { z } from 'zod';
import { seededRandom, type Random } from './sim.random.js';

export const SIM_ROUTES = ['send', 'list', 'details', 'stop', 'recording', 'voices'] as const;
export type SimRoute = (typeof SIM_ROUTES)[number];

const times = z.number().int().positive().optional();

export const simFaultsSchema = z.strictObject({
  /** Added before every matching request is answered. */
  latencyMs: z.number().int().min(0).max(120_000).optional(),
  /** Probability (0..1) that a matching request fails with 500 before being handled. */
  errorRate: z.number().min(0).max(1).optional(),
  /** 429 with Bland's error envelope and code. */
  rateLimit: z
    .strictObject({
      code: z.string().min(1).default('CALL_RL_PLAN_CONCURRENCY'),
      retryAfterSeconds: z.number().int().min(0).optional(),
      times,
    })
    .optional(),
  /** A fixed answer; `body` defaults to Bland's body for that status. */
  forced: z
    .strictObject({
      status: z.number().int().min(200).max(599),
      body: z.unknown().optional(),
      headers: z.record(z.string(), z.string()).optional(),
      /** Answer only after handling the request — e.g. a 504 after the call was queued. */
      afterProcessing: z.boolean().optional(),
      times,
    })
    .optional(),
  /** Handle the request (a send-call is accepted and dials), then destroy the socket without answering. */
  dropAfterAccept: z.strictObject({ times }).optional(),
  /** Handle the request, then never answer. */
  timeout: z.strictObject({ times }).optional(),
  /** Restrict all of the above to these routes (default: every /v1 route). */
  routes: z.array(z.enum(SIM_ROUTES)).optional(),
});

export type SimFaults = z.input<typeof simFaultsSchema>;
type ParsedFaults = z.output<typeof simFaultsSchema>;

export interface FaultAnswer {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

export type AfterFault = FaultAnswer | 'drop' | 'hang';

export class FaultInjector {
  private faults: ParsedFaults = {};
  private readonly random: Random;

  constructor(seed: number) {
    this.random = seededRandom(seed ^ 0x9e3779b9);
  }

  /** Validates (throws ZodError on bad input) and replaces the current faults. */
  set(faults: unknown): void {
    this.faults = structuredClone(simFaultsSchema.parse(faults));
  }

  clear(): void {
    this.faults = {};
  }

  current(): SimFaults {
    return structuredClone(this.faults);
  }

  latencyMs(route: SimRoute): number {
    return this.applies(route) ? (this.faults.latencyMs ?? 0) : 0;
  }

  before(route: SimRoute): FaultAnswer | undefined {
    if (!this.applies(route)) return undefined;
    const { rateLimit, forced, errorRate } = this.faults;
    if (rateLimit && this.consume('rateLimit')) {
      return {
        status: 429,
        body: { data: null, errors: [{ error: rateLimit.code, message: rateLimitMessage(rateLimit.code) }] },
        headers:
          rateLimit.retryAfterSeconds === undefined
            ? undefined
            : { 'retry-after': String(rateLimit.retryAfterSeconds) },
      };
    }
    if (forced && !forced.afterProcessing && this.consume('forced')) return forcedAnswer(forced);
    if (errorRate !== undefined && this.random.next() < errorRate) {
      return { status: 500, body: defaultErrorBody(500) };
    }
    return undefined;
  }

  after(route: SimRoute): AfterFault | undefined {
    if (!this.applies(route)) return undefined;
    const { forced } = this.faults;
    if (this.faults.dropAfterAccept && this.consume('dropAfterAccept')) return 'drop';
    if (this.faults.timeout && this.consume('timeout')) return 'hang';
    if (forced?.afterProcessing && this.consume('forced')) return forcedAnswer(forced);
    return undefined;
  }

  private applies(route: SimRoute): boolean {
    return this.faults.routes === undefined || this.faults.routes.includes(route);
  }

  /** Uses up one application of a counted fault; removes it when exhausted. */
  private consume(name: 'rateLimit' | 'forced' | 'dropAfterAccept' | 'timeout'): boolean {
    const fault = this.faults[name];
    if (!fault) return false;
    if (fault.times !== undefined) {
      fault.times -= 1;
      if (fault.times <= 0) delete this.faults[name];
    }
    return true;
  }
}

function forcedAnswer(forced: NonNullable<ParsedFaults['forced']>): FaultAnswer {
  return {
    status: forced.status,
    body: forced.body === undefined ? defaultErrorBody(forced.status) : forced.body,
    headers: forced.headers,
  };
}

function rateLimitMessage(code: string): string {
  if (code === 'CALL_RL_PLAN_CONCURRENCY')
    return 'Concurrent call limit for your plan reached. Wait before you retry.';
  if (code === 'CALL_RL_PLAN_DAILY_MINUTES') return 'Daily call minutes for your plan used up.';
  return 'Rate limit exceeded. Wait before you retry.';
}

/** Bland-shaped bodies for a forced status without an explicit body (an empty object for 2xx). */
export function defaultErrorBody(status: number): unknown {
  switch (status) {
    case 400:
      return { status: 'error', message: 'Invalid request.', errors: [] };
    case 401:
      return { status: 'error', message: 'Invalid API key.' };
    case 402:
      return { status: 'error', message: 'Insufficient balance. Add credits to place calls.' };
    case 404:
      return { status: 'error', message: 'Not found.' };
    case 429:
      return { data: null, errors: [{ error: 'CALL_RL_PLAN_CONCURRENCY', message: rateLimitMessage('') }] };
    default:
      if (status < 300) return {};
      return status >= 500
        ? { status: 'error', message: 'Internal server error.' }
        : { status: 'error', message: `HTTP ${status}` };
  }
}
