/**
 * MODEL.json: a fraud model trained by `npm run train`, as plain versioned data. The stack reads
 * it at deploy time (config `fraudModel`) and ships it inside detect-fraud's archive; the backtest
 * and the local runner load the same file. {@link parseFraudModel} is the one validator they share,
 * so a missing, malformed or feature-mismatched model fails preview with the same message it
 * fails a backtest with.
 */
import { ERROR_NAMES, runtimeError } from "../../errors";

/** Identifies the file type and the version of its layout. */
const MODEL_FORMAT = { name: "fraud-model", version: 1 } as const;

/** Model kinds inference knows. */
const MODEL_KINDS = {
  logisticRegression: "logistic-regression",
  gradientBoostedTrees: "gradient-boosted-trees",
} as const;

/** Where the training rows came from and how they were replayed. */
interface TrainingInfo {
  /** ISO date of the first and last training transaction. */
  readonly from: string;
  readonly until: string;
  readonly rows: number;
  readonly frauds: number;
  /** Days after a transaction its label became known during the replay. */
  readonly labelDelayDays: number;
  readonly seed: number;
  // The optional fields below are written by npm run train; inference does not read them.
  /**
   * When the training labels were known (ISO time of the last replayed row): a row is trained on
   * only when `timestamp + labelDelayDays <= labelsKnownAt`.
   */
  readonly labelsKnownAt?: string;
  /** Rows replayed for history and merchant counts, trained on or not. */
  readonly replayedRows?: number;
  /** Labelled rows whose label would only arrive after labelsKnownAt: replayed, not trained on. */
  readonly pendingLabelRows?: number;
  /** Rows without a label: replayed, not trained on. */
  readonly unlabelledRows?: number;
  /** How the weights were fitted, e.g. "newton-irls". */
  readonly solver?: string;
  /** Ridge penalty on the standardised weights. */
  readonly l2?: number;
  readonly iterations?: number;
  /** What the shipped weights were fitted on. */
  readonly shipped?: string;
  // Gradient-boosted trees only (`l2` is then the leaf values' penalty λ, `iterations` the trees).
  readonly learningRate?: number;
  readonly maxDepth?: number;
  /** Most quantile bins per feature the splits were chosen among. */
  readonly maxBins?: number;
  /** Least hessian (Σ p(1 − p)) a child of a split must hold. */
  readonly minChildHessian?: number;
}

/** One candidate model kind's figures on the held-out days, when npm run train chose among kinds. */
interface CandidateInfo {
  readonly kind: string;
  readonly rocAuc: number | null;
  readonly averagePrecision: number | null;
}

/** Figures on the held-out tail of the training period. */
interface ValidationInfo {
  readonly from: string;
  readonly until: string;
  readonly rows: number;
  readonly frauds: number;
  readonly rocAuc: number | null;
  readonly averagePrecision: number | null;
  // The optional fields below are written by npm run train; inference does not read them.
  /** Length of the held-out tail, days. */
  readonly days?: number;
  /** Rows and frauds of the fit these figures are of (the training rows before `from`), its last date. */
  readonly fitRows?: number;
  readonly fitFrauds?: number;
  readonly fitUntil?: string;
  /** Flagging at the model's threshold on these rows. */
  readonly thresholdPrecision?: number;
  readonly thresholdRecall?: number;
  readonly thresholdF1?: number;
  readonly thresholdFlagged?: number;
  /** What these figures are of, in words. */
  readonly basis?: string;
  /** Every kind fitted and measured on these rows, and why the shipped kind won. */
  readonly candidates?: readonly CandidateInfo[];
  readonly selection?: string;
}

/**
 * Logistic regression over standardised features:
 * `p = sigmoid(intercept + Σ weights[i] × (x[i] − mean[i]) / scale[i])`.
 */
interface LogisticRegressionModel {
  readonly format: typeof MODEL_FORMAT.name;
  readonly version: typeof MODEL_FORMAT.version;
  readonly kind: typeof MODEL_KINDS.logisticRegression;
  /** Feature names in vector order; must equal the feature registry's. */
  readonly features: readonly string[];
  readonly mean: readonly number[];
  readonly scale: readonly number[];
  readonly weights: readonly number[];
  readonly intercept: number;
  /** Suggested flag threshold on the 0-100 score scale (the rules config may override it). */
  readonly threshold: number;
  readonly training: TrainingInfo;
  readonly validation: ValidationInfo;
}

/**
 * One regression tree as parallel arrays over its nodes; node 0 is the root. A split node goes to
 * `left[n]` when `x[feature[n]] <= threshold[n]`, else to `right[n]`; children come after their
 * parent (`left[n] > n`, `right[n] > n`). A leaf has `feature` −1 and `left`, `right` −1.
 * `value[n]` is every node's own output in log-odds, learning rate applied: a leaf's is the tree's
 * output, a split node's is what the tree would output had it stopped there (for attribution).
 */
