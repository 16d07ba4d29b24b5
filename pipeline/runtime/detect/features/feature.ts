/** The shape of a feature, and the small helpers their reasons share. */
import { formatAmount } from "../../contract/money";
import type { FeatureSummary } from "./summary";

/**
 * One named feature: how to compute it from the summary, and how to say it to a fraud analyst
 * when it is one of the top reasons for a score.
 */
interface FeatureDefinition {
  /** snake_case name: the model's feature name and the docs table's row. */
  readonly name: string;
  /** What the value is, for the docs table. */
  readonly description: string;
  readonly value: (summary: FeatureSummary) => number;
  readonly reason: (summary: FeatureSummary) => string;
}

/** "1 transaction" / "3 transactions". */
function transactions(count: number): string {
  return `${count} transaction${count === 1 ? "" : "s"}`;
}

/** An amount in the transaction's currency. */
function money(summary: FeatureSummary, minor: number): string {
  return formatAmount(Math.round(minor), summary.tx.currency);
}

export type { FeatureDefinition };
export { money, transactions };
