/** repeated-charge: the same charge again within minutes (double billing or a replayed request). */

import { formatAmount } from "../../contract/money";
import type { RuleHit, Transaction } from "../../contract/transaction";
import type { RepeatedChargeConfig } from "../config";
import { formatDuration } from "./format";
import { RULE_NAMES, ruleHit } from "./score";

/**
 * Counts the account's earlier transactions within `windowMs` with the same merchant, amount and
 * currency, and fires when there are at least `minRepeats`.
 *
 * Score: `min(maxScore, baseScore × repeats / minRepeats)`.
 *
 * @example
 * repeatedCharge(tx, history, DEFAULT_RULES_CONFIG.rules.repeatedCharge);
 * // { rule: "repeated-charge", score: 30, reason: "1 earlier charge of 19.99 USD at merchant m-42 within 5 minutes" }
 */
function repeatedCharge(
  tx: Transaction,
  history: readonly Transaction[],
  params: RepeatedChargeConfig,
): RuleHit | null {
  const since = tx.timestamp - params.windowMs;
  const repeats = history.filter(
    (h) =>
      h.timestamp >= since &&
      h.merchant_id === tx.merchant_id &&
      h.amount === tx.amount &&
      h.currency === tx.currency,
  ).length;
  if (repeats < params.minRepeats) return null;
  const charges = repeats === 1 ? "1 earlier charge" : `${repeats} earlier charges`;
  const reason = `${charges} of ${formatAmount(tx.amount, tx.currency)} at merchant ${tx.merchant_id} within ${formatDuration(params.windowMs)}`;
  return ruleHit(RULE_NAMES.repeatedCharge, repeats / params.minRepeats, params, reason);
}

export { repeatedCharge };
