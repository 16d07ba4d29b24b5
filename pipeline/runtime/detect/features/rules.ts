/** One feature per rule: the rule's signal as a number, whether or not the rule fired. */
import { RULES } from "../rules/registry";
import type { FeatureDefinition } from "./feature";

function rounded(value: number): string {
  return String(Number(value.toFixed(2)));
}

const ruleFeatures: readonly FeatureDefinition[] = RULES.map((rule, i) => {
  const toValue = rule.featureValue ?? ((signal: number) => signal);
  return {
    name: rule.feature.name,
    description: rule.feature.description,
    value: (s) => toValue(s.rules[i].signal),
    // The rule's own sentence when it fired; otherwise what it measured.
    reason: (s) =>
      s.rules[i].hit?.reason ?? `${rule.name}: ${rule.feature.description} ${rounded(s.rules[i].signal)}`,
  };
});

export { ruleFeatures };
