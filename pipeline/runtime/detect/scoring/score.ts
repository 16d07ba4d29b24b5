/**
 * The two scorers over one feature summary. Both return their score with its contributions, so
 * the reasons an analyst reads are the scorer's own arithmetic, never a separate heuristic.
 *
 * - Default (no model): the rules' graded scores plus each signal's `weight × strength`
 *   (scoring/signals.ts). Label-free, so it ranks from day one.
 * - Model: the model's fraud probability × 100; contributions are each feature's term of the
 *   logistic regression's log-odds, or, for gradient-boosted trees, each feature's path
 *   attribution of the trees' log-odds (model/trees.ts).
 */
import type { RulesConfig } from "../config";
import { FEATURES } from "../features/registry";
import type { FeatureSummary } from "../features/summary";
import {
  type FraudModel,
  type GradientBoostedTreesModel,
  type LogisticRegressionModel,
  MODEL_KINDS,
} from "../model/format";
import { type FlatTrees, flattenTrees, treesAttribution, treesLogOdds } from "../model/trees";
import { roundTo2 } from "../rules/score";
import { SIGNALS } from "./signals";

/** What moved a score, and the words for it. */
interface Contribution {
  /** A rule name or a feature name. */
  readonly source: string;
  /** Points for the default score; log-odds for a model. Positive raises the score. */
  readonly value: number;
  /** The words, built only for the contributions that become reasons (most never do). */
  readonly explain: () => string;
}

interface Scored {
  readonly score: number;
  readonly contributions: readonly Contribution[];
}

/** A trees model with its trees flattened for inference (see {@link prepareModel}). */
interface PreparedTreesModel extends GradientBoostedTreesModel {
  readonly flat: FlatTrees;
}

/** A parsed model as the scorers take it: a logistic regression as parsed, trees flattened. */
type PreparedModel = LogisticRegressionModel | PreparedTreesModel;

/** How many reasons travel with a verdict and an alert. */
const TOP_REASONS = 3;

/** Feature position by name; a plain object, because a captured Map breaks in the serialized artifact. */
const FEATURE_INDEX: Readonly<Record<string, number>> = Object.fromEntries(
  FEATURES.map((feature, i) => [feature.name, i]),
);

/**
 * The label-free default score: the fired rules' scores plus the signals' points.
 *
 * @example
 * defaultScore(summarise(tx, history, profile, config), config); // { score: 47.3, contributions: [...] }
 */
function defaultScore(summary: FeatureSummary, config: RulesConfig): Scored {
  const contributions: Contribution[] = [];
  for (const { hit } of summary.rules) {
    if (hit !== null) contributions.push({ source: hit.rule, value: hit.score, explain: () => hit.reason });
  }
  const settings = config.signals as unknown as Record<string, never>;
  for (const signal of SIGNALS) {
    const params = settings[signal.key] as { readonly weight: number };
    const { strength, feature } = signal.evaluate(summary, params as never);
    const value = params.weight * strength;
    if (value > 0) {
      const definition = FEATURES[FEATURE_INDEX[feature]];
      contributions.push({ source: feature, value, explain: () => definition.reason(summary) });
    }
  }
  const score = roundTo2(contributions.reduce((sum, c) => sum + c.value, 0));
  return { score, contributions };
}

function sigmoid(z: number): number {
  return 1 / (1 + Math.exp(-z));
}

/**
 * A logistic-regression model's log-odds terms for a feature vector, in feature order.
 *
 * @example
 * const terms = logisticTerms(model, vector); // terms[i] = weights[i] × (x[i] − mean[i]) / scale[i]
 */
function logisticTerms(model: LogisticRegressionModel, vector: Float64Array): Float64Array {
  const terms = new Float64Array(vector.length);
  for (let i = 0; i < vector.length; i++) {
    terms[i] = (model.weights[i] * (vector[i] - model.mean[i])) / model.scale[i];
  }
  return terms;
}

/**
 * A logistic-regression model's log-odds: the intercept plus each term as {@link logisticTerms}
 * computes it, added in feature order (so it equals adding up the stored terms, bit for bit).
 */
function logisticLogOdds(model: LogisticRegressionModel, vector: Float64Array): number {
  let z = model.intercept;
  for (let i = 0; i < vector.length; i++) {
    z += (model.weights[i] * (vector[i] - model.mean[i])) / model.scale[i];
  }
  return z;
}

