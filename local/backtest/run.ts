/**
 * The backtest as one function: decode rows with the contract's codec (no recency window),
 * replay them walk-forward through the detector with delayed labels, and compute the metrics over
 * the labelled rows from `from` on. Used by the CLI, `npm run train` and the benchmarks.
 */
import { decodeTransaction, makeTransactionCodec } from "../../pipeline/runtime/contract/codec";
import type { Assessment } from "../../pipeline/runtime/contract/transaction";
import { thresholdOf } from "../../pipeline/runtime/detect/assess";
import { DEFAULT_RULES_CONFIG, type RulesConfig } from "../../pipeline/runtime/detect/config";
import { DAY_MS, dayOf } from "../../pipeline/runtime/detect/merchant-risk";
import type { FraudModel } from "../../pipeline/runtime/detect/model/format";
import { prepareModel } from "../../pipeline/runtime/detect/scoring/score";
import {
  averagePrecision,
  type Confusion,
  makeTopAccountsPerDay,
  type Quality,
  quality,
  rankedScores,
  rocAuc,
  type SweepPoint,
  thresholdSweep,
} from "./metrics";
import { rowsOfObjects, type SourceRow } from "./read-rows";
import { type ReplayedRow, type ReplayRow, replayEach, replayedRow } from "./replay";

/** Days after its transaction a label becomes known, unless told otherwise. */
const DEFAULT_LABEL_DELAY_DAYS = 7;

/** Analysts' daily review capacity behind the precision-at-top-accounts figure. */
const TOP_ACCOUNTS_PER_DAY = 100;

export interface BacktestOptions {
  /** Parsed rules (see parseRulesConfig); the defaults when absent. */
  readonly config?: RulesConfig;
  /** A trained model (see parseFraudModel); the label-free default score when absent. */
  readonly model?: FraudModel;
  /** Days after its transaction a label reaches the merchant profiles. Default 7. */
  readonly labelDelayDays?: number;
  /** Metrics cover labelled rows at or after this time (epoch ms); earlier rows only warm up. */
  readonly from?: number;
  /** Score thresholds for the sweep; no sweep when absent. */
  readonly sweepThresholds?: readonly number[];
  /** Keep every replayed row in `scored`. Off by default: a large input's rows outgrow memory. */
  readonly keepRows?: boolean;
  /** Keep each row's feature vector in `scored` (for training); implies `keepRows`. */
  readonly keepFeatures?: boolean;
  /** Called with every replayed row, in replay order, as it is scored (e.g. to write its score). */
  readonly onScored?: (row: ReplayedRow) => void;
  /**
   * Hand out rows (kept or passed to `onScored`) without `reasons`, for a caller that reads none:
   * training reads features and labels, and wording reasons per row would cost it for nothing.
   */
  readonly skipReasons?: boolean;
}

export interface InvalidRow {
  readonly line: number;
  readonly errors: string[];
}

export interface RuleStats {
  readonly hits: number;
  /** Share of labelled rows on which the rule fired that are fraud; null without such rows. */
  readonly precision: number | null;
}

export interface BacktestResult extends Partial<Quality> {
  /** Rows read, valid or not. */
  readonly rows: number;
  readonly replayed: number;
  /** Replayed rows in the measured period (all of them without `from`); alerts count among these. */
  readonly measured: number;
  readonly alerts: number;
  readonly threshold: number;
  readonly scorer: "default" | "model";
  readonly labelDelayDays: number;
  /** Start of the measured period (epoch ms); absent when every row is measured. */
  readonly from?: number;
  readonly invalidRows: InvalidRow[];
  /** Lines repeating an already replayed (transaction_id, timestamp). */
  readonly duplicateLines: number[];
  readonly rules: Record<string, RuleStats>;
  /** Labelled rows in the measured period; the metrics below exist only when this is > 0. */
  readonly labelled: number;
  /** Mean daily precision of the top 100 accounts by score. */
  readonly precisionAtTop100PerDay?: number | null;
  readonly confusion?: Confusion;
  readonly rocAuc?: number | null;
  readonly averagePrecision?: number | null;
  readonly sweep?: SweepPoint[];
  /** Every replayed row with its assessment, in replay (event-time) order, when `keepRows` or `keepFeatures` asked for them. */
  readonly scored?: ReplayedRow[];
}

/** An array of raw transaction objects (line = position + 1, optional `is_fraud`), or rows from `readRows`. */
export type BacktestInput = readonly object[] | AsyncIterable<SourceRow> | Iterable<SourceRow>;

function sourceRows(input: BacktestInput): AsyncIterable<SourceRow> | Iterable<SourceRow> {
  return Array.isArray(input)
    ? rowsOfObjects(input as readonly object[])
    : (input as AsyncIterable<SourceRow>);
}

/** Hits, and hits on labelled and on fraud rows, of one rule. */
interface RuleCounts {
  hits: number;
  labelled: number;
  fraud: number;
}

function ruleStats(counts: ReadonlyMap<string, RuleCounts>): Record<string, RuleStats> {
  const stats: Record<string, RuleStats> = {};
  for (const [rule, c] of [...counts].sort(([a], [b]) => a.localeCompare(b))) {
    stats[rule] = { hits: c.hits, precision: c.labelled === 0 ? null : c.fraud / c.labelled };
  }
  return stats;
}

/**
 * What the metrics need of the measured rows, gathered row by row as the replay scores them, so
 * no row has to be kept: counts, per-rule hits, the labelled rows' scores by class, and per day
 * each labelled account's highest score.
 */
