/** The detector's decision for one transaction, and what is written and sent because of it. */
import {
  type Assessment,
  type FraudAlert,
  type RuleHit,
  type Transaction,
  VERDICTS,
  type Verdict,
} from "../contract/transaction";
import type { RulesConfig } from "./config";
import { amountSpike } from "./rules/amount-spike";
import { cardTesting } from "./rules/card-testing";
import { highAmount } from "./rules/high-amount";
import { impossibleTravel } from "./rules/impossible-travel";
import { repeatedCharge } from "./rules/repeated-charge";
import { roundTo2 } from "./rules/score";
import { velocity } from "./rules/velocity";

/**
 * Runs every rule and sums the scores of those that fired; flagged when the sum reaches
 * `config.threshold`. Pure. `history` is the output of `selectHistory` (same account, earlier,
 * oldest first).
 *
 * @example
 * const assessment = assessTransaction(tx, selectHistory(tx, candidates, config), config);
 * // { score: 72.5, flagged: true, hits: [{ rule: "amount-spike", score: 42.5, reason: "..." }, ...] }
 */
function assessTransaction(
  tx: Transaction,
  history: readonly Transaction[],
  config: RulesConfig,
): Assessment {
  const { rules } = config;
  const results = [
    highAmount(tx, history, rules.highAmount),
    amountSpike(tx, history, rules.amountSpike),
    velocity(tx, history, rules.velocity),
    impossibleTravel(tx, history, rules.impossibleTravel),
    cardTesting(tx, history, rules.cardTesting),
    repeatedCharge(tx, history, rules.repeatedCharge),
  ];
  const hits = results
    .filter((hit): hit is RuleHit => hit !== null)
    .sort((a, b) => b.score - a.score || a.rule.localeCompare(b.rule));
  const score = roundTo2(hits.reduce((sum, hit) => sum + hit.score, 0));
  return { score, flagged: score >= config.threshold, hits };
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
    detected_at: detectedAt,
  };
}

export { assessTransaction, toAlert, toVerdict };
