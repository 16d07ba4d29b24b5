/** velocity: too many transactions for the account in a short window. */
import type { RuleHit, Transaction } from "../../contract/transaction";
import type { VelocityConfig } from "../config";
import { formatDuration } from "./format";
import { RULE_NAMES, ruleHit } from "./score";

/**
 * Counts the account's transactions with `timestamp >= tx.timestamp - windowMs`, this one
 * included, and fires when the count exceeds `maxCount`.
 *
 * Score: `min(maxScore, baseScore × count / maxCount)`.
 *
 * @example
 * velocity(tx, history, DEFAULT_RULES_CONFIG.rules.velocity);
 * // { rule: "velocity", score: 35, reason: "7 transactions in 10 minutes, limit 5" }
 */
function velocity(tx: Transaction, history: readonly Transaction[], params: VelocityConfig): RuleHit | null {
  const since = tx.timestamp - params.windowMs;
  const count = history.filter((h) => h.timestamp >= since).length + 1;
  if (count <= params.maxCount) return null;
  const reason = `${count} transactions in ${formatDuration(params.windowMs)}, limit ${params.maxCount}`;
  return ruleHit(RULE_NAMES.velocity, count / params.maxCount, params, reason);
}

export { velocity };
