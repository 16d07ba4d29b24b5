/**
 * Training as one function: replay the history (dataset.ts), hold out the last days of the
 * training rows, fit every candidate kind on the earlier ones to measure them, ship the kind with
 * the higher average precision on the held-out days (then ROC AUC; a tie keeps the simpler
 * logistic regression), choose its threshold there, refit it on all training rows with the same
 * settings, and assemble MODEL.json (model-file.ts). Deterministic: the same rows and options give
 * the same text.
 */
import { performance } from "node:perf_hooks";
import type { RulesConfig } from "../../pipeline/runtime/detect/config";
import {
  type CandidateInfo,
  type FraudModel,
  MODEL_KINDS,
  type TrainingInfo,
} from "../../pipeline/runtime/detect/model/format";
import type { BacktestInput } from "../backtest/run";
import { countFrauds, type Examples, splitByTime, type TrainingSet, trainingSet } from "./dataset";
import { fitLogistic, type LogisticFit, type Matrix, predictProbability } from "./fit";
import { type BoostedFit, fitBoostedTrees, predictBoostedProbability } from "./gbdt";
import {
  assembleModel,
  assembleTreesModel,
  isoDate,
  modelText,
  type Predict,
  type ValidationFigures,
  validationFigures,
} from "./model-file";

/** Ridge penalty on the standardised weights: a unit-variance prior, data-dominated at scale. */
const DEFAULT_L2 = 1;
const DEFAULT_VALIDATION_DAYS = 7;
const DEFAULT_SEED = 1;
const SOLVER = "newton-irls";
const TREES_SOLVER = "histogram-gradient-boosting";

/** What `--kind` chooses among: one kind, or `auto` (fit both, ship the better on the held-out days). */
const KIND_CHOICES = ["auto", MODEL_KINDS.logisticRegression, MODEL_KINDS.gradientBoostedTrees] as const;
type KindChoice = (typeof KIND_CHOICES)[number];
type ModelKind = FraudModel["kind"];
const DEFAULT_KIND: KindChoice = "auto";

export interface TrainOptions {
  readonly labelDelayDays: number;
  /** Hold out this many last days of the training rows. Must be > 0. */
  readonly validationDays: number;
  /** Recorded in the model; nothing is subsampled or drawn, so it changes nothing else. */
  readonly seed: number;
  /** Keep only rows before this time (epoch ms). */
  readonly end?: number;
  readonly l2?: number;
  /** Default `auto`. */
  readonly kind?: KindChoice;
  readonly config?: RulesConfig;
}

/** The shipped fit, by kind. */
export type ShippedFit =
  | { readonly kind: typeof MODEL_KINDS.logisticRegression; readonly fit: LogisticFit }
  | { readonly kind: typeof MODEL_KINDS.gradientBoostedTrees; readonly fit: BoostedFit };

export interface Trained {
  readonly model: FraudModel;
  /** MODEL.json's text, validated. */
  readonly text: string;
  readonly set: TrainingSet;
  /** The shipped kind, and its fit (on all training rows) for checks against inference. */
  readonly kind: ModelKind;
  readonly fit: LogisticFit | BoostedFit;
  /** The shipped fit's probability for row `i` of `x`. */
  readonly predict: Predict;
  /** Every candidate's figures on the held-out days, the winner first. */
  readonly candidates: readonly CandidateInfo[];
  /** Wall-clock milliseconds of the replay, of all fits, and of each candidate's two fits (not written to the model). */
  readonly replayMs: number;
  readonly fitMs: number;
  readonly fitMsByKind: Readonly<Record<string, number>>;
}

/** A problem with the data rather than the program: the CLI prints it as one line, exit 1. */
class TrainingDataError extends Error {
  override readonly name = "TrainingDataError";
}

function requireData(condition: boolean, problem: string): void {
  if (!condition) throw new TrainingDataError(problem);
}

function fitKind(kind: ModelKind, x: Matrix, y: Uint8Array, l2: number): ShippedFit {
  return kind === MODEL_KINDS.logisticRegression
    ? { kind, fit: fitLogistic(x, y, { l2 }) }
    : { kind, fit: fitBoostedTrees(x, y) };
}

function predictorOf(shipped: ShippedFit): Predict {
  return shipped.kind === MODEL_KINDS.logisticRegression
    ? (x, i) => predictProbability(shipped.fit, x, i)
    : (x, i) => predictBoostedProbability(shipped.fit, x, i);
}

interface Candidate {
  readonly kind: ModelKind;
  readonly figures: ValidationFigures;
}

