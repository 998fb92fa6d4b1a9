/**
 * Typed client for Bland.AI's v1 calls API over Node's fetch.
 *
 * Safety rules:
 * - every request has its own timeout (AbortSignal);
 * - reads are retried with backoff; send-call is NEVER retried, and when its outcome is unknown (timeout,
 *   dropped connection, gateway error, unreadable success) it fails with BlandAmbiguousDispatchError so the caller
 *   reconciles instead of dialling twice; stop is not retried either (Bland does not document it as idempotent);
 * - one circuit breaker guards all operations;
 * - credentials never appear in error messages or logs.
 */
import {
  errorFromResponse,
  errorFromTransportFailure,
  isRecord,
  type BlandOperation,
} from './bland.error-mapping.js';
import { BlandAmbiguousDispatchError, BlandBadResponseError } from './bland.errors.js';
import { silentLogger, type BlandLogger } from './bland.logger.js';
import { samePhoneNumber } from './bland.phone.js';
import {
  BlandResilience,
  DEFAULT_BREAKER,
  DEFAULT_RETRY,
  type BlandBreakerOptions,
  type BlandRetryOptions,
  type BreakerState,
} from './bland.resilience.js';
import type {
  BlandCallDetails,
  BlandCallListItem,
  BlandListCallsQuery,
  BlandListCallsResponse,
  BlandSendCallRequest,
  BlandSendCallResponse,
  BlandStopCallResponse,
  BlandVoice,
} from './bland.types.js';

export interface BlandClientOptions {
  /** e.g. https://api.bland.ai (no /v1). */
  baseUrl: string;
  apiKey: string;
  /** BYOT: sent as the `encrypted_key` header so calls go out through your own Twilio account. */
  encryptedKey?: string;
  /** Per attempt. */
  timeoutMs: number;
  logger?: BlandLogger;
  retry?: Partial<BlandRetryOptions>;
  breaker?: Partial<BlandBreakerOptions>;
}

export interface CallMetadataSearch {
  toNumber: string;
  /** When we sent the call; earlier calls are ignored (with a few minutes' slack for clock skew). */
  createdAfter: Date;
  key: string;
  value: string;
  /** Call-details fetches allowed, newest candidates first. Default 10. */
  maxCandidates?: number;
}

type Query = Record<string, string | number | boolean | undefined>;

interface RequestSpec {
  method: 'GET' | 'POST';
  path: string;
  query?: Query;
  body?: unknown;
}

const CLOCK_SKEW_SLACK_MS = 5 * 60_000;
const DAY_MS = 24 * 60 * 60_000;
/** Secrets shorter than this are not scrubbed from text: replacing a 3-letter test key would mangle messages. */
const MIN_REDACTABLE_SECRET = 8;

export class BlandClient {
  private readonly baseUrl: string;
  private readonly logger: BlandLogger;
  private readonly resilience: BlandResilience;
  private readonly secrets: string[];

  constructor(private readonly options: BlandClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.logger = options.logger ?? silentLogger;
    this.resilience = new BlandResilience(
      { ...DEFAULT_RETRY, ...options.retry },
      { ...DEFAULT_BREAKER, ...options.breaker },
      this.logger,
    );
    this.secrets = [options.apiKey, options.encryptedKey].filter(
      (secret): secret is string => secret !== undefined && secret.length >= MIN_REDACTABLE_SECRET,
    );
  }

  /** POST /v1/calls. Exactly one attempt; see BlandAmbiguousDispatchError for the unknown-outcome case. */
  async sendCall(request: BlandSendCallRequest): Promise<BlandSendCallResponse> {
    const body = await this.resilience.runOnce('sendCall', () =>
      this.attempt('sendCall', { method: 'POST', path: '/v1/calls', body: request }),
    );
    if (!isRecord(body) || typeof body.call_id !== 'string' || body.call_id === '') {
      // Bland said 2xx, so the call was probably queued — but without its id we cannot track it.
      throw new BlandAmbiguousDispatchError(
        'Bland accepted the call without returning a call_id; the call may have been queued',
        'unreadable_response',
      );
    }
    return {
      status: 'success',
      message: typeof body.message === 'string' ? body.message : '',
      call_id: body.call_id,
      batch_id: typeof body.batch_id === 'string' ? body.batch_id : null,
    };
  }

