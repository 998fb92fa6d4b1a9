import { startCallsApp, type CallsTestApp } from '../../support/calls-app.js';

/**
 * The full app (real Postgres, the Bland simulator) with the per-IP rate limit and per-user call limits lifted:
 * the fuzzers send thousands of requests from one address and place many calls, and must reach the code behind
 * those limits rather than be answered 429.
 */
export function startFuzzApp(env: Record<string, string> = {}): Promise<CallsTestApp> {
  return startCallsApp({
    RATE_LIMIT_PER_MINUTE: '1000000',
    MAX_CONCURRENT_CALLS_PER_USER: '100000',
    MAX_CALLS_PER_HOUR_PER_USER: '100000',
    ...env,
  });
}

/** The app still answers its liveness probe (no crash, no wedged event loop). */
export async function isAlive(baseUrl: string): Promise<boolean> {
  const res = await fetch(`${baseUrl}/health/live`, { signal: AbortSignal.timeout(5_000) });
  return res.status === 200;
}

/** Log lines at pino level error or fatal written after character `from` of the captured log. */
export function errorLines(logs: string, from = 0): string[] {
  return logs
    .slice(from)
    .split('\n')
    .filter((line) => {
      try {
        return (JSON.parse(line) as { level?: number }).level! >= 50;
      } catch {
        return false;
      }
    });
}
