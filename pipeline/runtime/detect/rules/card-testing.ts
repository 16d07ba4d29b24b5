/** card-testing: small probing charges that check a stolen card works, then a large one. */

import { formatAmount } from "../../contract/money";
import type { RuleHit, Transaction } from "../../contract/transaction";
import type { CardTestingConfig } from "../config";
import { formatDuration } from "./format";
import { RULE_NAMES, ruleHit } from "./score";

/**
 * For a large transaction (`amount >= largeMin`), counts the tiny ones (`amount <= tinyMax`)
 * that directly precede it within `windowMs`, stopping at the first that is not tiny, and fires
 * when that run has at least `minTinyRun` transactions. Amounts are compared in minor units
 * whatever the currency.
 *
 * Score: `min(maxScore, baseScore × run / minTinyRun)`.
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
  if (tx.amount < params.largeMin) return null;
  const since = tx.timestamp - params.windowMs;
  let run = 0;
  for (let i = history.length - 1; i >= 0; i -= 1) {
    const earlier = history[i];
    if (earlier.timestamp < since || earlier.amount > params.tinyMax) break;
    run += 1;
  }
  if (run < params.minTinyRun) return null;
  const reason =
    `${run} tiny transactions (at most ${formatAmount(params.tinyMax, tx.currency)} each) within ` +
    `${formatDuration(params.windowMs)} before this one of ${formatAmount(tx.amount, tx.currency)}, minimum run ${params.minTinyRun}`;
  return ruleHit(RULE_NAMES.cardTesting, run / params.minTinyRun, params, reason);
}

export { cardTesting };
