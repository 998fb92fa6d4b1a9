import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { BlandClient, type BlandClientOptions } from '../../../src/calls/bland/bland.client.js';
import type { BlandSimulator } from '../../../src/calls/bland/simulator/index.js';

export const API_KEY = 'org_test_key_0123456789abcdef';
export const WEBHOOK_SECRET = 'whsec_test_secret';

/** A client pointed at the simulator with fast, test-sized resilience settings. */
export function clientFor(sim: BlandSimulator, overrides: Partial<BlandClientOptions> = {}): BlandClient {
  return new BlandClient({
    baseUrl: sim.url,
    apiKey: API_KEY,
    timeoutMs: 1_000,
    retry: { maxRetries: 2, initialDelayMs: 10, maxDelayMs: 50 },
    breaker: { consecutiveFailures: 50, halfOpenAfterMs: 1_000 },
    ...overrides,
  });
}

export async function waitFor(
  condition: () => boolean | Promise<boolean>,
  { timeoutMs = 5_000, intervalMs = 10, what = 'condition' } = {},
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

export interface ReceivedWebhook {
  headers: IncomingHttpHeaders;
  rawBody: string;
}

export interface WebhookReceiver {
  url: string;
  received: ReceivedWebhook[];
  close(): Promise<void>;
}

/** A tiny HTTP endpoint recording every POST; the first `failFirst` requests are answered 500. */
export async function startWebhookReceiver({ failFirst = 0 } = {}): Promise<WebhookReceiver> {
  const received: ReceivedWebhook[] = [];
  let seen = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      seen += 1;
      if (seen <= failFirst) {
        res.writeHead(500).end();
        return;
      }
      received.push({ headers: req.headers, rawBody: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/webhooks/bland`,
    received,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A loopback port with nothing listening on it (connections are refused). */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Captures the thrown error of a promise that must reject. */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the promise to reject');
}
