/**
 * The label-free default score's signals beyond the rules: how unusual a transaction is for its
 * account and overall, and how risky its merchant has been. Each is one entry with its settings
 * key, defaults, valid ranges and function; the config parser and the docs derive from
 * {@link SIGNALS}. A signal scores `weight × strength`, strength between 0 and 1, and names the
 * feature whose words explain it.
 */
import type { NumberSpec } from "../config-validation";
import { fraudRate } from "../features/merchant";
import { type FeatureSummary, MERCHANT_WINDOWS } from "../features/summary";
import { limitFor } from "../rules/high-amount";

/** A signal's strength and the feature that explains it. */
interface SignalResult {
  readonly strength: number;
  readonly feature: string;
}

interface SignalDefinition<K extends string, P extends { readonly weight: number }> {
  readonly key: K;
  readonly description: string;
  readonly defaults: P;
  readonly spec: { readonly [S in keyof P]: NumberSpec };
  readonly evaluate: (summary: FeatureSummary, params: P) => SignalResult;
}

function defineSignal<K extends string, P extends { readonly weight: number }>(
  signal: SignalDefinition<K, P>,
): SignalDefinition<K, P> {
  return signal;
}

const WEIGHT: NumberSpec = { min: 0, max: 1000, integer: false };

function clamp01(value: number): number {
  return Math.min(1, Math.max(0, value));
}

const accountAmount = defineSignal({
  key: "accountAmount",
  description:
    "The amount against the account's 30-day average: 0 at or below it, full weight at fullMultiple times it (log scale); needs minHistory transactions.",
  defaults: { weight: 40, fullMultiple: 10, minHistory: 3 },
  spec: {
    weight: WEIGHT,
    fullMultiple: { min: 1.01, max: 1000, integer: false },
    minHistory: { min: 1, max: 1000, integer: true },
  },
  evaluate: (s, p) => {
    const { count, sum } = s.account["30d"];
    const strength =
      count < p.minHistory ? 0 : clamp01(Math.log(s.tx.amount / (sum / count)) / Math.log(p.fullMultiple));
    return { strength, feature: "account_amount_log_ratio_30d" };
  },
});

const amount = defineSignal({
  key: "amount",
  description:
    "The amount against its currency's high-amount limit on a log scale, so every transaction ranks: 0 at 1 minor unit, full weight at the limit.",
  defaults: { weight: 15 },
  spec: { weight: WEIGHT },
  evaluate: (s, _p) => {
    const limit = limitFor(s.tx.currency, s.config.rules.highAmount);
    return { strength: clamp01(Math.log1p(s.tx.amount) / Math.log1p(limit)), feature: "amount" };
  },
});

const merchantRisk = defineSignal({
  key: "merchantRisk",
  description:
    "The merchant's confirmed-fraud rate in its riskiest window (today, 7 or 30 days): full weight at fullRate.",
  defaults: { weight: 50, fullRate: 0.1 },
  spec: { weight: WEIGHT, fullRate: { min: 0.0001, max: 1, integer: false } },
  evaluate: (s, p) => {
    // The shortest window wins a tie: the most recent evidence reads best.
    let best: (typeof MERCHANT_WINDOWS)[number]["key"] = MERCHANT_WINDOWS[0].key;
    for (const w of MERCHANT_WINDOWS) if (fraudRate(s, w.key) > fraudRate(s, best)) best = w.key;
    return { strength: clamp01(fraudRate(s, best) / p.fullRate), feature: `merchant_fraud_rate_${best}` };
  },
});

const newMerchant = defineSignal({
  key: "newMerchant",
  description: "The account has history but has not paid this merchant within it.",
  defaults: { weight: 5 },
  spec: { weight: WEIGHT },
  evaluate: (s, _p) => ({
    strength: s.history.length > 0 && !s.merchantSeen ? 1 : 0,
    feature: "merchant_new_for_account",
  }),
});

const newCountry = defineSignal({
  key: "newCountry",
  description: "The account has history but none from this transaction's country.",
  defaults: { weight: 10 },
  spec: { weight: WEIGHT },
  evaluate: (s, _p) => ({
    strength: s.history.length > 0 && s.tx.country !== undefined && !s.countrySeen ? 1 : 0,
    feature: "country_new_for_account",
  }),
});

const SIGNALS = [accountAmount, amount, merchantRisk, newMerchant, newCountry] as const;

type Signal = (typeof SIGNALS)[number];

/** Settings of every signal, keyed by the signal's key, derived from the registry. */
type SignalSettings = { readonly [S in Signal as S["key"]]: S["defaults"] };

export type { SignalResult, SignalSettings };
export { SIGNALS };
