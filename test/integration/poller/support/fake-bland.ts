import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type FakeCallState = 'in-progress' | 'completed';

/**
 * A minimal Bland answering GET /v1/calls/{id} at once (no simulated latency), for volume tests where the
 * simulator's per-call state would be the bottleneck. Every call is `state`; completed calls lasted 1.5 minutes.
 */
export class FakeBland {
  requests = 0;
  state: FakeCallState = 'completed';
  url = '';
  private readonly server = createServer((req, res) => this.answer(req, res));

  private constructor(private readonly apiKey: string) {
    this.server.keepAliveTimeout = 60_000;
  }

  static async start(apiKey: string): Promise<FakeBland> {
    const fake = new FakeBland(apiKey);
    await new Promise<void>((resolve) => fake.server.listen(0, '127.0.0.1', resolve));
    fake.url = `http://127.0.0.1:${(fake.server.address() as AddressInfo).port}`;
    return fake;
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private answer(req: IncomingMessage, res: ServerResponse): void {
    const match = /^\/v1\/calls\/([^/?]+)$/.exec(req.url ?? '');
    const json = (status: number, body: unknown) =>
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    if (req.method !== 'GET' || !match || req.headers.authorization !== this.apiKey) {
      json(404, { status: 'error', message: 'not found' });
      return;
    }
    this.requests++;
    json(200, details(match[1]!, this.state));
  }
}

function details(callId: string, state: FakeCallState) {
  const startedAt = new Date(Date.now() - 120_000).toISOString();
  return state === 'completed'
    ? {
        call_id: callId,
        status: 'completed',
        queue_status: 'complete',
        completed: true,
        call_length: 1.5,
        answered_by: 'human',
        started_at: startedAt,
        summary: 'The customer confirmed the delivery window.',
      }
    : {
        call_id: callId,
        status: 'in-progress',
        queue_status: 'started',
        completed: false,
        started_at: startedAt,
      };
}
