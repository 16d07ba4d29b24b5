/** The detector's decision for one transaction, and what is written and sent because of it. */
import {
  type Assessment,
  type FraudAlert,
  type RuleHit,
  SCORERS,
  type Transaction,
  VERDICTS,
  type Verdict,
} from "../contract/transaction";
import type { RulesConfig } from "./config";
import { computeFeatures } from "./features/registry";
import { type SummaryInputs, summarise } from "./features/summary";
import { emptyProfile, type MerchantProfile } from "./merchant-risk";
import { defaultScore, modelScore, modelScoreOnly, type PreparedModel, topReasons } from "./scoring/score";

/** What scores a transaction: the settings, and the trained model (see `prepareModel`) when one is deployed. */
interface Scoring {
  readonly config: RulesConfig;
  readonly model?: PreparedModel;
}

/** An assessment with the feature vector it was computed from (the backtest and training keep it). */
interface AssessedVector {
  readonly assessment: Assessment;
  readonly features: Float64Array;
}

/** The flag threshold in force: the model's own unless the config sets `modelThreshold`. */
function thresholdOf(scoring: {
  readonly config: RulesConfig;
  readonly model?: { readonly threshold: number };
}): number {
  if (scoring.model === undefined) return scoring.config.threshold;
  return scoring.config.modelThreshold > 0 ? scoring.config.modelThreshold : scoring.model.threshold;
}

/**
 * Computes the feature vector and scores it: with the model when one is given, else with the
 * label-free default score. The rules run either way and their hits travel with the result.
 * Pure. `history` is the output of `selectHistory` (same account, earlier, oldest first);
 * `computed` is what a caller keeping its own account state computed from it (see `summarise`).
 * With `withReasons` false the assessment's `reasons` are empty and a model's per-feature
 * attribution is skipped, for a caller that reads no reasons; the score and flag are the same.
 *
 * @example
 * const { assessment, features } = assessWithFeatures(tx, history, profile, { config, model });
 */
function assessWithFeatures(
  tx: Transaction,
  history: readonly Transaction[],
  merchant: MerchantProfile,
  scoring: Scoring,
  computed?: SummaryInputs,
  withReasons = true,
): AssessedVector {
  const summary = summarise(tx, history, merchant, scoring.config, computed);
  const features = computeFeatures(summary);
  let score: number;
  let reasons: string[] = [];
  if (scoring.model !== undefined && !withReasons) {
    score = modelScoreOnly(scoring.model, features);
  } else {
    const scored =
      scoring.model === undefined
        ? defaultScore(summary, scoring.config)
        : modelScore(scoring.model, features, summary);
    score = scored.score;
    if (withReasons) reasons = topReasons(scored.contributions);
  }
  const hits = summary.rules
    .map((result) => result.hit)
    .filter((hit): hit is RuleHit => hit !== null)
    .sort((a, b) => b.score - a.score || a.rule.localeCompare(b.rule));
  const assessment: Assessment = {
    score,
    flagged: score >= thresholdOf(scoring),
    scorer: scoring.model === undefined ? SCORERS.labelFree : SCORERS.model,
    hits,
    reasons,
  };
  return { assessment, features };
}

/**
 * {@link assessWithFeatures} without the vector.
 *
 * @example
 * const assessment = assessTransaction(tx, selectHistory(tx, candidates, config), config);
 * // { score: 72.5, flagged: true, scorer: "default", hits: [...], reasons: ["amount 8.2x ...", ...] }
 */
function assessTransaction(
  tx: Transaction,
  history: readonly Transaction[],
  config: RulesConfig,
  merchant: MerchantProfile = emptyProfile(),
  model?: PreparedModel,
): Assessment {
  return assessWithFeatures(tx, history, merchant, { config, model }).assessment;
}

/**
 * The audit record written back to the item.
 *
 * @example
 * await verdicts.recordVerdict(tx, toVerdict(assessment, now()));
 */
function toVerdict(assessment: Assessment, decidedAt: number): Verdict {
  return {
    verdict: assessment.flagged ? VERDICTS.flagged : VERDICTS.cleared,
    score: assessment.score,
    rules: assessment.hits.map((hit) => hit.rule),
    reasons: assessment.reasons,
    decidedAt,
  };
}

/**
 * The fraud-alerts message for a flagged transaction.
 *
 * @example
 * await alerts.sendAlerts([toAlert(tx, assessment, now())]);
 */
function toAlert(tx: Transaction, assessment: Assessment, detectedAt: number): FraudAlert {
  return {
    transaction_id: tx.transaction_id,
    account_id: tx.account_id,
    timestamp: tx.timestamp,
    amount: tx.amount,
    currency: tx.currency,
    merchant_id: tx.merchant_id,
    score: assessment.score,
    rules: assessment.hits,
    reasons: assessment.reasons,
    detected_at: detectedAt,
  };
}

export type { AssessedVector, Scoring };
export { assessTransaction, assessWithFeatures, thresholdOf, toAlert, toVerdict };
