/**
 * The simulator's control plane under /__sim (unauthenticated, never subject to faults): lets tests or another
 * process inject faults, force outcomes and inspect calls and dial counts.
 *   GET|POST|DELETE /__sim/faults      POST /__sim/outcomes {phone_number, outcome}
 *   GET /__sim/calls                   POST /__sim/calls/{id}/complete {outcome?}
 */
import { ZodError } from 'zod';
import type { Answer, SimHttpContext } from './sim.http.js';
import { SIM_OUTCOMES, type SimOutcome } from './sim.types.js';

const COMPLETE_PATH = /^\/__sim\/calls\/([^/]+)\/complete$/;

export function control(ctx: SimHttpContext, method: string, url: URL, raw: Buffer): Answer {
  const path = url.pathname;
  try {
    if (path === '/__sim/faults') {
      if (method === 'GET') return { status: 200, body: ctx.faults.current() };
      if (method === 'DELETE') {
        ctx.faults.clear();
        return { status: 204 };
      }
      if (method === 'POST') {
        ctx.faults.set(parseJson(raw));
        return { status: 204 };
      }
    }
    if (path === '/__sim/calls' && method === 'GET') {
      const calls = ctx.engine.all().map((r) => ctx.engine.snapshot(r));
      return { status: 200, body: { calls, dials: ctx.engine.dialCount() } };
    }
    if (path === '/__sim/outcomes' && method === 'POST') {
      const input = parseJson(raw);
      if (typeof input.phone_number !== 'string' || !isOutcome(input.outcome)) {
        return { status: 400, body: { error: `need phone_number and outcome (${SIM_OUTCOMES.join('|')})` } };
      }
      ctx.engine.setOutcome(input.phone_number, input.outcome);
      return { status: 204 };
    }
    const complete = COMPLETE_PATH.exec(path);
    if (complete && method === 'POST') {
      const record = ctx.engine.get(decodeURIComponent(complete[1]!));
      if (!record) return { status: 404, body: { error: 'unknown call' } };
      const outcome = parseJson(raw).outcome;
      if (outcome !== undefined && !isOutcome(outcome)) {
        return { status: 400, body: { error: 'unknown outcome' } };
      }
      ctx.engine.complete(record, outcome ?? 'completed');
      return { status: 200, body: ctx.engine.snapshot(record) };
    }
  } catch (error) {
    if (error instanceof ZodError) {
      return { status: 400, body: { error: 'invalid faults', issues: error.issues } };
    }
    if (error instanceof SyntaxError) return { status: 400, body: { error: 'invalid JSON' } };
    throw error;
  }
  return { status: 404, body: { error: `no control route ${method} ${path}` } };
}

/** An empty body reads as `{}`; anything but a JSON object is a SyntaxError (answered 400). */
function parseJson(raw: Buffer): Record<string, unknown> {
  const value: unknown = JSON.parse(raw.length === 0 ? '{}' : raw.toString('utf8'));
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new SyntaxError('expected a JSON object');
  }
  return value as Record<string, unknown>;
}

function isOutcome(value: unknown): value is SimOutcome {
  return typeof value === 'string' && (SIM_OUTCOMES as readonly string[]).includes(value);
}
