/**
 * The simulator's HTTP surface: Bland's /v1 routes (auth → faults → handler → after-faults) and an
 * unauthenticated /__sim control plane so another process can inject faults or force outcomes.
 */
import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { BlandLogger } from '../bland.logger.js';
import type { CallEngine } from './sim.calls.js';
import type { FaultAnswer, FaultInjector, SimRoute } from './sim.faults.js';
import { listCalls, renderDetails } from './sim.render.js';
import { control } from './sim.control.js';
import { validateSendCall } from './sim.validation.js';
import { SIM_VOICES } from './sim.voices.js';

export interface SimHttpContext {
  engine: CallEngine;
  faults: FaultInjector;
  /** Requests received per /v1 route, counted before auth and faults. */
  requestCounts: Map<SimRoute, number>;
  apiKey?: string;
  baseUrl: () => string;
  logger: BlandLogger;
}

export interface Answer {
  status: number;
  body?: unknown;
  binary?: { contentType: string; data: Buffer };
  headers?: Record<string, string>;
}

interface RouteMatch {
  route: SimRoute;
  handle: (body: Buffer, req: IncomingMessage, url: URL) => Answer;
}

const MAX_BODY_BYTES = 1_000_000;
const CALL_PATH = /^\/v1\/calls\/([^/]+)(\/stop|\/recording)?$/;

class BodyTooLargeError extends Error {}

export function createRequestHandler(
  ctx: SimHttpContext,
): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    handle(ctx, req, res).catch((error: unknown) => {
      ctx.logger.error({ err: error, url: req.url }, 'simulator request failed');
      const tooLarge = error instanceof BodyTooLargeError;
      const answer = tooLarge
        ? { status: 413, message: 'Request body too large.' }
        : { status: 500, message: 'Internal server error.' };
      write(res, { status: answer.status, body: legacyError(answer.message) });
    });
  };
}

async function handle(ctx: SimHttpContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://simulator');
  const body = await readBody(req);
  if (url.pathname.startsWith('/__sim/')) return write(res, control(ctx, req.method ?? 'GET', url, body));

  const match = matchRoute(ctx, req.method ?? 'GET', url.pathname);
  if (!match) return write(res, { status: 404, body: legacyError(`Cannot ${req.method} ${url.pathname}`) });
  ctx.requestCounts.set(match.route, (ctx.requestCounts.get(match.route) ?? 0) + 1);

  const latency = ctx.faults.latencyMs(match.route);
  if (latency > 0) await sleep(latency);
  if (!authorized(req, ctx.apiKey)) return write(res, { status: 401, body: legacyError('Invalid API key.') });

  const early = ctx.faults.before(match.route);
  if (early) return write(res, fromFault(early));

  const answer = match.handle(body, req, url);
  const late = ctx.faults.after(match.route);
  if (late === 'drop') {
    ctx.logger.info({ route: match.route }, 'simulator fault: dropping connection after handling');
    req.socket.destroy();
    return;
  }
  if (late === 'hang') {
    ctx.logger.info({ route: match.route }, 'simulator fault: never answering');
    return;
  }
  write(res, late ? fromFault(late) : answer);
}

function matchRoute(ctx: SimHttpContext, method: string, path: string): RouteMatch | undefined {
  if (path === '/v1/calls') {
    if (method === 'POST') return { route: 'send', handle: (body, req) => sendCall(ctx, body, req) };
    if (method === 'GET') return { route: 'list', handle: (_b, _r, url) => listAnswer(ctx, url) };
  }
  if (path === '/v1/voices' && method === 'GET') {
    return { route: 'voices', handle: () => ({ status: 200, body: { voices: SIM_VOICES } }) };
  }
  const call = CALL_PATH.exec(path);
  if (!call) return undefined;
  const callId = decodeURIComponent(call[1]!);
  const action = `${method} ${call[2] ?? ''}`;
  switch (action) {
    case 'GET ':
      return { route: 'details', handle: () => details(ctx, callId) };
    case 'POST /stop':
      return { route: 'stop', handle: () => stopCall(ctx, callId) };
    case 'GET /recording':
      return { route: 'recording', handle: () => recording(ctx, callId) };
    default:
      return undefined;
  }
}

