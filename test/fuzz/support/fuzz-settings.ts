import type { Parameters } from 'fast-check';

/**
 * How hard the fuzzers push. FUZZ_RUNS is the number of cases EACH property runs: a few hundred by default (CI),
 * 10,000 or more in the long mode (`npm run test:long`). A failure prints fast-check's seed and path; set
 * FUZZ_SEED (and FUZZ_PATH) to replay exactly that counterexample.
 */
export const FUZZ_RUNS = positiveInteger('FUZZ_RUNS', 200);
const FUZZ_SEED = process.env.FUZZ_SEED ? integer('FUZZ_SEED') : undefined;
const FUZZ_PATH = process.env.FUZZ_PATH || undefined;

/** Replaying one counterexample: coverage checks ("the generators reached the deep code") do not apply. */
export const REPLAYING = FUZZ_PATH !== undefined;

/** fast-check parameters for one property: `share` scales the runs for properties that are costly per case. */
export function fuzzParameters<T>(share = 1): Parameters<T> {
  return {
    numRuns: Math.max(1, Math.round(FUZZ_RUNS * share)),
    ...(FUZZ_SEED !== undefined ? { seed: FUZZ_SEED } : {}),
    ...(FUZZ_PATH !== undefined ? { path: FUZZ_PATH } : {}),
  };
}

/** A Jest timeout for a property: a fixed allowance (shrinking a counterexample) plus a budget per case. */
export const propertyTimeout = (msPerCase: number, share = 1): number =>
  60_000 + Math.ceil(FUZZ_RUNS * share * msPerCase);

function positiveInteger(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = integer(name);
  if (value < 1) throw new Error(`${name} must be a positive integer, got "${raw}"`);
  return value;
}

function integer(name: string): number {
  const value = Number(process.env[name]);
  if (!Number.isSafeInteger(value)) throw new Error(`${name} must be an integer, got "${process.env[name]}"`);
  return value;
}
