/**
 * Rule thresholds: the defaults in code and the one parser that overlays a JSON override on them.
 * The stack (environment variable FRAUD_RULES_CONFIG), the local runner and the backtest all call
 * {@link parseRulesConfig}, so a setting means the same thing everywhere.
 *
 * Naming convention of the settings: a rule fires when an observation *exceeds* a `max*` setting
 * and when it *reaches* a `min*` setting. Every rule scores `min(maxScore, baseScore × strength)`,
 * where strength is the observation divided by its setting (see each rule's TSDoc). Setting a
 * rule's `maxScore` to 0 switches the rule off. Amounts are integers in minor units (cents).
 */
import { ERROR_NAMES, runtimeError } from "../errors";
import { type SpecNode, validateOverride } from "./config-validation";

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;

/** Score settings shared by every rule. */
interface ScoreConfig {
  /** Score when the rule fires with strength 1 (exactly at its setting); grows linearly with strength. */
  readonly baseScore: number;
  /** Cap of the rule's score; 0 switches the rule off. */
  readonly maxScore: number;
}

interface HighAmountConfig extends ScoreConfig {
  /** Per-currency limits in minor units; the rule fires above the limit. */
  readonly limits: Readonly<Record<string, number>>;
  /** Limit for currencies not listed in `limits`, minor units. */
  readonly defaultLimit: number;
}

interface AmountSpikeConfig extends ScoreConfig {
  /** Fewest same-currency history transactions needed to judge what is typical. */
  readonly minHistory: number;
  /** Fires when the amount is at least this multiple of the account's median. */
  readonly minMultiple: number;
}

interface VelocityConfig extends ScoreConfig {
  readonly windowMs: number;
  /** Fires when more than this many transactions (this one included) fall in the window. */
  readonly maxCount: number;
}

interface ImpossibleTravelConfig extends ScoreConfig {
  /** Fires when the implied speed from the previous located transaction exceeds this. */
  readonly maxSpeedKmh: number;
  /** Shorter hops are ignored: location precision is coarse (IP or terminal address). */
  readonly minDistanceKm: number;
}

interface CardTestingConfig extends ScoreConfig {
  readonly windowMs: number;
  /** A transaction is tiny at or below this amount, minor units. */
  readonly tinyMax: number;
  /** A transaction is large at or above this amount, minor units. */
  readonly largeMin: number;
  /** Fires when at least this many tiny transactions directly precede a large one. */
  readonly minTinyRun: number;
}

interface RepeatedChargeConfig extends ScoreConfig {
  readonly windowMs: number;
  /** Fires when at least this many earlier charges have the same merchant, amount and currency. */
  readonly minRepeats: number;
}

/** Everything the detector can be tuned with. */
interface RulesConfig {
  /** A transaction is flagged when the sum of its rule scores reaches this. */
  readonly threshold: number;
  /** Which of the account's earlier transactions the rules see. */
  readonly history: { readonly windowMs: number; readonly limit: number };
  readonly rules: {
    readonly highAmount: HighAmountConfig;
    readonly amountSpike: AmountSpikeConfig;
    readonly velocity: VelocityConfig;
    readonly impossibleTravel: ImpossibleTravelConfig;
    readonly cardTesting: CardTestingConfig;
    readonly repeatedCharge: RepeatedChargeConfig;
  };
}

/** The defaults; plain data. */
const DEFAULT_RULES_CONFIG: RulesConfig = {
  threshold: 60,
  history: { windowMs: 7 * DAY_MS, limit: 50 },
  rules: {
    highAmount: {
      limits: { USD: 1_000_000, EUR: 1_000_000, GBP: 800_000, JPY: 1_500_000 },
      defaultLimit: 1_000_000,
      baseScore: 40,
      maxScore: 80,
    },
    amountSpike: { minHistory: 5, minMultiple: 5, baseScore: 30, maxScore: 70 },
    velocity: { windowMs: 10 * MINUTE_MS, maxCount: 5, baseScore: 25, maxScore: 60 },
    impossibleTravel: { maxSpeedKmh: 900, minDistanceKm: 100, baseScore: 40, maxScore: 80 },
    cardTesting: {
      windowMs: HOUR_MS,
      tinyMax: 200,
      largeMin: 10_000,
      minTinyRun: 3,
      baseScore: 60,
      maxScore: 90,
    },
    repeatedCharge: { windowMs: 5 * MINUTE_MS, minRepeats: 1, baseScore: 30, maxScore: 60 },
  },
};

