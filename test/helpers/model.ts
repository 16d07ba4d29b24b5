/** MODEL.json documents for tests (a logistic regression, gradient-boosted trees), built through the real validator. */
import { FEATURE_NAMES } from "../../pipeline/runtime/detect/features/registry";
import {
  type FraudModel,
  type LogisticRegressionModel,
  parseFraudModel,
} from "../../pipeline/runtime/detect/model/format";

interface Term {
  readonly weight: number;
  readonly mean: number;
  readonly scale: number;
}

/**
 * A model whose terms are zero except those given, parsed by `parseFraudModel` so a test model is
 * as valid as a trained one.
 *
 * @example
 * const model = fraudModel({ amount_log: { weight: 2, mean: 7, scale: 1 } }, { intercept: -4 });
 */
function fraudModel(
  terms: Readonly<Record<string, Term>>,
  options: { intercept?: number; threshold?: number } = {},
): LogisticRegressionModel {
  const term = (name: string) => terms[name] ?? { weight: 0, mean: 0, scale: 1 };
  const document = {
    format: "fraud-model",
    version: 1,
    kind: "logistic-regression",
    features: FEATURE_NAMES,
    mean: FEATURE_NAMES.map((name) => term(name).mean),
    scale: FEATURE_NAMES.map((name) => term(name).scale),
    weights: FEATURE_NAMES.map((name) => term(name).weight),
    intercept: options.intercept ?? 0,
    threshold: options.threshold ?? 50,
    training: { from: "2025-10-01", until: "2025-10-21", rows: 100, frauds: 5, labelDelayDays: 7, seed: 1 },
    validation: {
      from: "2025-10-22",
      until: "2025-10-28",
      rows: 40,
      frauds: 2,
      rocAuc: 0.9,
      averagePrecision: 0.5,
    },
  };
  return parseFraudModel(JSON.stringify(document), FEATURE_NAMES) as LogisticRegressionModel;
}

/** A tree by feature name: `feature` null for a leaf, `left`/`right` −1 for a leaf. */
interface TreeNode {
  readonly feature: string | null;
  readonly threshold?: number;
  readonly left?: number;
  readonly right?: number;
  readonly value: number;
}

const TRAINING = {
  from: "2025-10-01",
  until: "2025-10-21",
  rows: 100,
  frauds: 5,
  labelDelayDays: 7,
  seed: 1,
};
const VALIDATION = {
  from: "2025-10-22",
  until: "2025-10-28",
  rows: 40,
  frauds: 2,
  rocAuc: 0.9,
  averagePrecision: 0.5,
};

/**
 * A gradient-boosted trees document (plain JSON, not parsed) from trees of named nodes.
 *
 * @example
 * treesDocument([[{ feature: null, value: 0.2 }]], { baseScore: -3 });
 */
function treesDocument(
  trees: readonly (readonly TreeNode[])[],
  options: { baseScore?: number; threshold?: number } = {},
): Record<string, unknown> {
  return {
    format: "fraud-model",
    version: 1,
    kind: "gradient-boosted-trees",
    features: FEATURE_NAMES,
    baseScore: options.baseScore ?? 0,
    trees: trees.map((nodes) => ({
      feature: nodes.map((n) => (n.feature === null ? -1 : FEATURE_NAMES.indexOf(n.feature))),
      threshold: nodes.map((n) => n.threshold ?? 0),
      left: nodes.map((n) => n.left ?? -1),
      right: nodes.map((n) => n.right ?? -1),
      value: nodes.map((n) => n.value),
    })),
    threshold: options.threshold ?? 50,
    training: TRAINING,
    validation: VALIDATION,
  };
}

/**
 * {@link treesDocument}, parsed by `parseFraudModel`.
 *
 * @example
 * const model = treesModel([[{ feature: "amount_log", threshold: 7, left: 1, right: 2, value: 0 }, ...]]);
 */
function treesModel(
  trees: readonly (readonly TreeNode[])[],
  options: { baseScore?: number; threshold?: number } = {},
): FraudModel {
  return parseFraudModel(JSON.stringify(treesDocument(trees, options)), FEATURE_NAMES);
}

export type { TreeNode };
export { fraudModel, treesDocument, treesModel };
