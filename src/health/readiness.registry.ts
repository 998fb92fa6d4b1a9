import { Injectable } from '@nestjs/common';

export type CheckState = 'ok' | 'failing' | 'disabled' | 'degraded';

export interface CheckResult {
  state: CheckState;
  detail?: string | Record<string, unknown>;
}

interface RegisteredCheck {
  run: () => Promise<CheckResult>;
  /** A failing critical check makes /health/ready answer 503 (the ALB takes the instance out). */
  critical: boolean;
}

/** Modules register their readiness checks here at startup; /health/ready runs them all in parallel. */
@Injectable()
export class ReadinessRegistry {
  private readonly checks = new Map<string, RegisteredCheck>();

  register(name: string, run: () => Promise<CheckResult>, options: { critical: boolean }): void {
    this.checks.set(name, { run, critical: options.critical });
  }

  async evaluate(timeoutMs = 3_000): Promise<{ ready: boolean; checks: Record<string, CheckResult> }> {
    const entries = await Promise.all(
      [...this.checks].map(async ([name, check]) => {
        let result: CheckResult;
        try {
          result = await Promise.race([
            check.run(),
            new Promise<CheckResult>((resolve) =>
              setTimeout(
                () => resolve({ state: 'failing', detail: `timed out after ${timeoutMs} ms` }),
                timeoutMs,
              ).unref(),
            ),
          ]);
        } catch (err) {
          result = { state: 'failing', detail: err instanceof Error ? err.message : String(err) };
        }
        return [name, result, check.critical] as const;
      }),
    );
    const ready = entries.every(([, result, critical]) => !critical || result.state !== 'failing');
    return { ready, checks: Object.fromEntries(entries.map(([name, result]) => [name, result])) };
  }
}
