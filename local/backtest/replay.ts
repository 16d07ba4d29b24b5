/**
 * Replays transactions through the detector exactly as detect-fraud assesses them (selectHistory
 * + assessTransaction over the account's earlier transactions), in event-time order, without
 * HTTP or storage. Each account's transactions are kept in a timestamp-sorted array, so a
 * transaction's candidates are one slice of it.
 */
import type { Assessment, Transaction } from "../../pipeline/runtime/contract/transaction";
import { assessTransaction } from "../../pipeline/runtime/detect/assess";
import type { RulesConfig } from "../../pipeline/runtime/detect/config";
import { selectHistory } from "../../pipeline/runtime/detect/history";

/** A decoded row to replay. */
export interface ReplayRow {
  readonly line: number;
  readonly tx: Transaction;
  readonly label?: boolean;
}

export interface ReplayedRow extends ReplayRow {
  readonly assessment: Assessment;
}

/** First index whose timestamp is >= `timestamp` in an ascending array. */
function lowerBound(history: readonly Transaction[], timestamp: number): number {
  let lo = 0;
  let hi = history.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (history[mid].timestamp < timestamp) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Assesses every row in event-time order (ties in input order). A repeat of an already replayed
 * key (same transaction_id and timestamp) is not replayed, because the deployed pipeline stores
 * it once; it is reported in `duplicates` by line.
 *
 * @example
 * const { replayed } = replay(rows, DEFAULT_RULES_CONFIG);
 * replayed[0].assessment; // { score, flagged, hits }
 */
function replay(
  rows: readonly ReplayRow[],
  config: RulesConfig,
): { replayed: ReplayedRow[]; duplicates: number[] } {
  const ordered = [...rows].sort((a, b) => a.tx.timestamp - b.tx.timestamp || a.line - b.line);
  const byAccount = new Map<string, Transaction[]>();
  const seen = new Set<string>();
  const replayed: ReplayedRow[] = [];
  const duplicates: number[] = [];
  for (const row of ordered) {
    const { tx } = row;
    const key = `${tx.transaction_id}\u0000${tx.timestamp}`;
    if (seen.has(key)) {
      duplicates.push(row.line);
      continue;
    }
    seen.add(key);
    const history = byAccount.get(tx.account_id) ?? [];
    // Every stored transaction is earlier or equal in time, so the window is a tail of the array;
    // the most recent `limit` are all selectHistory can keep.
    const from = Math.max(
      lowerBound(history, tx.timestamp - config.history.windowMs),
      history.length - config.history.limit,
    );
    const selected = selectHistory(tx, history.slice(from), config);
    replayed.push({ ...row, assessment: assessTransaction(tx, selected, config) });
    history.push(tx);
    byAccount.set(tx.account_id, history);
  }
  return { replayed, duplicates };
}

export { replay };
