/**
 * The backtest as one function: decode rows with the contract's codec (no recency window),
 * replay them walk-forward through the detector with delayed labels, and compute the metrics over
 * the labelled rows from `from` on. Used by the CLI, `npm run train` and the benchmarks.
 */
import { decodeTransaction, makeTransactionCodec } from "../../pipeline/runtime/contract/codec";
import { thresholdOf } from "../../pipeline/runtime/detect/assess";
import { DEFAULT_RULES_CONFIG, type RulesConfig } from "../../pipeline/runtime/detect/config";
import { DAY_MS, dayOf } from "../../pipeline/runtime/detect/merchant-risk";
import type { FraudModel } from "../../pipeline/runtime/detect/model/format";
import {
  averagePrecision,
  type Confusion,
  confusion,
  precisionAtTopAccountsPerDay,
  type Quality,
  quality,
  rocAuc,
  type Scored,
  type SweepPoint,
  thresholdSweep,
} from "./metrics";
import { rowsOfObjects, type SourceRow } from "./read-rows";
import { type ReplayedRow, type ReplayRow, replay } from "./replay";

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
  /** Keep each row's feature vector in `scored` (for training). */
  readonly keepFeatures?: boolean;
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
  /** Every replayed row with its assessment, in replay (event-time) order. */
  readonly scored: ReplayedRow[];
}

/** An array of raw transaction objects (line = position + 1, optional `is_fraud`), or rows from `readRows`. */
export type BacktestInput = readonly object[] | AsyncIterable<SourceRow> | Iterable<SourceRow>;

function sourceRows(input: BacktestInput): AsyncIterable<SourceRow> | Iterable<SourceRow> {
  return Array.isArray(input)
    ? rowsOfObjects(input as readonly object[])
    : (input as AsyncIterable<SourceRow>);
}

function ruleStats(replayed: readonly ReplayedRow[]): Record<string, RuleStats> {
  const counts = new Map<string, { hits: number; labelled: number; fraud: number }>();
  for (const row of replayed) {
    for (const hit of row.assessment.hits) {
      const entry = counts.get(hit.rule) ?? { hits: 0, labelled: 0, fraud: 0 };
      entry.hits += 1;
      if (row.label !== undefined) entry.labelled += 1;
      if (row.label === true) entry.fraud += 1;
      counts.set(hit.rule, entry);
    }
  }
  const stats: Record<string, RuleStats> = {};
  for (const [rule, c] of [...counts].sort(([a], [b]) => a.localeCompare(b))) {
    stats[rule] = { hits: c.hits, precision: c.labelled === 0 ? null : c.fraud / c.labelled };
  }
  return stats;
}

/**
 * Runs a backtest over rows in memory or a stream of source rows.
 *
 * @example
 * const result = await runBacktest(readRowsFromFile("history.jsonl"), { config: parseRulesConfig(json) });
 * console.log(result.alerts, result.precision, result.recall);
 */
async function runBacktest(input: BacktestInput, options: BacktestOptions = {}): Promise<BacktestResult> {
  const config = options.config ?? DEFAULT_RULES_CONFIG;
  const scoring = { config, model: options.model };
  const labelDelayDays = options.labelDelayDays ?? DEFAULT_LABEL_DELAY_DAYS;
  const codec = makeTransactionCodec();
  const valid: ReplayRow[] = [];
  const invalidRows: InvalidRow[] = [];
  let rows = 0;
  for await (const row of sourceRows(input)) {
    rows += 1;
    if ("errors" in row) {
      invalidRows.push({ line: row.line, errors: row.errors });
      continue;
    }
    const decoded = decodeTransaction(codec, row.value);
    if (decoded.ok) valid.push({ line: row.line, tx: decoded.value, label: row.label });
    else invalidRows.push({ line: row.line, errors: decoded.errors.map((e) => `${e.field}: ${e.message}`) });
  }
  const { replayed, duplicates } = replay(valid, {
    scoring,
    labelDelayMs: labelDelayDays * DAY_MS,
    keepFeatures: options.keepFeatures,
  });
  const from = options.from ?? Number.NEGATIVE_INFINITY;
  const measured = replayed.filter((r) => r.tx.timestamp >= from);
  const alerts = measured.filter((r) => r.assessment.flagged).length;
  const labelledRows = measured.filter((r): r is ReplayedRow & { label: boolean } => r.label !== undefined);
  const base = {
    rows,
    replayed: replayed.length,
    measured: measured.length,
    alerts,
    threshold: thresholdOf(scoring),
    scorer: options.model === undefined ? ("default" as const) : ("model" as const),
    labelDelayDays,
    from: options.from,
    invalidRows,
    duplicateLines: duplicates,
    rules: ruleStats(measured),
    labelled: labelledRows.length,
    scored: replayed,
  };
  if (labelledRows.length === 0) return base;
  const matrix = confusion(labelledRows.map((r) => ({ label: r.label, flagged: r.assessment.flagged })));
  const scores: Scored[] = labelledRows.map((r) => ({ score: r.assessment.score, label: r.label }));
  return {
    ...base,
    ...quality(matrix),
    confusion: matrix,
    rocAuc: rocAuc(scores),
    averagePrecision: averagePrecision(scores),
    precisionAtTop100PerDay: precisionAtTopAccountsPerDay(
      labelledRows.map((r) => ({
        score: r.assessment.score,
        label: r.label,
        accountId: r.tx.account_id,
        day: dayOf(r.tx.timestamp),
      })),
      TOP_ACCOUNTS_PER_DAY,
    ),
    sweep:
      options.sweepThresholds === undefined ? undefined : thresholdSweep(scores, options.sweepThresholds),
  };
}

export { DEFAULT_LABEL_DELAY_DAYS, runBacktest, TOP_ACCOUNTS_PER_DAY };