function makeMeasurement(from: number) {
  let measured = 0;
  let alerts = 0;
  let tp = 0;
  let fp = 0;
  let fn = 0;
  let tn = 0;
  const rules = new Map<string, RuleCounts>();
  let labelled = 0;
  const top = makeTopAccountsPerDay(TOP_ACCOUNTS_PER_DAY);
  const positives: number[] = [];
  const negatives: number[] = [];
  return {
    add(row: ReplayRow, assessment: Assessment): void {
      const { tx, label } = row;
      if (tx.timestamp < from) return;
      measured += 1;
      if (assessment.flagged) alerts += 1;
      for (const hit of assessment.hits) {
        let entry = rules.get(hit.rule);
        if (entry === undefined) {
          entry = { hits: 0, labelled: 0, fraud: 0 };
          rules.set(hit.rule, entry);
        }
        entry.hits += 1;
        if (label !== undefined) entry.labelled += 1;
        if (label === true) entry.fraud += 1;
      }
      if (label === undefined) return;
      if (assessment.flagged && label) tp += 1;
      else if (assessment.flagged) fp += 1;
      else if (label) fn += 1;
      else tn += 1;
      labelled += 1;
      top.add(tx.account_id, dayOf(tx.timestamp), assessment.score, label);
      (label ? positives : negatives).push(assessment.score);
    },
    result() {
      const matrix: Confusion = { tp, fp, fn, tn };
      const precisionAtTop = top.result();
      return {
        measured,
        alerts,
        rules: ruleStats(rules),
        labelled,
        precisionAtTop,
        matrix,
        positives,
        negatives,
      };
    },
  };
}

/** A result whose `scored` holds every replayed row (`keepRows` or `keepFeatures`). */
export type BacktestResultWithRows = BacktestResult & { readonly scored: ReplayedRow[] };

/**
 * Runs a backtest over rows in memory or a stream of source rows.
 *
 * @example
 * const result = await runBacktest(readRowsFromFile("history.jsonl"), { config: parseRulesConfig(json) });
 * console.log(result.alerts, result.precision, result.recall);
 */
async function runBacktest(
  input: BacktestInput,
  options: BacktestOptions & ({ readonly keepRows: true } | { readonly keepFeatures: true }),
): Promise<BacktestResultWithRows>;
async function runBacktest(input: BacktestInput, options?: BacktestOptions): Promise<BacktestResult>;
async function runBacktest(input: BacktestInput, options: BacktestOptions = {}): Promise<BacktestResult> {
  const config = options.config ?? DEFAULT_RULES_CONFIG;
  const scoring = { config, model: options.model === undefined ? undefined : prepareModel(options.model) };
  const labelDelayDays = options.labelDelayDays ?? DEFAULT_LABEL_DELAY_DAYS;
  const codec = makeTransactionCodec();
  const valid: ReplayRow[] = [];
  const invalidRows: InvalidRow[] = [];
  let rows = 0;
  const take = (row: SourceRow) => {
    rows += 1;
    if ("errors" in row) {
      invalidRows.push({ line: row.line, errors: row.errors });
      return;
    }
    const decoded = decodeTransaction(codec, row.value);
    if (decoded.ok) valid.push({ line: row.line, tx: decoded.value, label: row.label });
    else invalidRows.push({ line: row.line, errors: decoded.errors.map((e) => `${e.field}: ${e.message}`) });
  };
  const source = sourceRows(input);
  if (Symbol.asyncIterator in source) for await (const row of source) take(row);
  else for (const row of source) take(row);
  const measurement = makeMeasurement(options.from ?? Number.NEGATIVE_INFINITY);
  const kept: ReplayedRow[] | undefined =
    options.keepRows === true || options.keepFeatures === true ? [] : undefined;
  let replayed = 0;
  // Reasons are read only from the rows handed out (kept or passed to onScored, e.g. --scores-out):
  // the metrics need scores, flags and hits.
  const handsOut = kept !== undefined || options.onScored !== undefined;
  const skipReasons = options.skipReasons === true || !handsOut;
  const duplicates = replayEach(
    valid,
    { scoring, labelDelayMs: labelDelayDays * DAY_MS, keepFeatures: options.keepFeatures, skipReasons },
    (row, assessment, features) => {
      replayed += 1;
      measurement.add(row, assessment);
      if (!handsOut) return;
      const scored = replayedRow(row, assessment, features, options.keepFeatures);
      kept?.push(scored);
      options.onScored?.(scored);
    },
  );
  const {
    measured,
    alerts,
    rules: ruleHits,
    labelled,
    precisionAtTop,
    matrix,
    positives,
    negatives,
  } = measurement.result();
  const base = {
    rows,
    replayed,
    measured,
    alerts,
    threshold: thresholdOf(scoring),
    scorer: options.model === undefined ? ("default" as const) : ("model" as const),
    labelDelayDays,
    from: options.from,
    invalidRows,
    duplicateLines: duplicates,
    rules: ruleHits,
    labelled,
    scored: kept,
  };
  if (labelled === 0) return base;
  const ranked = rankedScores(positives, negatives);
  return {
    ...base,
    ...quality(matrix),
    confusion: matrix,
    rocAuc: rocAuc(ranked),
    averagePrecision: averagePrecision(ranked),
    precisionAtTop100PerDay: precisionAtTop,
    sweep:
      options.sweepThresholds === undefined ? undefined : thresholdSweep(ranked, options.sweepThresholds),
  };
}

export { DEFAULT_LABEL_DELAY_DAYS, runBacktest, TOP_ACCOUNTS_PER_DAY };
