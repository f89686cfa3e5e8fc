/**
 * How many cases each fuzz property runs, and with which seed. The CI run uses the defaults
 * (10,000 cases in total, seed 20261128) so a failure is reproducible from the log; a longer run
 * is `npm run test:fuzz -- --runs 100000` (or `FUZZ_RUNS=100000`), another seed `FUZZ_SEED=…`.
 */
export const DEFAULT_TOTAL_RUNS = 10_000;
export const DEFAULT_SEED = 20261128;

export interface FuzzBudget {
  total: number;
  seed: number;
  /** Cases for one property that gets `share` (0–1) of the total, at least 1. */
  runs(share: number): number;
  /** fast-check parameters for a property with `share` of the total. */
  params(share: number): { numRuns: number; seed: number; endOnFailure: boolean };
}

export function fuzzBudget(env: NodeJS.ProcessEnv = process.env): FuzzBudget {
  const total = positiveInt(env.FUZZ_RUNS) ?? DEFAULT_TOTAL_RUNS;
  const seed = positiveInt(env.FUZZ_SEED) ?? DEFAULT_SEED;
  const runs = (share: number): number => Math.max(1, Math.round(total * share));
  return {
    total,
    seed,
    runs,
    params: (share) => ({ numRuns: runs(share), seed, endOnFailure: true }),
  };
}

function positiveInt(v: string | undefined): number | undefined {
  if (v === undefined || v === '') return undefined;
  const n = Number(v);
  return Number.isInteger(n) && n > 0 ? n : undefined;
}
