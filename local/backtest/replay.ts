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
import { dayOf, emptyProfile } from "../../pipeline/runtime/detect/merchant-risk";
import { type AccountHistory, makeAccountHistory } from "./account-history";
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
  /**
   * Leave every assessment's `reasons` empty, and so skip a model's per-feature attribution, for
   * a caller that reads only scores, flags and hits. Scores are the same either way.
   */
  readonly skipReasons?: boolean;
}

/** A confirmed fraud on its way: known at `at`, about `merchantId`. */
interface PendingFraud {
  readonly at: number;
  readonly merchantId: string;
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
 * The (transaction_id, timestamp) keys replayed so far, for rows that come in time order: a
 * repeat has its original's timestamp, so it can only follow among the rows of that same
 * timestamp, and only the ids of the current timestamp are kept.
 */
function makeSeenKeys() {
  let timestamp = Number.NaN;
  const ids = new Set<string>();
  return {
    /** True, and remembered, when the key is new; false for a repeat. */
    addNew(tx: Transaction): boolean {
      if (tx.timestamp !== timestamp) {
        timestamp = tx.timestamp;
        ids.clear();
      } else if (ids.has(tx.transaction_id)) return false;
      ids.add(tx.transaction_id);
      return true;
    },
  };
}

/**
 * Assesses every row in event-time order (ties in input order) and hands each to `visit` as it
 * is scored, with its assessment and feature vector apart, so a caller that keeps nothing builds
 * no object per row (see {@link replayedRow}). A repeat of an already replayed key (same transaction_id and timestamp) is not
 * replayed, because the deployed pipeline stores it once; it is reported in the returned lines.
 * After each row is scored it is counted at its merchant (as detect-fraud counts a first
 * verdict); a labelled fraud is counted as a confirmed fraud on the day its label arrives (as
 * record-outcome counts it).
 *
 * @example
 * const duplicates = replayEach(rows, options, (row, assessment) => scores.push(assessment.score));
 */
function replayEach(
  rows: readonly ReplayRow[],
  options: ReplayOptions,
  visit: (row: ReplayRow, assessment: Assessment, features: Float64Array) => void,
): number[] {
  const { config } = options.scoring;
  const { windowMs, limit } = config.history;
  const ordered = inReplayOrder(rows);
  const byAccount = new Map<string, AccountHistory>();
  const merchants = makeMemoryMerchantRisk();
  const noBuckets = emptyProfile();
  // One delay for every label and rows in time order: labels arrive in the order they were
  // queued. Only frauds are queued: a legitimate label changes no profile.
  const pending: PendingFraud[] = [];
  let nextPending = 0;
  const seen = makeSeenKeys();
  const duplicates: number[] = [];
  for (const row of ordered) {
    const { tx } = row;
    if (!seen.addNew(tx)) {
      duplicates.push(row.line);
      continue;
    }
    for (; nextPending < pending.length && pending[nextPending].at <= tx.timestamp; nextPending++) {
      const label = pending[nextPending];
      merchants.add(label.merchantId, dayOf(label.at), 0, 1);
    }
    const day = dayOf(tx.timestamp);
    let history = byAccount.get(tx.account_id);
    if (history === undefined) {
      history = makeAccountHistory();
      byAccount.set(tx.account_id, history);
    }
    // What selectHistory would return, without its per-candidate work: the account's history is
    // in time order and holds only earlier-or-equal transactions (never this key: repeats are
    // skipped above), so the window is its tail. The parity test holds this equal to
    // detect-fraud's selection.
    history.trim(tx.timestamp, windowMs, limit);
    const { aggregates, rules } = history.inputs(tx, config);
    const computed = { aggregates, rules, merchant: merchants.windowsOf(tx.merchant_id, day) };
    // The profile is not read: `computed` holds its windows.
    const { assessment, features } = assessWithFeatures(
      tx,
      history.transactions,
      noBuckets,
      options.scoring,
      computed,
      options.skipReasons !== true,
    );
    visit(row, assessment, features);
    merchants.add(tx.merchant_id, day, 1, 0);
    history.push(tx);
    if (row.label === true)
      pending.push({ at: tx.timestamp + options.labelDelayMs, merchantId: tx.merchant_id });
  }
  return duplicates;
}

/**
 * A replayed row as kept: the row with its assessment, and its feature vector when `keepFeatures`.
 *
 * @example
 * replayEach(rows, options, (row, assessment, features) => kept.push(replayedRow(row, assessment, features, false)));
 */
function replayedRow(
  row: ReplayRow,
  assessment: Assessment,
  features: Float64Array,
  keepFeatures: boolean | undefined,
): ReplayedRow {
  return keepFeatures === true ? { ...row, assessment, features } : { ...row, assessment };
}

/**
 * {@link replayEach} with every replayed row kept, in replay order.
 *
 * @example
 * const { replayed } = replay(rows, { scoring: { config: DEFAULT_RULES_CONFIG }, labelDelayMs: 7 * 86_400_000 });
 * replayed[0].assessment; // { score, flagged, scorer, hits, reasons }
 */
function replay(
  rows: readonly ReplayRow[],
  options: ReplayOptions,
): { replayed: ReplayedRow[]; duplicates: number[] } {
  const replayed: ReplayedRow[] = [];
  const duplicates = replayEach(rows, options, (row, assessment, features) =>
    replayed.push(replayedRow(row, assessment, features, options.keepFeatures)),
  );
  return { replayed, duplicates };
}

export { replay, replayEach, replayedRow };
