/**
 * MODEL.json from a fit (logistic regression or gradient-boosted trees): the flag threshold that maximises F1 on the validation rows, the
 * validation figures, and the file text with a stable key order and a trailing newline, checked
 * with the stack's own validator (parseFraudModel) before it is written.
 */
import * as fs from "node:fs";
import { FEATURE_NAMES } from "../../pipeline/runtime/detect/features/registry";
import {
  type FraudModel,
  type GradientBoostedTreesModel,
  type LogisticRegressionModel,
  MODEL_FORMAT,
  MODEL_KINDS,
  parseFraudModel,
  type TrainingInfo,
  type ValidationInfo,
} from "../../pipeline/runtime/detect/model/format";
import { averagePrecision, rocAuc, type Scored } from "../backtest/metrics";
import { countFrauds, type Examples } from "./dataset";
import type { LogisticFit, Matrix } from "./fit";
import type { BoostedFit } from "./gbdt";

/** A fit's fraud probability for row `i` of `x`. */
export type Predict = (x: Matrix, i: number) => number;

/** A threshold and how flagging at `score >= threshold` does on the rows it was chosen on. */
export interface ThresholdChoice {
  readonly threshold: number;
  readonly flagged: number;
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
}

/**
 * The score inference gives a probability: modelScore's 0-100 scale, rounded as it rounds, so a
 * threshold chosen here flags exactly the rows it flagged here.
 *
 * @example
 * scoreOfProbability(0.123456789); // 12.3457
 */
function scoreOfProbability(probability: number): number {
  return Math.round(1_000_000 * probability) / 10_000;
}

/**
 * A fit's scores (0-100) for every example, with their labels.
 *
 * @example
 * rocAuc(scoresOf((x, i) => predictProbability(fit, x, i), validation));
 */
function scoresOf(predict: Predict, examples: Examples): Scored[] {
  const scored: Scored[] = [];
  for (let i = 0; i < examples.x.rows; i++) {
    scored.push({
      score: scoreOfProbability(predict(examples.x, i)),
      label: examples.y[i] === 1,
    });
  }
  return scored;
}

/**
 * The threshold among the rows' own scores with the highest F1 when flagging `score >= threshold`
 * (ties: the higher threshold, fewer alerts). Null without a fraud among the rows.
 *
 * @example
 * chooseThreshold([{ score: 90, label: true }, { score: 40, label: false }]); // { threshold: 90, f1: 1, ... }
 */
function chooseThreshold(rows: readonly Scored[]): ThresholdChoice | null {
  const sorted = [...rows].sort((a, b) => b.score - a.score);
  const positives = sorted.filter((r) => r.label).length;
  if (positives === 0) return null;
  let best: ThresholdChoice | null = null;
  let tp = 0;
  for (let start = 0; start < sorted.length; ) {
    let end = start;
    while (end < sorted.length && sorted[end].score === sorted[start].score) {
      if (sorted[end].label) tp += 1;
      end += 1;
    }
    const precision = tp / end;
    const recall = tp / positives;
    const f1 = tp === 0 ? 0 : (2 * precision * recall) / (precision + recall);
    if (best === null || f1 > best.f1)
      best = { threshold: sorted[start].score, flagged: end, precision, recall, f1 };
    start = end;
  }
  return best;
}

/** `YYYY-MM-DD` of an epoch-ms time (UTC). */
function isoDate(time: number): string {
  return new Date(time).toISOString().slice(0, 10);
}

/** A finite number rounded to 12 significant digits at most: stable, readable JSON. */
function tidy(value: number): number {
  return Number(value.toPrecision(12));
}

export interface ValidationFigures {
  readonly info: ValidationInfo;
  readonly choice: ThresholdChoice;
}

/**
 * The validation object of MODEL.json and the threshold chosen on it, for a fit on the rows
 * before the validation rows.
 *
 * @example
 * const { info, choice } = validationFigures((x, i) => predictProbability(earlyFit, x, i), split.fit, split.validation, 7);
 * @throws Error when the validation rows hold no fraud (no threshold can be chosen).
 */
