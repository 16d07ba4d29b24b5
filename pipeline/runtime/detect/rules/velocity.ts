/** velocity: too many transactions for the account in a short window. */
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

interface VelocityConfig extends ScoreConfig {
  readonly windowMs: number;
  /** Fires when more than this many transactions (this one included) fall in the window. */
  readonly maxCount: number;
}

const MINUTE_MS = 60_000;

/** Transactions in the window, this one included; history is oldest first, so the window is its tail. */
function countInWindow(tx: Transaction, history: readonly Transaction[], windowMs: number): number {
  const since = tx.timestamp - windowMs;
  let count = 1;
  for (let i = history.length - 1; i >= 0 && history[i].timestamp >= since; i--) count++;
  return count;
}

function evaluate(tx: Transaction, history: readonly Transaction[], params: VelocityConfig): RuleResult {
  const count = countInWindow(tx, history, params.windowMs);
  if (count <= params.maxCount) return { signal: count, hit: null };
  const reason = `${count} transactions in ${formatDuration(params.windowMs)}, limit ${params.maxCount}`;
  return { signal: count, hit: ruleHit("velocity", count / params.maxCount, params, reason) };
}

/**
 * Counts the account's transactions with `timestamp >= tx.timestamp - windowMs`, this one
 * included, and fires when the count exceeds `maxCount`. Signal: that count.
 *
 * Score: `min(maxScore, baseScore × count / maxCount)`.
 */
const velocityRule = defineRule({
  key: "velocity",
  name: "velocity",
  description: "More than maxCount transactions of the account within windowMs.",
  defaults: { windowMs: 10 * MINUTE_MS, maxCount: 5, baseScore: 25, maxScore: 60 },
  spec: {
    windowMs: WINDOW_SPEC,
    maxCount: COUNT_SPEC,
    baseScore: SCORE_SPEC,
    maxScore: SCORE_SPEC,
  },
  feature: {
    name: "velocity_count",
    description: "transactions of the account in the velocity window, this one included",
  },
  evaluate,
  crossCheck: (params, history) => [
    ...notAbove("rules.velocity.windowMs", params.windowMs, "history.windowMs", history.windowMs),
    ...notAbove("rules.velocity.maxCount", params.maxCount, "history.limit", history.limit),
  ],
});

/**
 * The velocity rule's hit alone.
 *
 * @example
 * velocity(tx, history, DEFAULT_RULES_CONFIG.rules.velocity);
 * // { rule: "velocity", score: 35, reason: "7 transactions in 10 minutes, limit 5" }
 */
function velocity(tx: Transaction, history: readonly Transaction[], params: VelocityConfig): RuleHit | null {
  return evaluate(tx, history, params).hit;
}

export type { VelocityConfig };
export { velocity, velocityRule };
