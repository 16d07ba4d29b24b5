/**
 * The rules, in the order they run. The config parser (defaults and valid ranges), the scorer,
 * the feature vector (one signal feature per rule) and the docs table all derive from this list.
 */
import { amountSpikeRule } from "./amount-spike";
import { cardTestingRule } from "./card-testing";
import { highAmountRule } from "./high-amount";
import { impossibleTravelRule } from "./impossible-travel";
import { repeatedChargeRule } from "./repeated-charge";
import { velocityRule } from "./velocity";

const RULES = [
  highAmountRule,
  amountSpikeRule,
  velocityRule,
  impossibleTravelRule,
  cardTestingRule,
  repeatedChargeRule,
] as const;

type Rule = (typeof RULES)[number];

/** Settings of every rule, keyed by the rule's key, derived from the registry. */
type RuleSettings = { readonly [R in Rule as R["key"]]: R["defaults"] };

type RuleKey = Rule["key"];

export type { Rule, RuleKey, RuleSettings };
export { RULES };
