/** What every rule shares: the shape of a rule module, the graded score and the shape of a hit. */
import type { RuleHit, Transaction } from "../../contract/transaction";
import type { NumberSpec, SpecNode } from "../config-validation";

/** Score settings shared by every rule. */
interface ScoreConfig {
  /** Score when the rule fires with strength 1 (exactly at its setting); grows linearly with strength. */
  readonly baseScore: number;
  /** Cap of the rule's score; 0 switches the rule off. */
  readonly maxScore: number;
}

/** The account history settings a rule's cross-checks compare against. */
interface HistorySettings {
  readonly windowMs: number;
  readonly limit: number;
}

/** What a rule measured, whether or not it fired. */
interface RuleResult {
  /**
   * The rule's observation as a number (a count, a speed, a multiple): a model feature, so the
   * model learns from how close a transaction came to firing the rule, not only from the hit.
   */
  readonly signal: number;
  readonly hit: RuleHit | null;
}

/**
 * One rule module: its settings key and name, defaults, valid ranges and function. The registry
 * (rules/registry.ts) lists them; the config parser, the scorer, the feature vector and the docs
 * table derive from that list, so adding a rule is one module and one line.
 */
interface RuleDefinition<K extends string = string, P extends ScoreConfig = ScoreConfig> {
  /** Key of the rule's settings under `rules` in the config. */
  readonly key: K;
  /** Name in verdicts, alerts and reasons. */
  readonly name: string;
  /** One sentence for the docs table. */
  readonly description: string;
  readonly defaults: P;
  /** Valid range of every setting, same shape as `defaults`. */
  readonly spec: { readonly [S in keyof P]: SpecNode };
  /** The feature that carries the rule's signal, and what its value means. */
  readonly feature: { readonly name: string; readonly description: string };
  /** Feature value of a signal (e.g. a log of a speed); the identity when absent. */
  readonly featureValue?: (signal: number) => number;
  readonly evaluate: (tx: Transaction, history: readonly Transaction[], params: P) => RuleResult;
  /** Settings that are valid one by one but leave the rule unable to fire. */
  readonly crossCheck?: (params: P, history: HistorySettings) => string[];
}

const DAY_MS = 86_400_000;

/** Valid range of the two score settings every rule has. */
const SCORE_SPEC: NumberSpec = { min: 0, max: 1000, integer: false };
/** A time window in milliseconds: one second to 30 days. */
const WINDOW_SPEC: NumberSpec = { min: 1000, max: 30 * DAY_MS, integer: true };
/** An amount in minor units, as the contract bounds it. */
const AMOUNT_SPEC: NumberSpec = { min: 1, max: 100_000_000_000, integer: true };
/** A count of transactions. */
const COUNT_SPEC: NumberSpec = { min: 1, max: 1000, integer: true };

function roundTo2(value: number): number {
  return Math.round(value * 100) / 100;
}

/**
 * The graded score of a rule that fired: `min(maxScore, baseScore × strength)`, rounded to
 * 2 decimals. `strength` is how far the observation is past the rule's setting (1 = exactly at
 * it); an infinite strength scores `maxScore`.
 *
 * @example
 * gradedScore(1.5, { baseScore: 40, maxScore: 80 }); // 60
 */
function gradedScore(strength: number, score: ScoreConfig): number {
  return Math.min(score.maxScore, roundTo2(score.baseScore * strength));
}

/**
 * A hit for a rule that fired with `strength`, or null when the rule is switched off (score 0).
 *
 * @example
 * return ruleHit("velocity", count / params.maxCount, params, `${count} transactions in 10 minutes`);
 */
function ruleHit(rule: string, strength: number, score: ScoreConfig, reason: string): RuleHit | null {
  const value = gradedScore(strength, score);
  return value > 0 ? { rule, score: value, reason } : null;
}

/**
 * Types a rule module, keeping its key as a literal so the config type can be derived from the registry.
 *
 * @example
 * const velocityRule = defineRule({ key: "velocity", name: "velocity", defaults, spec, feature, evaluate });
 */
function defineRule<K extends string, P extends ScoreConfig>(
  rule: RuleDefinition<K, P>,
): RuleDefinition<K, P> {
  return rule;
}

/** "<path> (<value>) must not exceed <other> (<limit>)" when `value > limit`. */
function notAbove(path: string, value: number, other: string, limit: number): string[] {
  return value > limit ? [`${path} (${value}) must not exceed ${other} (${limit})`] : [];
}

export type { HistorySettings, RuleDefinition, RuleResult, ScoreConfig };
export {
  AMOUNT_SPEC,
  COUNT_SPEC,
  defineRule,
  gradedScore,
  notAbove,
  roundTo2,
  ruleHit,
  SCORE_SPEC,
  WINDOW_SPEC,
};