  /** GET /v1/calls/{id}. */
  async getCall(callId: string): Promise<BlandCallDetails> {
    const body = await this.resilience.runIdempotent('getCall', () =>
      this.attempt('getCall', { method: 'GET', path: `/v1/calls/${encodeURIComponent(callId)}` }),
    );
    const id = isRecord(body) ? (stringField(body.call_id) ?? stringField(body.c_id)) : undefined;
    if (!isRecord(body) || id === undefined) throw badResponse('getCall', 'a call object with call_id');
    return { ...body, call_id: id } as BlandCallDetails;
  }

  /** GET /v1/calls with Bland's filters (index-based pagination: `from`/`to`/`limit`). */
  async listCalls(query: BlandListCallsQuery = {}): Promise<BlandListCallsResponse> {
    const body = await this.resilience.runIdempotent('listCalls', () =>
      this.attempt('listCalls', { method: 'GET', path: '/v1/calls', query: { ...query } }),
    );
    if (!isRecord(body) || !Array.isArray(body.calls))
      throw badResponse('listCalls', 'an object with calls[]');
    const calls = body.calls.filter(
      (row): row is BlandCallListItem => isRecord(row) && typeof row.call_id === 'string',
    );
    return {
      total_count: typeof body.total_count === 'number' ? body.total_count : undefined,
      count: typeof body.count === 'number' ? body.count : calls.length,
      calls,
    };
  }

  /** POST /v1/calls/{id}/stop: ends an active call or cancels a scheduled one. One attempt. */
  async stopCall(callId: string): Promise<BlandStopCallResponse> {
    const body = await this.resilience.runOnce('stopCall', () =>
      this.attempt('stopCall', { method: 'POST', path: `/v1/calls/${encodeURIComponent(callId)}/stop` }),
    );
    const message = isRecord(body) ? stringField(body.message) : undefined;
    return { status: 'success', message: message ?? 'Call ended.' };
  }

  /** GET /v1/voices (read as `{ voices: [...] }` or a bare array — sources disagree). */
  async listVoices(): Promise<BlandVoice[]> {
    const body = await this.resilience.runIdempotent('listVoices', () =>
      this.attempt('listVoices', { method: 'GET', path: '/v1/voices' }),
    );
    const list = Array.isArray(body)
      ? body
      : isRecord(body) && Array.isArray(body.voices)
        ? body.voices
        : undefined;
    if (list === undefined) throw badResponse('listVoices', 'a voices array');
    return list.filter(
      (voice): voice is BlandVoice =>
        isRecord(voice) && typeof voice.name === 'string' && ['string', 'number'].includes(typeof voice.id),
    );
  }

  /**
   * Finds the call we sent by a metadata value (our call id) — the reconciliation step after an ambiguous
   * dispatch. List rows carry no metadata in Bland's docs, so candidates are fetched one by one, newest first.
   */
  async findCallByMetadata(search: CallMetadataSearch): Promise<BlandCallDetails | null> {
    const since = search.createdAfter.getTime() - CLOCK_SKEW_SLACK_MS;
    const { calls } = await this.listCalls({
      to_number: search.toNumber,
      // Day granularity in an undocumented time zone: start a day early and filter exactly below.
      start_date: new Date(since - DAY_MS).toISOString().slice(0, 10),
      limit: 100,
    });
    const candidates = calls
      .filter((row) => row.to == null || samePhoneNumber(row.to, search.toNumber))
      // A row without a readable created_at stays a candidate: missing the call is worse than one extra fetch.
      .filter((row) => (createdAtOf(row) ?? since) >= since)
      .sort((a, b) => (createdAtOf(b) ?? 0) - (createdAtOf(a) ?? 0));

    let fetched = 0;
    for (const row of candidates) {
      if (isRecord(row.metadata) && row.metadata[search.key] !== search.value) continue;
      if (fetched >= (search.maxCandidates ?? 10)) break;
      fetched += 1;
      const details = await this.getCall(row.call_id);
      if (isRecord(details.metadata) && details.metadata[search.key] === search.value) return details;
    }
    return null;
  }

