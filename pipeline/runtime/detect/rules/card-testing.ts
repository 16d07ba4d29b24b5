/** card-testing: small probing charges that check a stolen card works, then a large one. */

import { formatAmount } from "../../contract/money";
import type { RuleHit, Transaction } from "../../contract/transaction";
import { formatDuration } from "./format";
import {
  AMOUNT_SPEC,
  COUNT_SPEC,
  defineRule,
  notAbove,
  type RuleResult,
  ruleHit,
  SCORE_SPEC,
  type ScoreConfig,
  WINDOW_SPEC,
} from "./score";

interface CardTestingConfig extends ScoreConfig {
  readonly windowMs: number;
  /** A transaction is tiny at or below this amount, minor units. */
  readonly tinyMax: number;
  /** A transaction is large at or above this amount, minor units. */
  readonly largeMin: number;
  /** Fires when at least this many tiny transactions directly precede a large one. */
  readonly minTinyRun: number;
}

const HOUR_MS = 3_600_000;

function evaluate(tx: Transaction, history: readonly Transaction[], params: CardTestingConfig): RuleResult {
  const since = tx.timestamp - params.windowMs;
  let run = 0;
  for (let i = history.length - 1; i >= 0; i -= 1) {
    const earlier = history[i];
    if (earlier.timestamp < since || earlier.amount > params.tinyMax) break;
    run += 1;
  }
  if (tx.amount < params.largeMin || run < params.minTinyRun) return { signal: run, hit: null };
  const reason =
    `${run} tiny transactions (at most ${formatAmount(params.tinyMax, tx.currency)} each) within ` +
    `${formatDuration(params.windowMs)} before this one of ${formatAmount(tx.amount, tx.currency)}, minimum run ${params.minTinyRun}`;
  return { signal: run, hit: ruleHit("card-testing", run / params.minTinyRun, params, reason) };
}

/**
 * For a large transaction (`amount >= largeMin`), counts the tiny ones (`amount <= tinyMax`)
 * that directly precede it within `windowMs`, stopping at the first that is not tiny, and fires
 * when that run has at least `minTinyRun` transactions. Amounts are compared in minor units
 * whatever the currency. Signal: the run of tiny transactions, whatever this amount.
 *
 * Score: `min(maxScore, baseScore × run / minTinyRun)`.
 */
const cardTestingRule = defineRule({
  key: "cardTesting",
  name: "card-testing",
  description:
    "At least minTinyRun tiny charges (≤ tinyMax) within windowMs directly before a large one (≥ largeMin).",
  defaults: { windowMs: HOUR_MS, tinyMax: 200, largeMin: 10_000, minTinyRun: 3, baseScore: 60, maxScore: 90 },
  spec: {
    windowMs: WINDOW_SPEC,
    tinyMax: AMOUNT_SPEC,
    largeMin: AMOUNT_SPEC,
    minTinyRun: COUNT_SPEC,
    baseScore: SCORE_SPEC,
    maxScore: SCORE_SPEC,
  },
  feature: {
    name: "card_testing_run",
    description: "tiny transactions directly before this one within the card-testing window",
  },
  evaluate,
  crossCheck: (params, history) => [
    ...notAbove("rules.cardTesting.windowMs", params.windowMs, "history.windowMs", history.windowMs),
    ...notAbove("rules.cardTesting.minTinyRun", params.minTinyRun, "history.limit", history.limit),
    ...(params.tinyMax >= params.largeMin
      ? [
          `rules.cardTesting.tinyMax (${params.tinyMax}) must be less than rules.cardTesting.largeMin (${params.largeMin})`,
        ]
      : []),
  ],
});

/**
 * The card-testing rule's hit alone.
 *
 * @example
 * cardTesting(tx, history, DEFAULT_RULES_CONFIG.rules.cardTesting);
 * // { rule: "card-testing", score: 80, reason: "4 tiny transactions (at most 2.00 USD each) within 1 hour before this one of 250.00 USD, minimum run 3" }
 */
function cardTesting(
  tx: Transaction,
  history: readonly Transaction[],
  params: CardTestingConfig,
): RuleHit | null {
  return evaluate(tx, history, params).hit;
}

export type { CardTestingConfig };
export { cardTesting, cardTestingRule };
