/** high-amount: an absolute per-currency ceiling, independent of the account's history. */

import { formatAmount } from "../../contract/money";
import type { RuleHit, Transaction } from "../../contract/transaction";
import type { HighAmountConfig } from "../config";
import { formatMultiple } from "./format";
import { RULE_NAMES, ruleHit } from "./score";

/**
 * Fires when the amount exceeds the currency's limit (`limits[currency]`, else `defaultLimit`).
 *
 * Score: `min(maxScore, baseScore × amount / limit)`; just above the limit it is `baseScore`,
 * at twice the limit `2 × baseScore`.
 *
 * @example
 * highAmount(tx, [], DEFAULT_RULES_CONFIG.rules.highAmount);
 * // { rule: "high-amount", score: 60, reason: "amount 15000.00 USD is 1.5x the limit of 10000.00 USD" }
 */
function highAmount(
  tx: Transaction,
  _history: readonly Transaction[],
  params: HighAmountConfig,
): RuleHit | null {
  const limit = Object.hasOwn(params.limits, tx.currency) ? params.limits[tx.currency] : params.defaultLimit;
  if (tx.amount <= limit) return null;
  const multiple = tx.amount / limit;
  const reason = `amount ${formatAmount(tx.amount, tx.currency)} is ${formatMultiple(multiple)} the limit of ${formatAmount(limit, tx.currency)}`;
  return ruleHit(RULE_NAMES.highAmount, multiple, params, reason);
}

export { highAmount };