const SCORE = { min: 0, max: 1000, integer: false } as const;
const WINDOW = { min: 1000, max: 30 * DAY_MS, integer: true } as const;
const AMOUNT = { min: 1, max: 100_000_000_000, integer: true } as const;
const COUNT = { min: 1, max: 1000, integer: true } as const;

/** Valid range of every setting, same shape as {@link RulesConfig}; `limits` holds one spec for all currencies. */
const CONFIG_SPEC: SpecNode = {
  threshold: { min: 0.01, max: 10_000, integer: false },
  history: { windowMs: WINDOW, limit: COUNT },
  rules: {
    highAmount: {
      limits: { keyPattern: "^[A-Z]{3}$", keyDescription: "ISO 4217 currency codes", each: AMOUNT },
      defaultLimit: AMOUNT,
      baseScore: SCORE,
      maxScore: SCORE,
    },
    amountSpike: {
      minHistory: COUNT,
      minMultiple: { min: 1, max: 1000, integer: false },
      baseScore: SCORE,
      maxScore: SCORE,
    },
    velocity: { windowMs: WINDOW, maxCount: COUNT, baseScore: SCORE, maxScore: SCORE },
    impossibleTravel: {
      maxSpeedKmh: { min: 1, max: 100_000, integer: false },
      minDistanceKm: { min: 0, max: 20_100, integer: false },
      baseScore: SCORE,
      maxScore: SCORE,
    },
    cardTesting: {
      windowMs: WINDOW,
      tinyMax: AMOUNT,
      largeMin: AMOUNT,
      minTinyRun: COUNT,
      baseScore: SCORE,
      maxScore: SCORE,
    },
    repeatedCharge: { windowMs: WINDOW, minRepeats: COUNT, baseScore: SCORE, maxScore: SCORE },
  },
};

/** Settings that are valid one by one but contradict each other (a rule that could never fire). */
function crossFieldErrors(config: RulesConfig): string[] {
  const { history, rules } = config;
  const errors: string[] = [];
  const windows: [string, number][] = [
    ["rules.velocity.windowMs", rules.velocity.windowMs],
    ["rules.cardTesting.windowMs", rules.cardTesting.windowMs],
    ["rules.repeatedCharge.windowMs", rules.repeatedCharge.windowMs],
  ];
  for (const [path, value] of windows) {
    if (value > history.windowMs) {
      errors.push(`${path} (${value}) must not exceed history.windowMs (${history.windowMs})`);
    }
  }
  const counts: [string, number][] = [
    ["rules.velocity.maxCount", rules.velocity.maxCount],
    ["rules.amountSpike.minHistory", rules.amountSpike.minHistory],
    ["rules.cardTesting.minTinyRun", rules.cardTesting.minTinyRun],
    ["rules.repeatedCharge.minRepeats", rules.repeatedCharge.minRepeats],
  ];
  for (const [path, value] of counts) {
    if (value > history.limit) {
      errors.push(`${path} (${value}) must not exceed history.limit (${history.limit})`);
    }
  }
  if (rules.cardTesting.tinyMax >= rules.cardTesting.largeMin) {
    errors.push(
      `rules.cardTesting.tinyMax (${rules.cardTesting.tinyMax}) must be less than rules.cardTesting.largeMin (${rules.cardTesting.largeMin})`,
    );
  }
  return errors;
}

/**
 * Parses a JSON override of the rule settings and deep-merges it onto {@link DEFAULT_RULES_CONFIG}.
 * `undefined` or blank text means the defaults.
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

export type {
  AmountSpikeConfig,
  CardTestingConfig,
  HighAmountConfig,
  ImpossibleTravelConfig,
  RepeatedChargeConfig,
  RulesConfig,
  ScoreConfig,
  VelocityConfig,
};
export { DEFAULT_RULES_CONFIG, parseRulesConfig };
