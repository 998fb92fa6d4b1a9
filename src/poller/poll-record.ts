import { z } from 'zod';

/** lambda: the scheduled Lambda. in-app: an app instance with POLLER_MODE=in-app. fallback: the dead-man's switch. */
export type RunnerKind = 'lambda' | 'in-app' | 'fallback';

export interface PollCounts {
  /** Active calls checked with Bland. */
  polled: number;
  /** Calls whose status moved (or that were force-closed). */
  updated: number;
  /** Checked calls that are terminal now, i.e. settled (by this run or a webhook racing it). */
  settled: number;
  /** Calls with an unknown dispatch outcome found at Bland. */
  adopted: number;
  /** Calls Bland never had, failed with their hold released. */
  failed: number;
  /** Calls that could not be checked this time (Bland or database errors); retried next run. */
  errors: number;
}

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
