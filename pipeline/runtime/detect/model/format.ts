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
const MODEL_KINDS = { logisticRegression: "logistic-regression" } as const;

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

type FraudModel = LogisticRegressionModel;

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
 *   features missing, unknown or out of order, or a parameter that is not a finite number.
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
  if (parsed.kind !== MODEL_KINDS.logisticRegression) {
    fail(`kind must be one of ${Object.values(MODEL_KINDS).join(", ")}, got ${JSON.stringify(parsed.kind)}`);
  }
  const features = checkFeatures(parsed.features, featureNames);
  const scale = finiteArray(parsed, "scale", features.length);
  const zero = scale.findIndex((s) => s <= 0);
  if (zero >= 0) fail(`field scale[${zero}] must be positive`);
  if (!isRecord(parsed.training) || !isRecord(parsed.validation)) {
    fail("must carry training and validation objects (written by npm run train)");
  }
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
    training: parsed.training as unknown as TrainingInfo,
    validation: parsed.validation as unknown as ValidationInfo,
  };
}

export type { FraudModel, LogisticRegressionModel, TrainingInfo, ValidationInfo };
export { MODEL_FORMAT, MODEL_KINDS, parseFraudModel };
