/**
 * Classification metrics of a backtest, pure: confusion matrix, precision/recall/F1, ROC AUC by
 * the rank (Mann-Whitney U) statistic with average ranks for ties, average precision (step-wise,
 * ties grouped), and a threshold sweep. A metric whose denominator is zero is `null`, not NaN,
 * so it survives JSON.
 */

/** One labelled prediction. */
export interface Scored {
  readonly score: number;
  readonly label: boolean;
}

export interface Confusion {
  readonly tp: number;
  readonly fp: number;
  readonly fn: number;
  readonly tn: number;
}

export interface Quality {
  readonly precision: number | null;
  readonly recall: number | null;
  readonly f1: number | null;
}

export interface SweepPoint extends Quality {
  readonly threshold: number;
  readonly flagged: number;
}

/**
 * @example
 * confusion([{ label: true, flagged: true }, { label: false, flagged: true }]); // { tp: 1, fp: 1, fn: 0, tn: 0 }
 */
function confusion(rows: readonly { readonly label: boolean; readonly flagged: boolean }[]): Confusion {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  let tn = 0;
  for (const { label, flagged } of rows) {
    if (flagged && label) tp += 1;
    else if (flagged) fp += 1;
    else if (label) fn += 1;
    else tn += 1;
  }
  return { tp, fp, fn, tn };
}

function ratio(numerator: number, denominator: number): number | null {
  return denominator === 0 ? null : numerator / denominator;
}

/**
 * @example
 * quality({ tp: 8, fp: 2, fn: 2, tn: 88 }); // { precision: 0.8, recall: 0.8, f1: 0.8 }
 */
function quality(c: Confusion): Quality {
  const precision = ratio(c.tp, c.tp + c.fp);
  const recall = ratio(c.tp, c.tp + c.fn);
  const f1 =
    precision === null || recall === null ? null : (ratio(2 * precision * recall, precision + recall) ?? 0);
  return { precision, recall, f1 };
}

/**
 * The scores of the positive and of the negative rows, each sorted ascending: two typed arrays
 * sort far faster than an array of objects does, and walking them together visits the scores in
 * order, ties grouped, with each group's positives and negatives counted.
 */
interface RankedScores {
  readonly positives: Float64Array;
  readonly negatives: Float64Array;
}

/**
 * Ranked scores from the scores of the positive and of the negative rows, in any order.
 *
 * @example
 * rankedScores([0.9, 0.4], [0.1, 0.5, 0.2]); // { positives: [0.4, 0.9], negatives: [0.1, 0.2, 0.5] }
 */
function rankedScores(positives: readonly number[], negatives: readonly number[]): RankedScores {
  return { positives: new Float64Array(positives).sort(), negatives: new Float64Array(negatives).sort() };
}

function scoresByLabel(rows: readonly Scored[]): RankedScores {
  let count = 0;
  for (const row of rows) if (row.label) count += 1;
  const positives = new Float64Array(count);
  const negatives = new Float64Array(rows.length - count);
  let p = 0;
  let n = 0;
  for (const row of rows) {
    if (row.label) positives[p++] = row.score;
    else negatives[n++] = row.score;
  }
  return { positives: positives.sort(), negatives: negatives.sort() };
}

/**
 * Area under the ROC curve: the probability that a random positive scores above a random
 * negative, ties counting one half. `null` without both classes. Takes rows or their ranked scores.
 *
 * @example
 * rocAuc([{ score: 0.9, label: true }, { score: 0.1, label: false }]); // 1
 */
function rocAuc(rows: readonly Scored[] | RankedScores): number | null {
  const { positives, negatives } = "positives" in rows ? rows : scoresByLabel(rows);
  if (positives.length === 0 || negatives.length === 0) return null;
  // Ascending, ties as one group: each positive ranks at its group's average rank.
  let rankSum = 0;
  let p = 0;
  let n = 0;
  while (p < positives.length || n < negatives.length) {
    const score = Math.min(
      positives[p] ?? Number.POSITIVE_INFINITY,
      negatives[n] ?? Number.POSITIVE_INFINITY,
    );
    const start = p + n;
    const firstPositive = p;
    while (p < positives.length && positives[p] === score) p += 1;
    while (n < negatives.length && negatives[n] === score) n += 1;
    const averageRank = (start + 1 + p + n) / 2;
    for (let i = firstPositive; i < p; i++) rankSum += averageRank;
  }
  return (rankSum - (positives.length * (positives.length + 1)) / 2) / (positives.length * negatives.length);
}

/**
 * Average precision: the sum over score thresholds (descending, ties as one step) of the recall
 * gained times the precision at that threshold. `null` without positives. Takes rows or their
 * ranked scores.
 *
 * @example
 * averagePrecision([{ score: 2, label: true }, { score: 1, label: false }, { score: 0, label: true }]); // 0.8333
 */
