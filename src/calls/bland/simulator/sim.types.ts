import type { BlandLogger } from '../bland.logger.js';
import type { BlandCallDetails, BlandSendCallRequest } from '../bland.types.js';
import type { SimFaults, SimRoute } from './sim.faults.js';

/** How a dialled call ends when nothing intervenes. `voicemail` = answered by a machine (status completed). */
export type SimOutcome = 'completed' | 'voicemail' | 'no-answer' | 'busy' | 'failed';

export const SIM_OUTCOMES: readonly SimOutcome[] = ['completed', 'voicemail', 'no-answer', 'busy', 'failed'];

export type SimPhase = 'scheduled' | 'queued' | 'ringing' | 'in_progress' | 'ended';

/** Bland's terminal status words as the simulator reports them. */
export type SimEndStatus = 'completed' | 'no-answer' | 'busy' | 'failed' | 'canceled';

export interface SimWebhookDelivery {
  /** The call's `status` in the delivered body. */
  callStatus: string;
  attempts: number;
  delivered: boolean;
  lastStatusCode?: number;
  lastError?: string;
}

/** A read-only snapshot of one call the simulator accepted. */
export interface SimCall {
  readonly callId: string;
  readonly request: BlandSendCallRequest;
  /** The `encrypted_key` header the send request carried, if any. */
  readonly encryptedKey?: string;
  readonly createdAt: Date;
  readonly scheduledFor?: Date;
  readonly phase: SimPhase;
  readonly endStatus?: SimEndStatus;
  /** True once the number actually rang (a scheduled call cancelled in time never is). */
  readonly dialed: boolean;
  readonly webhookDeliveries: readonly SimWebhookDelivery[];
  /** Exactly what GET /v1/calls/{id} returns now. */
  readonly details: BlandCallDetails;
}

export interface BlandSimulatorOptions {
  host?: string;
  /** 0 = any free port. */
  port?: number;
  seed?: number;
  /** When set, requests must carry `Authorization: <apiKey>` or `Bearer <apiKey>`. */
  apiKey?: string;
  /** When set, webhooks carry X-Webhook-Signature. */
  webhookSecret?: string;
  /** Multiplies every simulated delay: 1 = real time, 0.01 = a 2-minute call ends in 1.2 s. Reported durations stay unscaled. */
  timeScale?: number;
  /**
   * 'all' (default) posts the call object on every status change; 'terminal' posts only when the call ends, which
   * is what Bland documents for its post-call webhook.
   */
  webhookEvents?: 'all' | 'terminal';
  /** Outcome for every call unless overridden per number; otherwise drawn from the seeded generator. */
  defaultOutcome?: SimOutcome;
  /** Outcome per phone number (E.164). */
  outcomes?: Record<string, SimOutcome>;
  /** Bland plan concurrency: more active calls than this are refused with 429 CALL_RL_PLAN_CONCURRENCY. */
  concurrencyLimit?: number;
  logger?: BlandLogger;
}

export interface BlandSimulator {
  /** Base URL to give BlandClient, e.g. http://127.0.0.1:43117 */
  readonly url: string;
  stop(): Promise<void>;
  setFaults(faults: SimFaults): void;
  clearFaults(): void;
  setOutcome(phoneNumber: string, outcome: SimOutcome): void;
  calls(): readonly SimCall[];
  getCall(callId: string): SimCall | undefined;
  /** Ends a live call now (default outcome `completed`); returns the final snapshot. */
  completeCall(callId: string, outcome?: SimOutcome): SimCall;
  /** How many times a number actually rang; without an argument, the total over all numbers. */
  dialCount(phoneNumber?: string): number;
  /** Requests received on a /v1 route (all routes without an argument), including refused ones. */
  requestCount(route?: SimRoute): number;
  /** Resolves once every webhook queued so far has been delivered or given up. */
  webhooksIdle(): Promise<void>;
}
