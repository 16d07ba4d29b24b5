/**
 * The account's own habits: how many earlier transactions fall in each window, their mean amount,
 * and this amount against that mean. With no earlier transaction in a window the mean is this
 * amount (ratio 1, log ratio 0): nothing is known to be unusual, and the count says why.
 */
import { formatMultiple } from "../rules/format";
import type { FeatureDefinition } from "./feature";
import { money, transactions } from "./feature";
import { ACCOUNT_WINDOWS, type AccountWindowKey, type FeatureSummary } from "./summary";

function mean(s: FeatureSummary, key: AccountWindowKey): number {
  const { count, sum } = s.account[key];
  return count === 0 ? s.tx.amount : sum / count;
}

function averageReason(s: FeatureSummary, window: (typeof ACCOUNT_WINDOWS)[number]): string {
  const { count } = s.account[window.key];
  if (count === 0) return `no earlier transactions of the account in ${window.words}`;
  const average = mean(s, window.key);
  return `amount ${formatMultiple(s.tx.amount / average)} this account's ${window.adjective} average of ${money(s, average)} (${transactions(count)})`;
}

const accountFeatures: readonly FeatureDefinition[] = ACCOUNT_WINDOWS.flatMap((w) => {
  const count: FeatureDefinition = {
    name: `account_count_${w.key}`,
    description: `earlier transactions of the account in the last ${w.words}`,
    value: (s) => s.account[w.key].count,
    reason: (s) =>
      `${transactions(s.account[w.key].count)} of the account in the last ${w.words} before this one`,
  };
  // An hour is too short for a meaningful average; it only counts.
  if (w.key === "1h") return [count];
  return [
    count,
    {
      name: `account_mean_amount_${w.key}`,
      description: `mean amount of the account's earlier transactions in the last ${w.words}, minor units (this amount when there are none)`,
      value: (s) => mean(s, w.key),
      reason: (s) => averageReason(s, w),
    },
    {
      name: `account_amount_log_ratio_${w.key}`,
      description: `natural log of the amount over the account's ${w.adjective} mean (0 with no earlier transaction in the window)`,
      value: (s) => Math.log(s.tx.amount / mean(s, w.key)),
      reason: (s) => averageReason(s, w),
    },
  ];
});

export { accountFeatures };
