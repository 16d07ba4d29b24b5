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

/** Rows sorted by descending score (a copy). */
function byScoreDescending(rows: readonly Scored[]): Scored[] {
  return [...rows].sort((a, b) => b.score - a.score);
}

/**
 * Area under the ROC curve: the probability that a random positive scores above a random
 * negative, ties counting one half. `null` without both classes.
 *
 * @example
 * rocAuc([{ score: 0.9, label: true }, { score: 0.1, label: false }]); // 1
 */
function rocAuc(rows: readonly Scored[]): number | null {
  const sorted = [...rows].sort((a, b) => a.score - b.score);
  const positives = sorted.filter((r) => r.label).length;
  const negatives = sorted.length - positives;
  if (positives === 0 || negatives === 0) return null;
  let rankSum = 0;
  for (let start = 0; start < sorted.length; ) {
    let end = start;
    while (end < sorted.length && sorted[end].score === sorted[start].score) end += 1;
    const averageRank = (start + 1 + end) / 2;
    for (let i = start; i < end; i++) if (sorted[i].label) rankSum += averageRank;
    start = end;
  }
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

/**
 * Average precision: the sum over score thresholds (descending, ties as one step) of the recall
 * gained times the precision at that threshold. `null` without positives.
 *
 * @example
 * averagePrecision([{ score: 2, label: true }, { score: 1, label: false }, { score: 0, label: true }]); // 0.8333
 */
function averagePrecision(rows: readonly Scored[]): number | null {
  const sorted = byScoreDescending(rows);
  const positives = sorted.filter((r) => r.label).length;
  if (positives === 0) return null;
  let tp = 0;
  let seen = 0;
  let sum = 0;
  for (let start = 0; start < sorted.length; ) {
    let end = start;
    let gained = 0;
    while (end < sorted.length && sorted[end].score === sorted[start].score) {
      if (sorted[end].label) gained += 1;
      end += 1;
    }
    tp += gained;
    seen = end;
    sum += (gained / positives) * (tp / seen);
    start = end;
  }
  return sum;
}

/**
 * Precision, recall and F1 when flagging at `score >= threshold`, for each threshold.
 *
 * @example
 * thresholdSweep(rows, [40, 60, 80]); // [{ threshold: 40, flagged: 12, precision: 0.5, ... }, ...]
 */
function thresholdSweep(rows: readonly Scored[], thresholds: readonly number[]): SweepPoint[] {
  return thresholds.map((threshold) => {
    const c = confusion(rows.map((r) => ({ label: r.label, flagged: r.score >= threshold })));
    return { threshold, flagged: c.tp + c.fp, ...quality(c) };
  });
}

/** A scored row with the account and UTC day it belongs to. */
export interface AccountDayScored extends Scored {
  readonly accountId: string;
  readonly day: number;
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
  const days = new Map<number, Map<string, { score: number; fraud: boolean }>>();
  for (const row of rows) {
    let accounts = days.get(row.day);
    if (accounts === undefined) {
      accounts = new Map();
      days.set(row.day, accounts);
    }
    const current = accounts.get(row.accountId);
    accounts.set(row.accountId, {
      score: Math.max(current?.score ?? Number.NEGATIVE_INFINITY, row.score),
      fraud: (current?.fraud ?? false) || row.label,
    });
  }
  if (days.size === 0) return null;
  let sum = 0;
  for (const accounts of days.values()) {
    const top = [...accounts.entries()]
      .sort(([a, x], [b, y]) => y.score - x.score || a.localeCompare(b))
      .slice(0, k);
    sum += top.filter(([, account]) => account.fraud).length / top.length;
  }
  return sum / days.size;
}

export { averagePrecision, confusion, precisionAtTopAccountsPerDay, quality, rocAuc, thresholdSweep };