function averagePrecision(rows: readonly Scored[] | RankedScores): number | null {
  const { positives, negatives } = "positives" in rows ? rows : scoresByLabel(rows);
  if (positives.length === 0) return null;
  // Descending: walk both arrays from their ends.
  let p = positives.length - 1;
  let n = negatives.length - 1;
  let tp = 0;
  let sum = 0;
  while (p >= 0 || n >= 0) {
    const score = Math.max(
      p >= 0 ? positives[p] : Number.NEGATIVE_INFINITY,
      n >= 0 ? negatives[n] : Number.NEGATIVE_INFINITY,
    );
    let gained = 0;
    while (p >= 0 && positives[p] === score) {
      gained += 1;
      p -= 1;
    }
    while (n >= 0 && negatives[n] === score) n -= 1;
    tp += gained;
    const seen = positives.length - 1 - p + (negatives.length - 1 - n);
    sum += (gained / positives.length) * (tp / seen);
  }
  return sum;
}

/**
 * Precision, recall and F1 when flagging at `score >= threshold`, for each threshold. Takes rows
 * or their ranked scores.
 *
 * @example
 * thresholdSweep(rows, [40, 60, 80]); // [{ threshold: 40, flagged: 12, precision: 0.5, ... }, ...]
 */
function thresholdSweep(rows: readonly Scored[] | RankedScores, thresholds: readonly number[]): SweepPoint[] {
  const { positives, negatives } = "positives" in rows ? rows : scoresByLabel(rows);
  return thresholds.map((threshold) => {
    const tp = positives.length - firstAtLeast(positives, threshold);
    const fp = negatives.length - firstAtLeast(negatives, threshold);
    const c = { tp, fp, fn: positives.length - tp, tn: negatives.length - fp };
    return { threshold, flagged: tp + fp, ...quality(c) };
  });
}

/** Index of the first score `>= threshold` in ascending `scores` (their length when none is). */
function firstAtLeast(scores: Float64Array, threshold: number): number {
  let lo = 0;
  let hi = scores.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (scores[mid] < threshold) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** A scored row with the account and UTC day it belongs to. */
export interface AccountDayScored extends Scored {
  readonly accountId: string;
  readonly day: number;
}

/**
 * {@link precisionAtTopAccountsPerDay} fed one labelled row at a time, so a replay need not keep
 * its rows: per day, each account's highest score and whether it had a fraud.
 *
 * @example
 * const top = makeTopAccountsPerDay(100);
 * top.add("acct-1", 20_000, 87.5, true);
 * top.result(); // 1
 */
function makeTopAccountsPerDay(k: number) {
  const days = new Map<number, Map<string, { score: number; fraud: boolean }>>();
  // The last day's accounts: a replay's rows come in time order, so most rows share it.
  let lastDay = Number.NaN;
  let lastAccounts = new Map<string, { score: number; fraud: boolean }>();
  return {
    add(accountId: string, day: number, score: number, label: boolean): void {
      let accounts = day === lastDay ? lastAccounts : days.get(day);
      if (accounts === undefined) {
        accounts = new Map();
        days.set(day, accounts);
      }
      lastDay = day;
      lastAccounts = accounts;
      const current = accounts.get(accountId);
      if (current === undefined) accounts.set(accountId, { score, fraud: label });
      else {
        current.score = Math.max(current.score, score);
        current.fraud = current.fraud || label;
      }
    },
    result(): number | null {
      if (days.size === 0) return null;
      let sum = 0;
      for (const accounts of days.values()) {
        const top = [...accounts.entries()]
          .sort(([a, x], [b, y]) => y.score - x.score || a.localeCompare(b))
          .slice(0, k);
        sum += top.filter(([, account]) => account.fraud).length / top.length;
      }
      return sum / days.size;
    },
  };
}

/**
 * Precision at the top `k` accounts per day, averaged over days: each day, rank the accounts by
 * their highest score that day, take the top `k` (all of them on a day with fewer), and count the
 * share that had a fraud that day. What a fraud team staffed to review `k` cards a day catches.
 * `null` without rows.
 *
 * @example
 * precisionAtTopAccountsPerDay(rows, 100); // 0.42
 */
function precisionAtTopAccountsPerDay(rows: readonly AccountDayScored[], k: number): number | null {
  const top = makeTopAccountsPerDay(k);
  for (const row of rows) top.add(row.accountId, row.day, row.score, row.label);
  return top.result();
}

export type { RankedScores };
export {
  averagePrecision,
  confusion,
  makeTopAccountsPerDay,
  precisionAtTopAccountsPerDay,
  quality,
  rankedScores,
  rocAuc,
  thresholdSweep,
};