interface RegressionTree {
  readonly feature: readonly number[];
  readonly threshold: readonly number[];
  readonly left: readonly number[];
  readonly right: readonly number[];
  readonly value: readonly number[];
}

/** Gradient-boosted trees: `p = sigmoid(baseScore + Σ value of the leaf each tree reaches)`. */
interface GradientBoostedTreesModel {
  readonly format: typeof MODEL_FORMAT.name;
  readonly version: typeof MODEL_FORMAT.version;
  readonly kind: typeof MODEL_KINDS.gradientBoostedTrees;
  /** Feature names in vector order; must equal the feature registry's. */
  readonly features: readonly string[];
  /** Log-odds every score starts from. */
  readonly baseScore: number;
  readonly trees: readonly RegressionTree[];
  /** Suggested flag threshold on the 0-100 score scale (the rules config may override it). */
  readonly threshold: number;
  readonly training: TrainingInfo;
  readonly validation: ValidationInfo;
}

type FraudModel = LogisticRegressionModel | GradientBoostedTreesModel;

/** Most trees and most nodes per tree a model may carry (a bound on the archive, not a default). */
const MAX_TREES = 10_000;
const MAX_TREE_NODES = 100_000;

function fail(problem: string): never {
  throw runtimeError(ERROR_NAMES.configuration, `Fraud model ${problem}`);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function finiteArray(model: Record<string, unknown>, key: string, length: number): number[] {
  const value = model[key];
  if (!Array.isArray(value) || value.length !== length) {
    fail(`field ${key} must be an array of ${length} numbers (one per feature)`);
  }
  const bad = value.findIndex((v) => typeof v !== "number" || !Number.isFinite(v));
  if (bad >= 0) fail(`field ${key}[${bad}] must be a finite number, got ${JSON.stringify(value[bad])}`);
  return value as number[];
}

function finiteNumber(model: Record<string, unknown>, key: string, min: number, max: number): number {
  const value = model[key];
  if (typeof value !== "number" || !Number.isFinite(value) || value < min || value > max) {
    fail(`field ${key} must be a number between ${min} and ${max}, got ${JSON.stringify(value)}`);
  }
  return value;
}

function checkFeatures(value: unknown, expected: readonly string[]): string[] {
  if (!Array.isArray(value) || value.some((v) => typeof v !== "string")) {
    fail("field features must be an array of feature names");
  }
  const names = value as string[];
  const missing = expected.filter((name) => !names.includes(name));
  const unknown = names.filter((name) => !expected.includes(name));
  if (missing.length > 0 || unknown.length > 0) {
    const parts = [
      missing.length > 0 ? `missing ${missing.join(", ")}` : "",
      unknown.length > 0 ? `unknown ${unknown.join(", ")}` : "",
    ].filter((part) => part !== "");
    fail(`features do not match this version's features (${parts.join("; ")}): retrain with npm run train`);
  }
  if (names.some((name, i) => name !== expected[i])) {
    fail("features are not in this version's order: retrain with npm run train");
  }
  return names;
}

/**
 * Parses and validates MODEL.json text against the current feature names.
 *
 * @example
 * const model = parseFraudModel(fs.readFileSync("model.json", "utf8"), FEATURE_NAMES);
 * @throws ConfigurationError naming the problem: not JSON, wrong format or version, unknown kind,
 *   features missing, unknown or out of order, a parameter that is not a finite number, or a
 *   malformed tree (named by index: arrays of unequal length, a feature index out of range, a
 *   child not after its parent or outside the tree, a node with no or two parents).
 */
function parseFraudModel(text: string, featureNames: readonly string[]): FraudModel {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    fail(`is not valid JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (!isRecord(parsed)) fail("must be a JSON object");
  if (parsed.format !== MODEL_FORMAT.name || parsed.version !== MODEL_FORMAT.version) {
    fail(
      `must have format "${MODEL_FORMAT.name}" and version ${MODEL_FORMAT.version}, got ${JSON.stringify(parsed.format)} version ${JSON.stringify(parsed.version)}`,
    );
  }
  if (parsed.kind !== MODEL_KINDS.logisticRegression && parsed.kind !== MODEL_KINDS.gradientBoostedTrees) {
    fail(`kind must be one of ${Object.values(MODEL_KINDS).join(", ")}, got ${JSON.stringify(parsed.kind)}`);
  }
  const features = checkFeatures(parsed.features, featureNames);
  if (parsed.kind === MODEL_KINDS.gradientBoostedTrees) return parseTreesModel(parsed, features);
  const scale = finiteArray(parsed, "scale", features.length);
  const zero = scale.findIndex((s) => s <= 0);
  if (zero >= 0) fail(`field scale[${zero}] must be positive`);
  const { training, validation } = trainingAndValidation(parsed);
  return {
    format: MODEL_FORMAT.name,
    version: MODEL_FORMAT.version,
    kind: MODEL_KINDS.logisticRegression,
    features,
    mean: finiteArray(parsed, "mean", features.length),
    scale,
    weights: finiteArray(parsed, "weights", features.length),
    intercept: finiteNumber(parsed, "intercept", -1e6, 1e6),
    threshold: finiteNumber(parsed, "threshold", 0, 100),
    training,
    validation,
  };
}

function trainingAndValidation(model: Record<string, unknown>): {
  training: TrainingInfo;
  validation: ValidationInfo;
} {
  if (!isRecord(model.training) || !isRecord(model.validation)) {
    fail("must carry training and validation objects (written by npm run train)");
  }
  return {
    training: model.training as unknown as TrainingInfo,
    validation: model.validation as unknown as ValidationInfo,
  };
}

function parseTreesModel(model: Record<string, unknown>, features: string[]): GradientBoostedTreesModel {
  const baseScore = finiteNumber(model, "baseScore", -1e6, 1e6);
  const { trees } = model;
  if (!Array.isArray(trees) || trees.length === 0 || trees.length > MAX_TREES) {
    fail(`field trees must be an array of 1 to ${MAX_TREES} trees`);
  }
  const parsedTrees = trees.map((tree, t) => parseTree(tree, t, features.length));
  const threshold = finiteNumber(model, "threshold", 0, 100);
  const { training, validation } = trainingAndValidation(model);
  return {
    format: MODEL_FORMAT.name,
    version: MODEL_FORMAT.version,
    kind: MODEL_KINDS.gradientBoostedTrees,
    features,
    baseScore,
    trees: parsedTrees,
    threshold,
    training,
    validation,
  };
}

const TREE_FIELDS = ["feature", "threshold", "left", "right", "value"] as const;

/**
 * One tree, checked so inference cannot loop or read past an array: equal-length arrays of finite
 * numbers, integer feature indices in range or −1 (leaf), children after their parent and inside
 * the tree, every node but the root the child of exactly one split, leaves without children.
 */
function parseTree(tree: unknown, t: number, featureCount: number): RegressionTree {
  const where = `trees[${t}]`;
  if (!isRecord(tree)) fail(`${where} must be an object with arrays ${TREE_FIELDS.join(", ")}`);
  const columns: Record<string, number[]> = {};
  for (const key of TREE_FIELDS) {
    const value = tree[key];
    if (!Array.isArray(value)) fail(`${where}.${key} must be an array of numbers`);
    const bad = value.findIndex((v) => typeof v !== "number" || !Number.isFinite(v));
    if (bad >= 0) fail(`${where}.${key}[${bad}] must be a finite number, got ${JSON.stringify(value[bad])}`);
    columns[key] = value as number[];
  }
  const { feature, threshold, left, right, value } = columns;
  const n = feature.length;
  if (n === 0 || n > MAX_TREE_NODES) fail(`${where} must have 1 to ${MAX_TREE_NODES} nodes, got ${n}`);
  for (const key of TREE_FIELDS) {
    if (columns[key].length !== n) {
      fail(`${where}.${key} has ${columns[key].length} entries but ${where}.feature has ${n}: one per node`);
    }
  }
  const parents = new Array<number>(n).fill(-1);
  for (let i = 0; i < n; i++) {
    const f = feature[i];
    if (!Number.isInteger(f) || f < -1 || f >= featureCount) {
      fail(
        `${where}.feature[${i}] must be a feature index 0 to ${featureCount - 1} or -1 for a leaf, got ${f}`,
      );
    }
    if (f === -1) {
      if (left[i] !== -1 || right[i] !== -1)
        fail(`${where} node ${i} is a leaf: its left and right must be -1`);
      continue;
    }
    if (left[i] === right[i]) fail(`${where} node ${i} has the same left and right child ${left[i]}`);
    for (const [side, child] of [
      ["left", left[i]],
      ["right", right[i]],
    ] as const) {
      if (!Number.isInteger(child) || child <= i || child >= n) {
        fail(`${where}.${side}[${i}] must be a node index after ${i} and below ${n}, got ${child}`);
      }
      if (parents[child] >= 0)
        fail(`${where} node ${child} has two parents, nodes ${parents[child]} and ${i}`);
      parents[child] = i;
    }
  }
  for (let i = 1; i < n; i++) {
    if (parents[i] < 0) fail(`${where} node ${i} is no node's child: every node but the root must be`);
  }
  return { feature, threshold, left, right, value };
}

export type {
  CandidateInfo,
  FraudModel,
  GradientBoostedTreesModel,
  LogisticRegressionModel,
  RegressionTree,
  TrainingInfo,
  ValidationInfo,
};
export { MODEL_FORMAT, MODEL_KINDS, parseFraudModel };
