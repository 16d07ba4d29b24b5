/** amount-spike: an amount far above what the account usually spends. */

import { formatAmount } from "../../contract/money";
import type { RuleHit, Transaction } from "../../contract/transaction";
import { formatMultiple } from "./format";
import {
  COUNT_SPEC,
  defineRule,
  notAbove,
  type RuleResult,
  ruleHit,
  SCORE_SPEC,
  type ScoreConfig,
} from "./score";

interface AmountSpikeConfig extends ScoreConfig {
  /** Fewest same-currency history transactions needed to judge what is typical. */
  readonly minHistory: number;
  /** Fires when the amount is at least this multiple of the account's median. */
  readonly minMultiple: number;
}

/** Moves the `k`-th smallest of `values` to index `k` (Hoare's selection, in place). */
function selectInPlace(values: Float64Array, k: number): void {
  let lo = 0;
  let hi = values.length - 1;
  while (lo < hi) {
    const pivot = values[(lo + hi) >>> 1];
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (values[i] < pivot) i++;
      while (values[j] > pivot) j--;
      if (i <= j) {
        const swap = values[i];
        values[i] = values[j];
        values[j] = swap;
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return;
  }
}

/** Median of a non-empty array, reordering it: selection rather than a full sort. */
function medianInPlace(values: Float64Array): number {
  const middle = values.length >>> 1;
  selectInPlace(values, middle);
  if (values.length % 2 === 1) return values[middle];
  // Everything below `middle` is now no larger than values[middle]: the lower middle is their maximum.
  let lower = values[0];
  for (let i = 1; i < middle; i++) if (values[i] > lower) lower = values[i];
  return (lower + values[middle]) / 2;
}

/**
 * Median of a non-empty list, by selection rather than a full sort: it runs for every
 * transaction with history.
 */
function median(values: readonly number[]): number {
  return medianInPlace(new Float64Array(values));
}

/**
 * The rule's result from the amounts of the account's history in the transaction's currency, in
 * any order (they are reordered): what {@link evaluate} computes, for a caller that keeps those
 * amounts itself.
 *
 * @example
 * amountSpikeOfAmounts(tx, Float64Array.of(4210, 3990, 5120, 4000, 4500), params); // { signal: 9.4, hit: {...} }
 */
function amountSpikeOfAmounts(tx: Transaction, amounts: Float64Array, params: AmountSpikeConfig): RuleResult {
  // Too little history to say what is typical: the neutral multiple.
  if (amounts.length < params.minHistory) return { signal: 1, hit: null };
  const typical = medianInPlace(amounts);
  const multiple = tx.amount / typical;
  if (multiple < params.minMultiple) return { signal: multiple, hit: null };
  const reason = `amount ${formatMultiple(multiple)} the account's median of ${formatAmount(typical, tx.currency)} over ${amounts.length} transactions`;
  return { signal: multiple, hit: ruleHit("amount-spike", multiple / params.minMultiple, params, reason) };
}

function evaluate(tx: Transaction, history: readonly Transaction[], params: AmountSpikeConfig): RuleResult {
  let count = 0;
  for (const h of history) if (h.currency === tx.currency) count++;
  if (count < params.minHistory) return { signal: 1, hit: null };
  // Counted first, so the amounts go straight into one typed array.
  const amounts = new Float64Array(count);
  let next = 0;
  for (const h of history) if (h.currency === tx.currency) amounts[next++] = h.amount;
  return amountSpikeOfAmounts(tx, amounts, params);
}

/**
 * Fires when the amount is at least `minMultiple` times the median amount of the account's
 * history in the same currency, provided that history has at least `minHistory` transactions.
 * The median, not the mean, so one earlier large purchase does not hide a spike. Signal: the
 * multiple of the median (1 when history is too short).
 *
 * Score: `min(maxScore, baseScore × (amount / median) / minMultiple)`.
 */
const amountSpikeRule = defineRule({
  key: "amountSpike",
  name: "amount-spike",
  description:
    "The amount is at least minMultiple times the account's median (needs minHistory transactions).",
  defaults: { minHistory: 5, minMultiple: 5, baseScore: 30, maxScore: 70 },
  spec: {
    minHistory: COUNT_SPEC,
    minMultiple: { min: 1, max: 1000, integer: false },
    baseScore: SCORE_SPEC,
    maxScore: SCORE_SPEC,
  },
  feature: {
    name: "amount_spike_multiple",
    description:
      "the amount as a multiple of the account's median in the same currency (1 with short history)",
  },
  evaluate,
  crossCheck: (params, history) =>
    notAbove("rules.amountSpike.minHistory", params.minHistory, "history.limit", history.limit),
});

/**
 * The amount-spike rule's hit alone.
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
  return evaluate(tx, history, params).hit;
}

export type { AmountSpikeConfig };
export { amountSpike, amountSpikeOfAmounts, amountSpikeRule, median };
