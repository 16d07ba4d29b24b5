/** The amount itself. */
import type { FeatureDefinition } from "./feature";
import { money } from "./feature";

const amountFeatures: readonly FeatureDefinition[] = [
  {
    name: "amount",
    description: "amount in minor units",
    value: (s) => s.tx.amount,
    reason: (s) => `amount ${money(s, s.tx.amount)}`,
  },
  {
    name: "amount_log",
    description: "natural log of 1 + the amount in minor units",
    value: (s) => Math.log1p(s.tx.amount),
    reason: (s) => `amount ${money(s, s.tx.amount)}`,
  },
];

export { amountFeatures };
