/**
 * Detector settings: the defaults and the one parser that overlays a JSON override on them. The
 * stack (environment variable FRAUD_RULES_CONFIG), the local runner and the backtest all call
 * {@link parseRulesConfig}, so a setting means the same thing everywhere. The rules' and the
 * default scorer's settings, defaults and valid ranges come from their registries
 * (rules/registry.ts, scoring/signals.ts); this file only assembles them.
 *
 * Naming convention of the rule settings: a rule fires when an observation *exceeds* a `max*`
 * setting and when it *reaches* a `min*` setting. Every rule scores
 * `min(maxScore, baseScore × strength)`, where strength is the observation divided by its setting
 * (see each rule's TSDoc). Setting a rule's `maxScore` to 0 switches the rule off. Amounts are
 * integers in minor units (cents).
 */
import { ERROR_NAMES, runtimeError } from "../errors";
import { type NumberSpec, type SpecNode, validateOverride } from "./config-validation";
import { RULES, type RuleSettings } from "./rules/registry";
import { COUNT_SPEC, type HistorySettings, WINDOW_SPEC } from "./rules/score";
import { SIGNALS, type SignalSettings } from "./scoring/signals";

const DAY_MS = 86_400_000;

/** Everything the detector can be tuned with. */
interface RulesConfig {
  /** Without a model: a transaction is flagged when its default score reaches this. */
  readonly threshold: number;
  /**
   * With a model: flagged when the model's score (fraud probability × 100) reaches this. 0 means
   * the threshold the model carries (chosen by `npm run train`).
   */
  readonly modelThreshold: number;
  /** Which of the account's earlier transactions the rules and features see. */
  readonly history: HistorySettings;
  readonly rules: RuleSettings;
  /** Weights of the label-free default score's signals. */
  readonly signals: SignalSettings;
}

function byKey<T extends { readonly key: string }, V>(items: readonly T[], value: (item: T) => V) {
  return Object.fromEntries(items.map((item) => [item.key, value(item)]));
}

/** The defaults; plain data. */
const DEFAULT_RULES_CONFIG: RulesConfig = {
  threshold: 60,
  modelThreshold: 0,
  // 30 days: the longest window of the account features.
  history: { windowMs: 30 * DAY_MS, limit: 200 },
  rules: byKey(RULES, (rule) => rule.defaults) as RuleSettings,
  signals: byKey(SIGNALS, (signal) => signal.defaults) as SignalSettings,
};

const THRESHOLD: NumberSpec = { min: 0.01, max: 10_000, integer: false };

/** Valid range of every setting, same shape as {@link RulesConfig}. */
const CONFIG_SPEC: SpecNode = {
  threshold: THRESHOLD,
  modelThreshold: { min: 0, max: 100, integer: false },
  history: { windowMs: WINDOW_SPEC, limit: COUNT_SPEC },
  rules: byKey(RULES, (rule) => rule.spec as SpecNode),
  signals: byKey(SIGNALS, (signal) => signal.spec as SpecNode),
};

/** Settings that are valid one by one but contradict each other (a rule that could never fire). */
function crossFieldErrors(config: RulesConfig): string[] {
  const settings = config.rules as unknown as Record<string, never>;
  return RULES.flatMap((rule) => rule.crossCheck?.(settings[rule.key], config.history) ?? []);
}

/**
 * Parses a JSON override of the detector settings and deep-merges it onto
 * {@link DEFAULT_RULES_CONFIG}. `undefined` or blank text means the defaults.
 *
 * @example
 * const config = parseRulesConfig(process.env[ENV.rulesConfig]);
 * parseRulesConfig('{"threshold": 80, "rules": {"highAmount": {"limits": {"CHF": 900000}}}}');
 * @throws ConfigurationError for invalid JSON, an unknown key (naming its dotted path and the valid
 *   keys), or a value that is not a finite number in range (naming its path and the valid range).
 */
function parseRulesConfig(json: string | undefined): RulesConfig {
  if (json === undefined || json.trim() === "") return DEFAULT_RULES_CONFIG;
  let override: unknown;
  try {
    override = JSON.parse(json);
  } catch (error) {
    throw runtimeError(ERROR_NAMES.configuration, `Fraud rules config is not valid JSON: ${String(error)}`, {
      cause: error,
    });
  }
  const { merged, errors } = validateOverride(override, DEFAULT_RULES_CONFIG, CONFIG_SPEC);
  const allErrors = errors.length > 0 ? errors : crossFieldErrors(merged as RulesConfig);
  if (allErrors.length > 0) {
    throw runtimeError(ERROR_NAMES.configuration, `Invalid fraud rules config: ${allErrors.join("; ")}`);
  }
  return merged as RulesConfig;
}

export type { AmountSpikeConfig } from "./rules/amount-spike";
export type { CardTestingConfig } from "./rules/card-testing";
export type { HighAmountConfig } from "./rules/high-amount";
export type { ImpossibleTravelConfig } from "./rules/impossible-travel";
export type { RepeatedChargeConfig } from "./rules/repeated-charge";
export type { ScoreConfig } from "./rules/score";
export type { VelocityConfig } from "./rules/velocity";
export type { RulesConfig };
export { CONFIG_SPEC, DEFAULT_RULES_CONFIG, parseRulesConfig };
