import { backoffDelayMs, parseRetryAfter } from '../../../src/sheets/backoff.js';

const google = { baseMs: 1_000, maxMs: 64_000, jitterMs: 1_000 };

describe("Google's truncated exponential back-off", () => {
  it('doubles from 1 s up to 64 s, adding up to 1 s of jitter, and stays at the maximum', () => {
    const noJitter = [1, 2, 3, 4, 5, 6, 7, 8, 12].map((n) => backoffDelayMs(n, google, undefined, () => 0));
    expect(noJitter).toEqual([1_000, 2_000, 4_000, 8_000, 16_000, 32_000, 64_000, 64_000, 64_000]);
    expect(backoffDelayMs(1, google, undefined, () => 0.5)).toBe(1_500);
    expect(backoffDelayMs(7, google, undefined, () => 0.999)).toBe(64_000);
  });

  it('draws fresh jitter each time', () => {
    const delays = new Set(Array.from({ length: 20 }, () => backoffDelayMs(3, google)));
    expect(delays.size).toBeGreaterThan(1);
    for (const d of delays) expect(d).toBeGreaterThanOrEqual(4_000);
    for (const d of delays) expect(d).toBeLessThanOrEqual(5_000);
  });

  it('never comes back sooner than Retry-After asks, up to ten minutes', () => {
    expect(backoffDelayMs(1, google, 30_000, () => 0)).toBe(30_000);
    expect(backoffDelayMs(6, google, 2_000, () => 0)).toBe(32_000);
    expect(backoffDelayMs(1, google, 86_400_000, () => 0)).toBe(600_000);
  });

  it('reads Retry-After as seconds or as an HTTP date', () => {
    const now = Date.parse('2026-11-27T12:00:00Z');
    expect(parseRetryAfter('7', now)).toBe(7_000);
    expect(parseRetryAfter('Fri, 27 Nov 2026 12:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('Fri, 27 Nov 2026 11:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });
});
