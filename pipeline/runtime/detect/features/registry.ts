/**
 * The feature vector: every feature in a fixed order. The model's feature order, the scorer's
 * reasons and the docs table derive from {@link FEATURES}; the deployed detect-fraud function,
 * the local runner, the backtest and `npm run train` all compute vectors with
 * {@link computeFeatures}, so they agree by construction.
 */
import { accountFeatures } from "./account";
import { amountFeatures } from "./amount";
import type { FeatureDefinition } from "./feature";
import { merchantFeatures } from "./merchant";
import { noveltyFeatures } from "./novelty";
import { ruleFeatures } from "./rules";
import type { FeatureSummary } from "./summary";
import { timeFeatures } from "./time";

const FEATURES: readonly FeatureDefinition[] = [
  ...amountFeatures,
  ...accountFeatures,
  ...timeFeatures,
  ...noveltyFeatures,
  ...merchantFeatures,
  ...ruleFeatures,
];

/** Feature names in vector order. */
const FEATURE_NAMES: readonly string[] = FEATURES.map((feature) => feature.name);

/**
 * The feature vector of a summarised transaction, in {@link FEATURE_NAMES} order.
 *
 * @example
 * const vector = computeFeatures(summarise(tx, history, profile, config));
 * vector[FEATURE_NAMES.indexOf("amount_log")]; // 8.52
 */
function computeFeatures(summary: FeatureSummary): Float64Array {
  const vector = new Float64Array(FEATURES.length);
  for (let i = 0; i < FEATURES.length; i++) vector[i] = FEATURES[i].value(summary);
  return vector;
}

export { computeFeatures, FEATURE_NAMES, FEATURES };
