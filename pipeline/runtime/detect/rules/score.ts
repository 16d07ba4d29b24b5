/** What every rule shares: its name table, the graded score and the shape of a hit. */
import type { RuleHit } from "../../contract/transaction";
import type { ScoreConfig } from "../config";

/** Rule names as they appear in verdicts and alerts, keyed by their settings key in the config. */
const RULE_NAMES = {
  highAmount: "high-amount",
  amountSpike: "amount-spike",
  velocity: "velocity",
  impossibleTravel: "impossible-travel",
  cardTesting: "card-testing",
  repeatedCharge: "repeated-charge",
} as const;

type RuleName = (typeof RULE_NAMES)[keyof typeof RULE_NAMES];

function roundTo2(value: number): number {
  return Math.round(value * 100) / 100;
}

/**
 * The graded score of a rule that fired: `min(maxScore, baseScore × strength)`, rounded to
 * 2 decimals. `strength` is how far the observation is past the rule's setting (1 = exactly at
 * it); an infinite strength scores `maxScore`.
 *
 * @example
 * gradedScore(1.5, { baseScore: 40, maxScore: 80 }); // 60
 */
function gradedScore(strength: number, score: ScoreConfig): number {
  return Math.min(score.maxScore, roundTo2(score.baseScore * strength));
}

/**
 * A hit for a rule that fired with `strength`, or null when the rule is switched off (score 0).
 *
 * @example
 * return ruleHit(RULE_NAMES.velocity, count / params.maxCount, params, `${count} transactions in 10 minutes`);
 */
function ruleHit(rule: RuleName, strength: number, score: ScoreConfig, reason: string): RuleHit | null {
  const value = gradedScore(strength, score);
  return value > 0 ? { rule, score: value, reason } : null;
}

export type { RuleName };
export { gradedScore, RULE_NAMES, roundTo2, ruleHit };