/**
 * A parsed model ready to score: a trees model gains its flat form, built here once (per backtest,
 * per detect-fraud cold start) rather than shipped, since the archive carries the parsed model.
 *
 * @example
 * const model = prepareModel(parseFraudModel(text, FEATURE_NAMES));
 * modelScoreOnly(model, vector); // 83.1
 */
function prepareModel(model: FraudModel): PreparedModel {
  return model.kind === MODEL_KINDS.gradientBoostedTrees ? { ...model, flat: flattenTrees(model) } : model;
}

/**
 * The model's log-odds for a feature vector. Every score comes from this one sum (the full
 * {@link modelScore} too, through `treesAttribution`'s `logOdds`), so a score with reasons and a
 * score without them are the same number.
 *
 * @example
 * modelLogOdds(model, vector); // -3.71
 */
function modelLogOdds(model: PreparedModel, vector: Float64Array): number {
  return model.kind === MODEL_KINDS.gradientBoostedTrees
    ? treesLogOdds(model.flat, vector)
    : logisticLogOdds(model, vector);
}

/**
 * The model's fraud probability for a feature vector, between 0 and 1.
 *
 * @example
 * modelProbability(model, vector); // 0.83
 */
function modelProbability(model: PreparedModel, vector: Float64Array): number {
  return sigmoid(modelLogOdds(model, vector));
}

/**
 * The 0-100 score of a log-odds. Four decimals: probabilities of legitimate transactions sit
 * close together, and rounding them to ties would blur the ranking a fraud team sorts by.
 */
function scoreOfLogOdds(z: number): number {
  return Math.round(1_000_000 * sigmoid(z)) / 10_000;
}

/**
 * The model's score (probability × 100) with every feature's log-odds contribution: its
 * logistic-regression term, or its path attribution in the trees.
 *
 * @example
 * modelScore(model, computeFeatures(summary), summary); // { score: 83.1, contributions: [...] }
 */
function modelScore(model: PreparedModel, vector: Float64Array, summary: FeatureSummary): Scored {
  let z: number;
  let terms: Float64Array;
  if (model.kind === MODEL_KINDS.gradientBoostedTrees) {
    // Its logOdds is treesLogOdds's: the trees are walked for the score as modelLogOdds walks them.
    ({ logOdds: z, contributions: terms } = treesAttribution(model.flat, vector));
  } else {
    z = logisticLogOdds(model, vector);
    terms = logisticTerms(model, vector);
  }
  const contributions: Contribution[] = [];
  for (let i = 0; i < terms.length; i++) {
    if (terms[i] > 0) {
      const feature = FEATURES[i];
      contributions.push({ source: feature.name, value: terms[i], explain: () => feature.reason(summary) });
    }
  }
  return { score: scoreOfLogOdds(z), contributions };
}

/**
 * {@link modelScore}'s score alone, without the per-feature attribution only reasons need: the
 * same number, for a caller that reads no reasons (the backtest without `--scores-out`).
 *
 * @example
 * modelScoreOnly(model, computeFeatures(summary)); // 83.1
 */
function modelScoreOnly(model: PreparedModel, vector: Float64Array): number {
  return scoreOfLogOdds(modelLogOdds(model, vector));
}

/**
 * The words of the largest positive contributions, at most {@link TOP_REASONS}, without repeats
 * (two features can share a sentence, e.g. an amount and its log).
 *
 * @example
 * topReasons(scored.contributions); // ["amount 6.1x this account's 30-day average of ...", ...]
 */
function topReasons(contributions: readonly Contribution[]): string[] {
  const reasons: string[] = [];
  const sorted = [...contributions]
    .filter((c) => c.value > 0)
    .sort((a, b) => b.value - a.value || a.source.localeCompare(b.source));
  for (const c of sorted) {
    if (reasons.length === TOP_REASONS) break;
    const reason = c.explain();
    if (!reasons.includes(reason)) reasons.push(reason);
  }
  return reasons;
}

export type { Contribution, PreparedModel, Scored };
export { defaultScore, modelProbability, modelScore, modelScoreOnly, prepareModel, topReasons };