function measure(
  kind: ModelKind,
  fitRows: Examples,
  validation: Examples,
  days: number,
  l2: number,
): Candidate {
  const early = fitKind(kind, fitRows.x, fitRows.y, l2);
  try {
    return { kind, figures: validationFigures(predictorOf(early), fitRows, validation, days) };
  } catch (error) {
    throw new TrainingDataError(error instanceof Error ? error.message : String(error));
  }
}

/** Higher average precision first, then higher ROC AUC; a tie keeps the earlier (simpler) candidate. */
function better(a: Candidate, b: Candidate): boolean {
  const apA = a.figures.info.averagePrecision ?? -1;
  const apB = b.figures.info.averagePrecision ?? -1;
  if (apA !== apB) return apA > apB;
  return (a.figures.info.rocAuc ?? -1) > (b.figures.info.rocAuc ?? -1);
}

function figure(value: number | null): string {
  return value === null ? "n/a" : String(value);
}

function selectionWords(winner: Candidate, others: readonly Candidate[]): string {
  const rest = others
    .map(
      (c) =>
        `${c.kind} AP ${figure(c.figures.info.averagePrecision)}, ROC AUC ${figure(c.figures.info.rocAuc)}`,
    )
    .join("; ");
  const { averagePrecision, rocAuc } = winner.figures.info;
  const tiedAp = others.some((c) => c.figures.info.averagePrecision === averagePrecision);
  return `${winner.kind} shipped: the ${tiedAp ? "same average precision and higher or equal ROC AUC" : "highest average precision"} on the held-out days (AP ${figure(averagePrecision)}, ROC AUC ${figure(rocAuc)}; ${rest}); kinds compared by average precision, then ROC AUC, a tie keeping logistic regression`;
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
  const choice = options.kind ?? DEFAULT_KIND;
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
  const kinds: ModelKind[] =
    choice === "auto" ? [MODEL_KINDS.logisticRegression, MODEL_KINDS.gradientBoostedTrees] : [choice];
  const fitMsByKind: Record<string, number> = {};
  const candidates: Candidate[] = [];
  for (const kind of kinds) {
    const before = performance.now();
    candidates.push(measure(kind, split.fit, split.validation, options.validationDays, l2));
    fitMsByKind[kind] = performance.now() - before;
  }
  const winner = candidates.reduce((best, c) => (better(c, best) ? c : best));
  const others = candidates.filter((c) => c !== winner);
  const before = performance.now();
  const shipped = fitKind(winner.kind, examples.x, examples.y, l2);
  fitMsByKind[winner.kind] += performance.now() - before;
  const fitted = performance.now();
  const ranked = [winner, ...others].map(
    (c): CandidateInfo => ({
      kind: c.kind,
      rocAuc: c.figures.info.rocAuc,
      averagePrecision: c.figures.info.averagePrecision,
    }),
  );
  const validation =
    choice === "auto"
      ? { ...winner.figures.info, candidates: ranked, selection: selectionWords(winner, others) }
      : winner.figures.info;
  const shippedWords =
    "a refit on all training rows with the settings validated below; validation figures and threshold are from the fit on the rows before validation.from";
  const common = {
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
  };
  const threshold = winner.figures.choice.threshold;
  let model: FraudModel;
  if (shipped.kind === MODEL_KINDS.logisticRegression) {
    const training: TrainingInfo = {
      ...common,
      solver: SOLVER,
      l2,
      iterations: shipped.fit.iterations,
      shipped: shippedWords,
    };
    model = assembleModel(shipped.fit, threshold, training, validation);
  } else {
    const { options: boost } = shipped.fit;
    const training: TrainingInfo = {
      ...common,
      solver: TREES_SOLVER,
      l2: boost.lambda,
      iterations: boost.trees,
      shipped: shippedWords,
      learningRate: boost.learningRate,
      maxDepth: boost.maxDepth,
      maxBins: boost.maxBins,
      minChildHessian: boost.minChildHessian,
    };
    model = assembleTreesModel(shipped.fit, threshold, training, validation);
  }
  return {
    model,
    text: modelText(model),
    set,
    kind: shipped.kind,
    fit: shipped.fit,
    predict: predictorOf(shipped),
    candidates: ranked,
    replayMs: replayed - started,
    fitMs: fitted - replayed,
    fitMsByKind,
  };
}

export type { KindChoice };
export {
  DEFAULT_KIND,
  DEFAULT_L2,
  DEFAULT_SEED,
  DEFAULT_VALIDATION_DAYS,
  KIND_CHOICES,
  TrainingDataError,
  train,
};
