/**
 * Firsts: a merchant or a country the account has not used within its history. Both are 0 for an
 * account with no history at all, whose every merchant is new: the account counts say that.
 */
import { formatDuration } from "../rules/format";
import type { FeatureDefinition } from "./feature";

const noveltyFeatures: readonly FeatureDefinition[] = [
  {
    name: "merchant_new_for_account",
    description: "1 when the account has history but none at this merchant, else 0",
    value: (s) => (s.history.length > 0 && !s.merchantSeen ? 1 : 0),
    reason: (s) =>
      `first payment to merchant ${s.tx.merchant_id} in ${formatDuration(s.config.history.windowMs)} of the account's history`,
  },
  {
    name: "country_new_for_account",
    description: "1 when the transaction has a country the account's history does not, else 0",
    value: (s) => (s.history.length > 0 && s.tx.country !== undefined && !s.countrySeen ? 1 : 0),
    reason: (s) =>
      `first transaction from country ${s.tx.country ?? "unknown"} in ${formatDuration(s.config.history.windowMs)} of the account's history`,
  },
];

export { noveltyFeatures };
