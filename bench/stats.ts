/**
 * Summary statistics of benchmark samples. Percentiles interpolate linearly between the two
 * nearest ranks (numpy's default), so a p90 of 15 samples is well defined.
 */

/** Summary of a sample set, in the samples' unit. */
interface Summary {
  readonly n: number;
  readonly min: number;
  readonly median: number;
  readonly p90: number;
  readonly p99: number;
  readonly max: number;
  readonly mean: number;
}

/**
 * The `p`-th percentile (0..100) of samples sorted ascending.
 *
 * @example
 * percentile([1, 2, 3, 4], 50); // 2.5
 */
function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) throw new RangeError("percentile: samples must not be empty");
  if (p < 0 || p > 100) throw new RangeError(`percentile: p must be from 0 to 100, got ${p}`);
  const rank = (p / 100) * (sorted.length - 1);
  const lower = Math.floor(rank);
  const upper = Math.ceil(rank);
  return sorted[lower] + (sorted[upper] - sorted[lower]) * (rank - lower);
}

/**
 * Summarizes samples (any order; the input is not modified).
 *
 * @example
 * summarize([3, 1, 2]); // { n: 3, min: 1, median: 2, p90: 2.8, p99: 2.98, max: 3, mean: 2 }
 */
function summarize(samples: ArrayLike<number>): Summary {
  const sorted = Float64Array.from(samples).sort();
  let total = 0;
  for (const value of sorted) total += value;
  return {
    n: sorted.length,
    min: sorted[0],
    median: percentile(sorted, 50),
    p90: percentile(sorted, 90),
    p99: percentile(sorted, 99),
    max: sorted[sorted.length - 1],
    mean: total / sorted.length,
  };
}

export type { Summary };
export { percentile, summarize };