function validationFigures(
  predict: Predict,
  fitRows: Examples,
  validation: Examples,
  days: number,
): ValidationFigures {
  const scores = scoresOf(predict, validation);
  const choice = chooseThreshold(scores);
  if (choice === null) {
    throw new Error(
      `the ${validation.x.rows} validation rows (last ${days} days of the training rows) hold no fraud: no threshold can be chosen`,
    );
  }
  const n = validation.timestamps.length;
  const info: ValidationInfo = {
    from: isoDate(validation.timestamps[0]),
    until: isoDate(validation.timestamps[n - 1]),
    rows: n,
    frauds: countFrauds(validation.y),
    rocAuc: nullable(rocAuc(scores)),
    averagePrecision: nullable(averagePrecision(scores)),
    days,
    fitRows: fitRows.x.rows,
    fitFrauds: countFrauds(fitRows.y),
    fitUntil: isoDate(fitRows.timestamps[fitRows.timestamps.length - 1]),
    thresholdPrecision: tidy(choice.precision),
    thresholdRecall: tidy(choice.recall),
    thresholdF1: tidy(choice.f1),
    thresholdFlagged: choice.flagged,
    basis:
      "figures of a fit on the training rows before these (same settings); the threshold maximises F1 on these rows; the shipped weights are a refit on all training rows",
  };
  return { info, choice };
}

function nullable(value: number | null): number | null {
  return value === null ? null : tidy(value);
}

/**
 * MODEL.json's object, keys in the order the file shows them.
 *
 * @example
 * const model = assembleModel(finalFit, choice.threshold, training, validation.info);
 */
function assembleModel(
  fit: LogisticFit,
  threshold: number,
  training: TrainingInfo,
  validation: ValidationInfo,
): LogisticRegressionModel {
  return {
    format: MODEL_FORMAT.name,
    version: MODEL_FORMAT.version,
    kind: MODEL_KINDS.logisticRegression,
    features: [...FEATURE_NAMES],
    mean: Array.from(fit.mean),
    scale: Array.from(fit.scale),
    weights: Array.from(fit.weights),
    intercept: fit.intercept,
    threshold,
    training,
    validation,
  };
}

/**
 * MODEL.json's object for gradient-boosted trees, keys in the order the file shows them.
 *
 * @example
 * const model = assembleTreesModel(finalFit, choice.threshold, training, validation.info);
 */
function assembleTreesModel(
  fit: BoostedFit,
  threshold: number,
  training: TrainingInfo,
  validation: ValidationInfo,
): GradientBoostedTreesModel {
  return {
    format: MODEL_FORMAT.name,
    version: MODEL_FORMAT.version,
    kind: MODEL_KINDS.gradientBoostedTrees,
    features: [...FEATURE_NAMES],
    baseScore: fit.baseScore,
    trees: fit.trees.map(({ feature, threshold: cut, left, right, value }) => ({
      feature,
      threshold: cut,
      left,
      right,
      value,
    })),
    threshold,
    training,
    validation,
  };
}

/** A JSON array of numbers spread one per line, put on one line. */
const NUMBER_ARRAY = /\[\n\s+(-?[\d.e+-]+(?:,\n\s+-?[\d.e+-]+)*)\n\s+\]/g;

/**
 * The file text: two-space JSON with a trailing newline, validated by parseFraudModel. A trees
 * model's node arrays are one line each, so thousands of nodes stay a readable, small file.
 *
 * @example
 * fs.writeFileSync("model.json", modelText(model));
 * @throws ConfigurationError when the model would not load (a non-finite weight, say).
 */
function modelText(model: FraudModel): string {
  const pretty = JSON.stringify(model, null, 2);
  const body =
    model.kind === MODEL_KINDS.gradientBoostedTrees
      ? pretty.replace(NUMBER_ARRAY, (_, numbers: string) => `[${numbers.replace(/,\n\s+/g, ",")}]`)
      : pretty;
  const text = `${body}\n`;
  parseFraudModel(text, FEATURE_NAMES);
  return text;
}

/**
 * Writes validated model text to `file`.
 *
 * @example
 * writeModelFile("model.json", modelText(model));
 */
function writeModelFile(file: string, text: string): void {
  parseFraudModel(text, FEATURE_NAMES);
  fs.writeFileSync(file, text);
}

export {
  assembleModel,
  assembleTreesModel,
  chooseThreshold,
  isoDate,
  modelText,
  scoreOfProbability,
  scoresOf,
  tidy,
  validationFigures,
  writeModelFile,
};
