/**
 * One history: the populations, their legitimate rows, the fraud episodes on top; sorted by time
 * and numbered.
 */
import { legitimateRows, type UnusualCounts } from "./legit";
import { type GenerateOptions, resolveOptions } from "./options";
import { FRAUD_PATTERNS } from "./patterns";
import { makeWorld } from "./populations";
import { seededRandom } from "./random";
import type { LabelledTransaction, Row } from "./rows";

interface History {
  /** Sorted by timestamp. */
  readonly rows: LabelledTransaction[];
  /** Fraudulent rows by pattern name, every pattern listed. */
  readonly fraudByPattern: Readonly<Record<string, number>>;
  /** Legitimate rows that look unusual, by kind. */
  readonly unusual: Readonly<UnusualCounts>;
}

/** Episodes that find nothing before a pattern gives up; what it still owes passes to the next one. */
const MAX_FRUITLESS_EPISODES = 50;

/**
 * Generates the rows and counts them by pattern. About `fraudRate` of the rows are fraudulent,
 * shared among the patterns by their `share`; the legitimate rows fill the rest of `rows`.
 *
 * @throws RangeError naming an option out of its range.
 */
function generateHistory(options: GenerateOptions): History {
  const resolved = resolveOptions(options);
  const random = seededRandom(resolved.seed);
  const fraudTarget = Math.round(resolved.rows * resolved.fraudRate);
  const world = makeWorld(random, resolved, resolved.rows - fraudTarget);
  const { rows: legit, unusual } = legitimateRows(random, world);
  const added: Row[] = [];
  const fraudByPattern: Record<string, number> = {};
  let owed = 0;
  for (const pattern of FRAUD_PATTERNS) {
    const target = fraudTarget * pattern.share + owed;
    let made = 0;
    for (let fruitless = 0; made < target && fruitless < MAX_FRUITLESS_EPISODES; ) {
      // An episode that runs past the period is cut at its end, like any history.
      const episode = pattern
        .episode({ random, world, legit, budget: target - made })
        .filter((row) => row.timestamp < world.end);
      const fraud = episode.filter((row) => row.is_fraud).length;
      if (fraud === 0) fruitless++;
      made += fraud;
      added.push(...episode);
    }
    fraudByPattern[pattern.name] = made;
    owed = Math.max(0, target - made);
  }
  const rows = legit.concat(added).sort((a, b) => a.timestamp - b.timestamp);
  // Numbered in time order, so an id tells nothing of how the row was made.
  const prefix = `tx-${resolved.seed.toString(36)}-`;
  for (let i = 0; i < rows.length; i++) rows[i].transaction_id = prefix + i.toString(36).padStart(5, "0");
  return { rows, fraudByPattern, unusual };
}

export type { History };
export { generateHistory };
