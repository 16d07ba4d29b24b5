/** amount-spike: an amount far above what the account usually spends. */

import { formatAmount } from "../../contract/money";
import type { RuleHit, Transaction } from "../../contract/transaction";
import type { AmountSpikeConfig } from "../config";
import { formatMultiple } from "./format";
import { RULE_NAMES, ruleHit } from "./score";

/** Median of a non-empty list. */
function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/**
 * Fires when the amount is at least `minMultiple` times the median amount of the account's
 * history in the same currency, provided that history has at least `minHistory` transactions.
 * The median, not the mean, so one earlier large purchase does not hide a spike.
 *
 * Score: `min(maxScore, baseScore × (amount / median) / minMultiple)`.
 *
 * @example
 * amountSpike(tx, history, DEFAULT_RULES_CONFIG.rules.amountSpike);
 * // { rule: "amount-spike", score: 49.2, reason: "amount 8.2x the account's median of 42.10 USD over 12 transactions" }
 */
function amountSpike(
  tx: Transaction,
  history: readonly Transaction[],
  params: AmountSpikeConfig,
): RuleHit | null {
  const amounts = history.filter((h) => h.currency === tx.currency).map((h) => h.amount);
  if (amounts.length < params.minHistory) return null;
  const typical = median(amounts);
  const multiple = tx.amount / typical;
  if (multiple < params.minMultiple) return null;
  const reason = `amount ${formatMultiple(multiple)} the account's median of ${formatAmount(typical, tx.currency)} over ${amounts.length} transactions`;
  return ruleHit(RULE_NAMES.amountSpike, multiple / params.minMultiple, params, reason);
}

export { amountSpike, median };
