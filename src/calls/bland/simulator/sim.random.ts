/**
 * Deterministic randomness for the simulator. Each call gets its own generator derived from
 * (seed, phone number, how many calls that number has had), so a call's outcome, timings, transcript and id do
 * not depend on how concurrent requests for other numbers interleave.
 */
import { createHash } from 'node:crypto';

export interface Random {
  /** Uniform in [0, 1). */
  next(): number;
  /** Integer in [min, max]. */
  int(min: number, max: number): number;
  pick<T>(items: readonly T[]): T;
}

/** mulberry32: tiny, fast, good enough for test fixtures (not for anything secret). */
export function seededRandom(seed: number): Random {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    pick: (items) => items[Math.floor(next() * items.length)] as (typeof items)[number],
  };
}

export interface CallIdentity {
  callId: string;
  random: Random;
}

/** A UUID-v4-shaped call id and a generator, both fixed by the inputs. */
export function callIdentity(seed: number, phoneKey: string, ordinal: number): CallIdentity {
  const digest = createHash('sha256').update(`${seed}|${phoneKey}|${ordinal}`).digest();
  const bytes = Buffer.from(digest.subarray(0, 16));
  bytes[6] = (bytes[6]! & 0x0f) | 0x40;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  const callId = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  return { callId, random: seededRandom(digest.readUInt32BE(16)) };
}