function sendCall(ctx: SimHttpContext, raw: Buffer, req: IncomingMessage): Answer {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw.toString('utf8'));
  } catch {
    return { status: 400, body: legacyError('Invalid JSON body.') };
  }
  const validation = validateSendCall(parsed);
  if (!validation.ok) {
    return {
      status: 400,
      body: { status: 'error', message: 'Invalid request parameters.', errors: validation.errors },
    };
  }
  const encryptedKey = req.headers.encrypted_key;
  const record = ctx.engine.accept({
    request: validation.request,
    startAt: validation.startAt,
    encryptedKey: typeof encryptedKey === 'string' ? encryptedKey : undefined,
  });
  if (!record) {
    const message = 'Concurrent call limit for your plan reached. Wait before you retry.';
    return { status: 429, body: { data: null, errors: [{ error: 'CALL_RL_PLAN_CONCURRENCY', message }] } };
  }
  return {
    status: 200,
    body: { status: 'success', message: 'Call successfully queued.', call_id: record.callId, batch_id: null },
  };
}

function listAnswer(ctx: SimHttpContext, url: URL): Answer {
  const rows = ctx.engine.all().map((record, sequence) => ({
    details: renderDetails(record, ctx.baseUrl()),
    updatedAt: record.updatedAt,
    sequence,
  }));
  return { status: 200, body: listCalls(rows, url.searchParams) };
}

function details(ctx: SimHttpContext, callId: string): Answer {
  const record = ctx.engine.get(callId);
  if (!record) return { status: 404, body: legacyError('Call not found.') };
  return { status: 200, body: renderDetails(record, ctx.baseUrl()) };
}

function stopCall(ctx: SimHttpContext, callId: string): Answer {
  const record = ctx.engine.get(callId);
  if (!record) return { status: 404, body: legacyError('SID not found for the given c_id.') };
  // Stopping an ended call is answered like a successful stop: the caller's intent already holds.
  ctx.engine.stop(record);
  return { status: 200, body: { status: 'success', message: 'Call ended successfully.' } };
}

function recording(ctx: SimHttpContext, callId: string): Answer {
  const record = ctx.engine.get(callId);
  if (!record || !renderDetails(record, ctx.baseUrl()).recording_url) {
    return {
      status: 404,
      body: {
        data: null,
        errors: [{ error: 'CALL_RECORDING_NOT_FOUND', message: 'Call recording not found' }],
      },
    };
  }
  return { status: 200, binary: { contentType: 'audio/wav', data: silentWav(0.5) } };
}

function authorized(req: IncomingMessage, apiKey: string | undefined): boolean {
  if (!apiKey) return true;
  const header = req.headers.authorization;
  if (!header) return false;
  const presented = Buffer.from(header.replace(/^Bearer\s+/i, '').trim());
  const expected = Buffer.from(apiKey);
  return presented.length === expected.length && timingSafeEqual(presented, expected);
}

function fromFault(fault: FaultAnswer): Answer {
  return { status: fault.status, body: fault.body, headers: fault.headers };
}

function write(res: ServerResponse, answer: Answer): void {
  if (res.headersSent || res.destroyed) return;
  if (answer.binary) {
    res.writeHead(answer.status, { ...answer.headers, 'content-type': answer.binary.contentType });
    res.end(answer.binary.data);
    return;
  }
  if (answer.body === undefined) {
    res.writeHead(answer.status, answer.headers);
    res.end();
    return;
  }
  res.writeHead(answer.status, { ...answer.headers, 'content-type': 'application/json' });
  res.end(JSON.stringify(answer.body));
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new BodyTooLargeError();
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

export function legacyError(message: string): { status: 'error'; message: string } {
  return { status: 'error', message };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

/** A mono 8 kHz 16-bit PCM WAV of silence, standing in for a call recording. */
function silentWav(seconds: number): Buffer {
  const samples = Math.round(8_000 * seconds);
  const header = Buffer.alloc(44);
  header.write('RIFF', 0);
  header.writeUInt32LE(36 + samples * 2, 4);
  header.write('WAVEfmt ', 8);
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20);
  header.writeUInt16LE(1, 22);
  header.writeUInt32LE(8_000, 24);
  header.writeUInt32LE(16_000, 28);
  header.writeUInt16LE(2, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36);
  header.writeUInt32LE(samples * 2, 40);
  return Buffer.concat([header, Buffer.alloc(samples * 2)]);
}
