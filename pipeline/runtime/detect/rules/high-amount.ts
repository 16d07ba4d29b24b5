/** high-amount: an absolute per-currency ceiling, independent of the account's history. */

import { formatAmount } from "../../contract/money";
import type { RuleHit, Transaction } from "../../contract/transaction";
import { formatMultiple } from "./format";
import { AMOUNT_SPEC, defineRule, type RuleResult, ruleHit, SCORE_SPEC, type ScoreConfig } from "./score";

interface HighAmountConfig extends ScoreConfig {
  /** Per-currency limits in minor units; the rule fires above the limit. */
  readonly limits: Readonly<Record<string, number>>;
  /** Limit for currencies not listed in `limits`, minor units. */
  readonly defaultLimit: number;
}

/** The limit that applies to a currency. */
function limitFor(currency: string, params: HighAmountConfig): number {
  return Object.hasOwn(params.limits, currency) ? params.limits[currency] : params.defaultLimit;
}

function evaluate(tx: Transaction, _history: readonly Transaction[], params: HighAmountConfig): RuleResult {
  const limit = limitFor(tx.currency, params);
  const multiple = tx.amount / limit;
  if (tx.amount <= limit) return { signal: multiple, hit: null };
  const reason = `amount ${formatAmount(tx.amount, tx.currency)} is ${formatMultiple(multiple)} the limit of ${formatAmount(limit, tx.currency)}`;
  return { signal: multiple, hit: ruleHit("high-amount", multiple, params, reason) };
}

/**
 * Fires when the amount exceeds the currency's limit (`limits[currency]`, else `defaultLimit`).
 * Signal: the amount as a multiple of that limit.
 *
 * Score: `min(maxScore, baseScore × amount / limit)`; just above the limit it is `baseScore`,
 * at twice the limit `2 × baseScore`.
 */
const highAmountRule = defineRule({
  key: "highAmount",
  name: "high-amount",
  description: "The amount exceeds its currency's limit (limits, else defaultLimit).",
  defaults: {
    limits: { USD: 1_000_000, EUR: 1_000_000, GBP: 800_000, JPY: 1_500_000 },
    defaultLimit: 1_000_000,
    baseScore: 40,
    maxScore: 80,
  },
  spec: {
    limits: { keyPattern: "^[A-Z]{3}$", keyDescription: "ISO 4217 currency codes", each: AMOUNT_SPEC },
    defaultLimit: AMOUNT_SPEC,
    baseScore: SCORE_SPEC,
    maxScore: SCORE_SPEC,
  },
  feature: {
    name: "high_amount_multiple",
    description: "the amount as a multiple of its currency's high-amount limit",
  },
  evaluate,
});

/**
 * The high-amount rule's hit alone.
 *
 * @example
 * highAmount(tx, [], DEFAULT_RULES_CONFIG.rules.highAmount);
 * // { rule: "high-amount", score: 60, reason: "amount 15000.00 USD is 1.5x the limit of 10000.00 USD" }
 */
function highAmount(
  tx: Transaction,
  history: readonly Transaction[],
  params: HighAmountConfig,
): RuleHit | null {
  return evaluate(tx, history, params).hit;
}

export type { HighAmountConfig };
export { highAmount, highAmountRule, limitFor };