  /** False while the circuit breaker is failing requests fast (for health checks). */
  isAvailable(): boolean {
    return this.resilience.isAvailable();
  }

  breakerState(): BreakerState {
    return this.resilience.state();
  }

  /** One HTTP exchange: returns the parsed JSON of a 2xx, or throws a typed BlandError. */
  private async attempt(operation: BlandOperation, spec: RequestSpec): Promise<unknown> {
    const url = this.baseUrl + spec.path + queryString(spec.query);
    const signal = AbortSignal.timeout(this.options.timeoutMs);
    const started = performance.now();
    let response: Response;
    let text: string;
    try {
      response = await fetch(url, {
        method: spec.method,
        headers: this.headers(spec.body !== undefined),
        body: spec.body === undefined ? undefined : JSON.stringify(spec.body),
        signal,
        // Never follow: a followed POST redirect would resend the call to another URL.
        redirect: 'manual',
      });
      text = await response.text();
    } catch (error) {
      this.logger.warn(
        { operation, path: spec.path, aborted: signal.aborted },
        'Bland request failed in transit',
      );
      throw errorFromTransportFailure(operation, error, signal.aborted, this.options.timeoutMs);
    }
    const elapsedMs = Math.round(performance.now() - started);
    this.logger.debug({ operation, path: spec.path, status: response.status, elapsedMs }, 'Bland request');

    const failure = {
      operation,
      status: response.status,
      bodyText: text,
      redact: (t: string) => this.redact(t),
    };
    if (!response.ok) {
      throw errorFromResponse({ ...failure, retryAfter: response.headers.get('retry-after') });
    }
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      if (operation === 'sendCall') {
        throw new BlandAmbiguousDispatchError(
          `Bland answered send call with HTTP ${response.status} but an unreadable body; the call may have been queued`,
          'unreadable_response',
          { status: response.status },
        );
      }
      throw badResponse(operation, 'JSON', response.status);
    }
    // Some endpoints report errors as 200 `{ status: "error", message }` (e.g. stop with an unknown id).
    if (isRecord(body) && body.status === 'error') throw errorFromResponse({ ...failure, retryAfter: null });
    return body;
  }

  private headers(hasBody: boolean): Record<string, string> {
    const headers: Record<string, string> = {
      authorization: this.options.apiKey,
      accept: 'application/json',
      'user-agent': 'bland-mcp',
    };
    if (hasBody) headers['content-type'] = 'application/json';
    if (this.options.encryptedKey) headers.encrypted_key = this.options.encryptedKey;
    return headers;
  }

  private redact(text: string): string {
    return this.secrets.reduce((acc, secret) => acc.split(secret).join('[redacted]'), text);
  }
}

function queryString(query: Query | undefined): string {
  if (!query) return '';
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined) params.set(key, String(value));
  }
  const text = params.toString();
  return text === '' ? '' : `?${text}`;
}

function createdAtOf(row: BlandCallListItem): number | undefined {
  const at = row.created_at ? Date.parse(row.created_at) : NaN;
  return Number.isNaN(at) ? undefined : at;
}

function stringField(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function badResponse(operation: BlandOperation, expected: string, status?: number): BlandBadResponseError {
  return new BlandBadResponseError(`Bland ${operation} returned a 2xx without ${expected}`, { status });
}
