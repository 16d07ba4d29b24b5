/**
 * The backtest as one function: decode rows with the contract's codec (no recency window),
 * replay them through the detector, and compute the metrics. Used by the CLI and benchmarks.
 */
import { decodeTransaction, makeTransactionCodec } from "../../pipeline/runtime/contract/codec";
import { DEFAULT_RULES_CONFIG, type RulesConfig } from "../../pipeline/runtime/detect/config";
import {
  averagePrecision,
  type Confusion,
  confusion,
  type Quality,
  quality,
  rocAuc,
  type Scored,
  type SweepPoint,
  thresholdSweep,
} from "./metrics";
import { rowsOfObjects, type SourceRow } from "./read-rows";
import { type ReplayedRow, type ReplayRow, replay } from "./replay";

export interface BacktestOptions {
  /** Parsed rules (see parseRulesConfig); the defaults when absent. */
  readonly config?: RulesConfig;
  /** Score thresholds for the sweep; no sweep when absent. */
  readonly sweepThresholds?: readonly number[];
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
  readonly alerts: number;
  readonly threshold: number;
  readonly invalidRows: InvalidRow[];
  /** Lines repeating an already replayed (transaction_id, timestamp). */
  readonly duplicateLines: number[];
  readonly rules: Record<string, RuleStats>;
  /** Rows that carry a label; the metrics below exist only when this is > 0. */
  readonly labelled: number;
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
  const { replayed, duplicates } = replay(valid, config);
  const alerts = replayed.filter((r) => r.assessment.flagged).length;
  const labelledRows = replayed.filter((r): r is ReplayedRow & { label: boolean } => r.label !== undefined);
  const base = {
    rows,
    replayed: replayed.length,
    alerts,
    threshold: config.threshold,
    invalidRows,
    duplicateLines: duplicates,
    rules: ruleStats(replayed),
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
    sweep:
      options.sweepThresholds === undefined ? undefined : thresholdSweep(scores, options.sweepThresholds),
  };
}

export { runBacktest };
