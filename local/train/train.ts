/**
 * Training as one function: replay the history (dataset.ts), hold out the last days of the
 * training rows, fit on the earlier ones to measure and choose the threshold, refit on all
 * training rows with the same settings, and assemble MODEL.json (model-file.ts). Deterministic:
 * the same rows and options give the same text.
 */
import { performance } from "node:perf_hooks";
import type { RulesConfig } from "../../pipeline/runtime/detect/config";
import type { LogisticRegressionModel, TrainingInfo } from "../../pipeline/runtime/detect/model/format";
import type { BacktestInput } from "../backtest/run";
import { countFrauds, splitByTime, type TrainingSet, trainingSet } from "./dataset";
import { fitLogistic, type LogisticFit } from "./fit";
import { assembleModel, isoDate, modelText, validationFigures } from "./model-file";

/** Ridge penalty on the standardised weights: a unit-variance prior, data-dominated at scale. */
const DEFAULT_L2 = 1;
const DEFAULT_VALIDATION_DAYS = 7;
const DEFAULT_SEED = 1;
const SOLVER = "newton-irls";

export interface TrainOptions {
  readonly labelDelayDays: number;
  /** Hold out this many last days of the training rows. Must be > 0. */
  readonly validationDays: number;
  /** Recorded in the model; nothing is subsampled, so it changes nothing else. */
  readonly seed: number;
  /** Keep only rows before this time (epoch ms). */
  readonly end?: number;
  readonly l2?: number;
  readonly config?: RulesConfig;
}

export interface Trained {
  readonly model: LogisticRegressionModel;
  /** MODEL.json's text, validated. */
  readonly text: string;
  readonly set: TrainingSet;
  /** The shipped fit (on all training rows), for checks against inference. */
  readonly fit: LogisticFit;
  /** Wall-clock milliseconds of the replay and of both fits (not written to the model). */
  readonly replayMs: number;
  readonly fitMs: number;
}

/** A problem with the data rather than the program: the CLI prints it as one line, exit 1. */
class TrainingDataError extends Error {
  override readonly name = "TrainingDataError";
}

function requireData(condition: boolean, problem: string): void {
  if (!condition) throw new TrainingDataError(problem);
}

/**
 * Trains a model on source rows.
 *
 * @example
 * const { text } = await train(readRowsFromFile("history.jsonl"), { labelDelayDays: 7, validationDays: 7, seed: 1 });
 * @throws TrainingDataError when there is nothing to train or validate on.
 */
async function train(input: BacktestInput, options: TrainOptions): Promise<Trained> {
  const l2 = options.l2 ?? DEFAULT_L2;
  const started = performance.now();
  const set = await trainingSet(input, options);
  const replayed = performance.now();
  const { examples } = set;
  const rows = examples.x.rows;
  requireData(
    rows > 0,
    set.replayed === 0
      ? `no valid rows to replay (${set.rows} read, ${set.invalidRows} invalid)`
      : `no labelled rows whose label is known by the last row's time ${new Date(set.knownAt).toISOString()} (label delay ${options.labelDelayDays} days; ${set.pendingLabels} labels still pending, ${set.unlabelled} unlabelled rows)`,
  );
  const frauds = countFrauds(examples.y);
  requireData(
    frauds > 0 && frauds < rows,
    `the ${rows} training rows hold ${frauds} frauds: both frauds and legitimate rows are needed`,
  );
  const split = splitByTime(examples, options.validationDays);
  const fitFrauds = countFrauds(split.fit.y);
  requireData(
    fitFrauds > 0 && fitFrauds < split.fit.x.rows,
    `the ${split.fit.x.rows} training rows before the last ${options.validationDays} validation days hold ${fitFrauds} frauds: both classes are needed (fewer --validation-days or more history)`,
  );
  const early = fitLogistic(split.fit.x, split.fit.y, { l2 });
  let figures: ReturnType<typeof validationFigures>;
  try {
    figures = validationFigures(early, split.fit, split.validation, options.validationDays);
  } catch (error) {
    throw new TrainingDataError(error instanceof Error ? error.message : String(error));
  }
  const final = fitLogistic(examples.x, examples.y, { l2 });
  const fitted = performance.now();
  const training: TrainingInfo = {
    from: isoDate(examples.timestamps[0]),
    until: isoDate(examples.timestamps[rows - 1]),
    rows,
    frauds,
    labelDelayDays: options.labelDelayDays,
    seed: options.seed,
    labelsKnownAt: new Date(set.knownAt).toISOString(),
    replayedRows: set.replayed,
    pendingLabelRows: set.pendingLabels,
    unlabelledRows: set.unlabelled,
    solver: SOLVER,
    l2,
    iterations: final.iterations,
    shipped:
      "a refit on all training rows with the settings validated below; validation figures and threshold are from the fit on the rows before validation.from",
  };
  const model = assembleModel(final, figures.choice.threshold, training, figures.info);
  return {
    model,
    text: modelText(model),
    set,
    fit: final,
    replayMs: replayed - started,
    fitMs: fitted - replayed,
  };
}

export { DEFAULT_L2, DEFAULT_SEED, DEFAULT_VALIDATION_DAYS, TrainingDataError, train };
