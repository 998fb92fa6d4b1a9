import { z } from 'zod';
import type { ReconcileCounts } from '../calls/reconciliation.service.js';

/** lambda: the scheduled Lambda. in-app: an app instance with POLLER_MODE=in-app. fallback: the dead-man's switch. */
export type RunnerKind = 'lambda' | 'in-app' | 'fallback';

/** Per-run counts: the reconciliation routine's own (see ReconcileCounts). */
export type PollCounts = ReconcileCounts;

/** What a successful run leaves in bland_mcp.leases.last_summary: read by the dead-man's switch and readiness. */
export interface PollRecord extends PollCounts {
  runner: string;
  kind: RunnerKind;
  invocationId?: string;
  startedAt: string;
  durationMs: number;
  remaining: boolean;
}

const count = z.number().int().nonnegative().catch(0);

const recordSchema = z.object({
  runner: z.string(),
  kind: z.enum(['lambda', 'in-app', 'fallback']),
  invocationId: z.string().optional().catch(undefined),
  startedAt: z.string().catch(''),
  durationMs: count,
  remaining: z.boolean().catch(false),
  polled: count,
  updated: count,
  settled: count,
  adopted: count,
  failed: count,
  errors: count,
});

/** Tolerant: a summary written by an older or newer version must not break health or the fallback. */
export function readPollRecord(json: unknown): PollRecord | undefined {
  const parsed = recordSchema.safeParse(json);
  return parsed.success ? parsed.data : undefined;
}
