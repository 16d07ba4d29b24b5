/**
 * Replays transactions through the detector walk-forward, exactly as production would have seen
 * them: in event-time order, each transaction scored from its account's earlier transactions (the
 * same selectHistory + assessment detect-fraud runs) and its merchant's risk profile as of that
 * moment. A label becomes outcome feedback `labelDelayMs` after its transaction, never earlier:
 * until then it changes nothing, as a chargeback that has not arrived yet changes nothing.
 * `npm run backtest` and `npm run train` both replay with this function.
 */
import type { Assessment, Transaction } from "../../pipeline/runtime/contract/transaction";
import { assessWithFeatures, type Scoring } from "../../pipeline/runtime/detect/assess";
import { dayOf } from "../../pipeline/runtime/detect/merchant-risk";
import { makeMemoryMerchantRisk } from "./merchant-profiles";

/** A decoded row to replay. */
export interface ReplayRow {
  readonly line: number;
  readonly tx: Transaction;
  readonly label?: boolean;
}

export interface ReplayedRow extends ReplayRow {
  readonly assessment: Assessment;
  /** The feature vector, when the replay was asked to keep it (training). */
  readonly features?: Float64Array;
}

export interface ReplayOptions {
  readonly scoring: Scoring;
  /** How long after its transaction a label is known, milliseconds. */
  readonly labelDelayMs: number;
  /** Keep each row's feature vector (memory: 8 bytes per feature per row). */
  readonly keepFeatures?: boolean;
}

/** A label on its way: known at `at`, about `merchantId`. */
interface PendingLabel {
  readonly at: number;
  readonly merchantId: string;
  readonly fraud: boolean;
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

/** Rows in event-time order, ties in input order; histories usually come sorted, so check first. */
function inReplayOrder(rows: readonly ReplayRow[]): readonly ReplayRow[] {
  const before = (a: ReplayRow, b: ReplayRow) => a.tx.timestamp - b.tx.timestamp || a.line - b.line;
  for (let i = 1; i < rows.length; i++) {
    if (before(rows[i - 1], rows[i]) > 0) return [...rows].sort(before);
  }
  return rows;
}

/**
 * The (transaction_id, timestamp) keys replayed so far. An id is nearly always seen at one
 * timestamp, so it is kept as a number per id; only ids seen at several timestamps pay for a
 * combined string key.
 */
function makeSeenKeys() {
  const firstTimestamp = new Map<string, number>();
  const others = new Set<string>();
  return {
    /** True, and remembered, when the key is new; false for a repeat. */
    addNew(tx: Transaction): boolean {
      const first = firstTimestamp.get(tx.transaction_id);
      if (first === undefined) {
        firstTimestamp.set(tx.transaction_id, tx.timestamp);
        return true;
      }
      if (first === tx.timestamp) return false;
      const key = `${tx.transaction_id}\u0000${tx.timestamp}`;
      if (others.has(key)) return false;
      others.add(key);
      return true;
    },
  };
}

/**
 * Assesses every row in event-time order (ties in input order). A repeat of an already replayed
 * key (same transaction_id and timestamp) is not replayed, because the deployed pipeline stores
 * it once; it is reported in `duplicates` by line. After each row is scored it is counted at its
 * merchant (as detect-fraud counts a first verdict); a labelled fraud is counted as a confirmed
 * fraud on the day its label arrives (as record-outcome counts it).
 *
 * @example
 * const { replayed } = replay(rows, { scoring: { config: DEFAULT_RULES_CONFIG }, labelDelayMs: 7 * 86_400_000 });
 * replayed[0].assessment; // { score, flagged, scorer, hits, reasons }
 */
function replay(
  rows: readonly ReplayRow[],
  options: ReplayOptions,
): { replayed: ReplayedRow[]; duplicates: number[] } {
  const { config } = options.scoring;
  const ordered = inReplayOrder(rows);
  const byAccount = new Map<string, Transaction[]>();
  const merchants = makeMemoryMerchantRisk();
  // One delay for every label and rows in time order: labels arrive in the order they were queued.
  const pending: PendingLabel[] = [];
  let nextPending = 0;
  const seen = makeSeenKeys();
  const replayed: ReplayedRow[] = [];
  const duplicates: number[] = [];
  for (const row of ordered) {
    const { tx } = row;
    if (!seen.addNew(tx)) {
      duplicates.push(row.line);
      continue;
    }
    for (; nextPending < pending.length && pending[nextPending].at <= tx.timestamp; nextPending++) {
      const label = pending[nextPending];
      if (label.fraud) merchants.add(label.merchantId, dayOf(label.at), 0, 1);
    }
    let history = byAccount.get(tx.account_id);
    if (history === undefined) {
      history = [];
      byAccount.set(tx.account_id, history);
    }
    // What selectHistory would return, without its per-candidate work: the account's array is in
    // time order, holds only earlier-or-equal transactions (never this key: repeats are skipped
    // above), so the window is its tail, capped at the most recent `limit`. Rows come in time
    // order, so what falls out of the window now never comes back into a later one: it is dropped
    // in place rather than copied around. The parity test holds this equal to detect-fraud's
    // selection.
    const from = Math.max(
      lowerBound(history, tx.timestamp - config.history.windowMs),
      history.length - config.history.limit,
    );
    if (from > 0) history.splice(0, from);
    const { assessment, features } = assessWithFeatures(
      tx,
      history,
      merchants.profileOf(tx.merchant_id),
      options.scoring,
    );
    replayed.push(options.keepFeatures === true ? { ...row, assessment, features } : { ...row, assessment });
    merchants.add(tx.merchant_id, dayOf(tx.timestamp), 1, 0);
    history.push(tx);
    if (row.label !== undefined) {
      pending.push({ at: tx.timestamp + options.labelDelayMs, merchantId: tx.merchant_id, fraud: row.label });
    }
  }
  return { replayed, duplicates };
}

export { replay };
