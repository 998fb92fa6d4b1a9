import type { Clock } from '../../../scripts/lib/clock.ts';

/** A clock whose sleeps return at once and move time forward: a 20-minute wait runs in microseconds. */
export class VirtualClock implements Clock {
  private current: number;
  slept = 0;

  constructor(start = Date.parse('2026-11-27T12:00:00Z')) {
    this.current = start;
  }

  now(): number {
    return this.current;
  }

  async sleep(ms: number): Promise<void> {
    this.current += ms;
    this.slept += ms;
    await Promise.resolve();
  }

  advance(ms: number): void {
    this.current += ms;
  }
}
