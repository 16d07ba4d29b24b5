/** repeated-charge: the same charge again within minutes (double billing or a replayed request). */

import { formatAmount } from "../../contract/money";
import type { RuleHit, Transaction } from "../../contract/transaction";
import { formatDuration } from "./format";
import {
  COUNT_SPEC,
  defineRule,
  notAbove,
  type RuleResult,
  ruleHit,
  SCORE_SPEC,
  type ScoreConfig,
  WINDOW_SPEC,
} from "./score";

interface RepeatedChargeConfig extends ScoreConfig {
  readonly windowMs: number;
  /** Fires when at least this many earlier charges have the same merchant, amount and currency. */
  readonly minRepeats: number;
}

const MINUTE_MS = 60_000;

function evaluate(
  tx: Transaction,
  history: readonly Transaction[],
  params: RepeatedChargeConfig,
): RuleResult {
  const since = tx.timestamp - params.windowMs;
  let repeats = 0;
  // History is oldest first: the window is its tail.
  for (let i = history.length - 1; i >= 0 && history[i].timestamp >= since; i--) {
    const h = history[i];
    if (h.merchant_id === tx.merchant_id && h.amount === tx.amount && h.currency === tx.currency) repeats++;
  }
  if (repeats < params.minRepeats) return { signal: repeats, hit: null };
  const charges = repeats === 1 ? "1 earlier charge" : `${repeats} earlier charges`;
  const reason = `${charges} of ${formatAmount(tx.amount, tx.currency)} at merchant ${tx.merchant_id} within ${formatDuration(params.windowMs)}`;
  return { signal: repeats, hit: ruleHit("repeated-charge", repeats / params.minRepeats, params, reason) };
}

/**
 * Counts the account's earlier transactions within `windowMs` with the same merchant, amount and
 * currency, and fires when there are at least `minRepeats`. Signal: that count.
 *
 * Score: `min(maxScore, baseScore × repeats / minRepeats)`.
 */
const repeatedChargeRule = defineRule({
  key: "repeatedCharge",
  name: "repeated-charge",
  description:
    "At least minRepeats earlier charges with the same merchant, amount and currency within windowMs.",
  defaults: { windowMs: 5 * MINUTE_MS, minRepeats: 1, baseScore: 30, maxScore: 60 },
  spec: { windowMs: WINDOW_SPEC, minRepeats: COUNT_SPEC, baseScore: SCORE_SPEC, maxScore: SCORE_SPEC },
  feature: {
    name: "repeated_charges",
    description: "earlier charges with the same merchant, amount and currency in the repeated-charge window",
  },
  evaluate,
  crossCheck: (params, history) => [
    ...notAbove("rules.repeatedCharge.windowMs", params.windowMs, "history.windowMs", history.windowMs),
    ...notAbove("rules.repeatedCharge.minRepeats", params.minRepeats, "history.limit", history.limit),
  ],
});

/**
 * The repeated-charge rule's hit alone.
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
  return evaluate(tx, history, params).hit;
}

export type { RepeatedChargeConfig };
export { repeatedCharge, repeatedChargeRule };
