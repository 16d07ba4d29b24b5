/**
 * Draws from distributions over one seeded uniform source. Every draw of the generator goes
 * through the same source in a fixed order, which is what makes a seed reproduce a file byte for byte.
 */
import { seededRandom } from "../../local/faults";

/** A uniform source in [0, 1). */
type Random = () => number;

/** Standard normal (Box–Muller); `1 - random()` keeps the logarithm away from 0. */
function normal(random: Random): number {
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

/** Log-normal with the given median: spending and activity are skewed, a few accounts dwarf the rest. */
function logNormal(random: Random, median: number, sigma: number): number {
  return median * Math.exp(sigma * normal(random));
}

/** Integer in [min, max], both included. */
function intBetween(random: Random, min: number, max: number): number {
  return min + Math.floor(random() * (max - min + 1));
}

function between(random: Random, min: number, max: number): number {
  return min + random() * (max - min);
}

function pick<T>(random: Random, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)];
}

/** Running sums of `weights`, for {@link weightedIndex}. */
function cumulative(weights: readonly number[]): Float64Array {
  const sums = new Float64Array(weights.length);
  let total = 0;
  for (let i = 0; i < weights.length; i++) {
    total += weights[i];
    sums[i] = total;
  }
  return sums;
}

/** Index drawn with probability proportional to its weight (binary search over the running sums). */
function weightedIndex(random: Random, sums: Float64Array): number {
  const target = random() * sums[sums.length - 1];
  let lo = 0;
  let hi = sums.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sums[mid] <= target) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export type { Random };
export { between, cumulative, intBetween, logNormal, normal, pick, seededRandom, weightedIndex };
