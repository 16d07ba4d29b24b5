/**
 * From labelled history to the training matrix, as production would have seen it: every row is
 * replayed walk-forward by the backtest (runBacktest with keepFeatures), so features, history and
 * merchant fraud counts are exactly those of the deployed detector with labels arriving after the
 * label delay. A model trained at time T (the last row's timestamp) only knows the labels of
 * transactions with `timestamp + delay <= T`: those are the training rows. Rows whose label is not
 * known yet, and unlabelled rows, are replayed (they feed history and merchant counts) but never
 * trained on.
 */
import type { RulesConfig } from "../../pipeline/runtime/detect/config";
import { DAY_MS } from "../../pipeline/runtime/detect/merchant-risk";
import { rowsOfObjects, type SourceRow } from "../backtest/read-rows";
import { type BacktestInput, runBacktest } from "../backtest/run";
import type { Matrix } from "./fit";

/** Training rows in event-time order: feature rows, 0/1 labels and their timestamps. */
export interface Examples {
  readonly x: Matrix;
  readonly y: Uint8Array;
  readonly timestamps: Float64Array;
}

export interface TrainingSet {
  readonly examples: Examples;
  /** Rows read, valid or not. */
  readonly rows: number;
  readonly invalidRows: number;
  readonly replayed: number;
  /** T: the last replayed row's timestamp (epoch ms); the labels known then are the training labels. */
  readonly knownAt: number;
  /** Labelled rows whose label would arrive after T: replayed, not trained on. */
  readonly pendingLabels: number;
  /** Rows without a label: replayed, not trained on. */
  readonly unlabelled: number;
}

export interface DatasetOptions {
  readonly labelDelayDays: number;
  /** Keep only rows before this time (epoch ms): the end of the `--until` day. */
  readonly end?: number;
  readonly config?: RulesConfig;
}

/**
 * The rows timestamped before `end`; rows without a numeric timestamp pass on, so the replay
 * reports them as invalid as the backtest does.
 *
 * @example
 * runBacktest(rowsBefore(readRowsFromFile(file), Date.UTC(2025, 9, 25)), options);
 */
async function* rowsBefore(
  rows: AsyncIterable<SourceRow> | Iterable<SourceRow>,
  end: number,
): AsyncGenerator<SourceRow> {
  for await (const row of rows) {
    if ("value" in row && typeof row.value.timestamp === "number" && row.value.timestamp >= end) continue;
    yield row;
  }
}

/**
 * Replays `input` (source rows, or transaction objects with `is_fraud` as the backtest takes them)
 * and keeps the rows whose label is known at the end as training rows.
 *
 * @example
 * const set = await trainingSet(readRowsFromFile("history.jsonl"), { labelDelayDays: 7 });
 * set.examples.x.rows; // 412_803
 */
async function trainingSet(input: BacktestInput, options: DatasetOptions): Promise<TrainingSet> {
  const source = Array.isArray(input)
    ? rowsOfObjects(input as readonly object[])
    : (input as AsyncIterable<SourceRow> | Iterable<SourceRow>);
  const rows = options.end === undefined ? source : rowsBefore(source, options.end);
  const result = await runBacktest(rows, {
    config: options.config,
    keepFeatures: true,
    labelDelayDays: options.labelDelayDays,
    skipReasons: true,
  });
  const { scored } = result;
  const knownAt = scored.length === 0 ? Number.NaN : scored[scored.length - 1].tx.timestamp;
  const delayMs = options.labelDelayDays * DAY_MS;
  const chosen = scored.filter((row) => row.label !== undefined && row.tx.timestamp + delayMs <= knownAt);
  const labelled = scored.filter((row) => row.label !== undefined).length;
  const columns = scored.length === 0 ? 0 : (scored[0].features?.length ?? 0);
  const values = new Float64Array(chosen.length * columns);
  const y = new Uint8Array(chosen.length);
  const timestamps = new Float64Array(chosen.length);
  chosen.forEach((row, i) => {
    if (row.features === undefined) throw new Error("the replay kept no feature vector");
    values.set(row.features, i * columns);
    y[i] = row.label === true ? 1 : 0;
    timestamps[i] = row.tx.timestamp;
  });
  return {
    examples: { x: { rows: chosen.length, columns, values }, y, timestamps },
    rows: result.rows,
    invalidRows: result.invalidRows.length,
    replayed: scored.length,
    knownAt,
    pendingLabels: labelled - chosen.length,
    unlabelled: scored.length - labelled,
  };
}

/**
 * Rows `start` (inclusive) to `end` (exclusive) of the examples, sharing their memory.
 *
 * @example
 * const head = sliceExamples(examples, 0, 1000);
 */
function sliceExamples(examples: Examples, start: number, end: number): Examples {
  const { columns } = examples.x;
  return {
    x: { rows: end - start, columns, values: examples.x.values.subarray(start * columns, end * columns) },
    y: examples.y.subarray(start, end),
    timestamps: examples.timestamps.subarray(start, end),
  };
}

/**
 * Holds out the last `days` of the examples: `fit` is every row at or before
 * `last timestamp − days`, `validation` every later row.
 *
 * @example
 * const { fit, validation } = splitByTime(examples, 7);
 */
function splitByTime(examples: Examples, days: number): { fit: Examples; validation: Examples } {
  const { timestamps } = examples;
  const n = timestamps.length;
  const cut = n === 0 ? 0 : timestamps[n - 1] - days * DAY_MS;
  let first = n;
  while (first > 0 && timestamps[first - 1] > cut) first -= 1;
  return { fit: sliceExamples(examples, 0, first), validation: sliceExamples(examples, first, n) };
}

/** Number of 1 labels. */
function countFrauds(y: Uint8Array): number {
  let frauds = 0;
  for (let i = 0; i < y.length; i++) frauds += y[i];
  return frauds;
}

export { countFrauds, rowsBefore, sliceExamples, splitByTime, trainingSet };
