/**
 * Delivers the simulator's webhooks: POST of the call object as compact JSON (what Bland's
 * `JSON.stringify(req.body)` verification example implies), signed with X-Webhook-Signature when a secret is
 * configured. Deliveries for one call go out in order; a failed delivery (non-2xx or network error) is retried a
 * few times with growing, time-scaled delays. Bland does not document its own retry policy.
 */
import type { BlandLogger } from '../bland.logger.js';
import { signWebhookBody, WEBHOOK_SIGNATURE_HEADER } from '../webhook-signature.js';
import type { SimWebhookDelivery } from './sim.types.js';

const RETRY_DELAYS_MS = [1_000, 3_000, 9_000];
const MIN_RETRY_DELAY_MS = 5;
const DELIVERY_TIMEOUT_MS = 5_000;

export interface WebhookSenderOptions {
  secret?: string;
  timeScale: number;
  logger: BlandLogger;
}

export class WebhookSender {
  private readonly queues = new Map<string, Promise<void>>();
  private readonly shutdown = new AbortController();

  constructor(private readonly options: WebhookSenderOptions) {}

  /** Queues a delivery behind earlier ones for the same call; `record` is updated as attempts complete. */
  send(callId: string, url: string, body: string, record: SimWebhookDelivery): void {
    const previous = this.queues.get(callId) ?? Promise.resolve();
    const next = previous.then(() => this.deliver(callId, url, body, record));
    this.queues.set(callId, next);
    void next.finally(() => {
      if (this.queues.get(callId) === next) this.queues.delete(callId);
    });
  }

  /** Resolves when every queued delivery has finished (delivered or given up). */
  async idle(): Promise<void> {
    await Promise.all(this.queues.values());
  }

  async stop(): Promise<void> {
    this.shutdown.abort();
    await this.idle();
  }

  private async deliver(
    callId: string,
    url: string,
    body: string,
    record: SimWebhookDelivery,
  ): Promise<void> {
    for (let attempt = 0; attempt <= RETRY_DELAYS_MS.length && !this.shutdown.signal.aborted; attempt++) {
      if (attempt > 0) await this.sleep(RETRY_DELAYS_MS[attempt - 1]! * this.options.timeScale);
      if (this.shutdown.signal.aborted) return;
      record.attempts = attempt + 1;
      try {
        const response = await fetch(url, {
          method: 'POST',
          headers: this.headers(body),
          body,
          signal: AbortSignal.any([this.shutdown.signal, AbortSignal.timeout(DELIVERY_TIMEOUT_MS)]),
        });
        await response.arrayBuffer();
        record.lastStatusCode = response.status;
        record.lastError = undefined;
        if (response.ok) {
          record.delivered = true;
          return;
        }
      } catch (error) {
        record.lastStatusCode = undefined;
        record.lastError =
          error instanceof Error
            ? ((error.cause as Error | undefined)?.message ?? error.message)
            : String(error);
      }
      this.options.logger.warn(
        { callId, attempt: attempt + 1, status: record.lastStatusCode, error: record.lastError },
        'simulator webhook delivery failed',
      );
    }
  }

  private headers(body: string): Record<string, string> {
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'user-agent': 'bland-simulator',
    };
    if (this.options.secret) headers[WEBHOOK_SIGNATURE_HEADER] = signWebhookBody(body, this.options.secret);
    return headers;
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, Math.max(MIN_RETRY_DELAY_MS, ms));
      const signal = this.shutdown.signal;
      function done(): void {
        signal.removeEventListener('abort', done);
        clearTimeout(timer);
        resolve();
      }
      signal.addEventListener('abort', done, { once: true });
    });
  }
}
