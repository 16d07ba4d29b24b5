/** A MODEL.json for tests: a logistic regression over the current features, built through the real validator. */
import { FEATURE_NAMES } from "../../pipeline/runtime/detect/features/registry";
import { type FraudModel, parseFraudModel } from "../../pipeline/runtime/detect/model/format";

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
): FraudModel {
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
  return parseFraudModel(JSON.stringify(document), FEATURE_NAMES);
}

export { fraudModel };
