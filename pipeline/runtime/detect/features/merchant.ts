/**
 * The merchant's risk profile: transactions seen and confirmed frauds in each window. Frauds count
 * on the day the pipeline learned them, so a window holds only outcomes known at scoring time.
 * The rate is smoothed with one pseudo-transaction, so one fraud at a merchant seen once is not a
 * certainty, and capped at 1 (outcomes of older transactions can outnumber a quiet day's).
 */
import type { FeatureDefinition } from "./feature";
import { transactions } from "./feature";
import { type FeatureSummary, MERCHANT_WINDOWS, type MerchantWindowKey } from "./summary";

function fraudRate(s: FeatureSummary, key: MerchantWindowKey): number {
  const { transactions: seen, frauds } = s.merchant[key];
  return Math.min(1, frauds / (seen + 1));
}

function fraudReason(s: FeatureSummary, key: MerchantWindowKey, words: string): string {
  const { transactions: seen, frauds } = s.merchant[key];
  const confirmed = `${frauds} confirmed fraud${frauds === 1 ? "" : "s"}`;
  return `merchant ${s.tx.merchant_id}: ${confirmed} among ${transactions(seen)} ${words}`;
}

const merchantFeatures: readonly FeatureDefinition[] = MERCHANT_WINDOWS.flatMap((w) => [
  {
    name: `merchant_count_${w.key}`,
    description: `transactions seen at the merchant ${w.words} (UTC days)`,
    value: (s) => s.merchant[w.key].transactions,
    reason: (s) => `merchant ${s.tx.merchant_id}: ${transactions(s.merchant[w.key].transactions)} ${w.words}`,
  },
  {
    name: `merchant_frauds_${w.key}`,
    description: `confirmed frauds at the merchant learned ${w.words}`,
    value: (s) => s.merchant[w.key].frauds,
    reason: (s) => fraudReason(s, w.key, w.words),
  },
  {
    name: `merchant_fraud_rate_${w.key}`,
    description: `confirmed frauds learned ${w.words} over (transactions seen ${w.words} + 1), at most 1`,
    value: (s) => fraudRate(s, w.key),
    reason: (s) => fraudReason(s, w.key, w.words),
  },
]);

export { fraudRate, merchantFeatures };
