/**
 * The fraud patterns, in the order their episodes are made. The generator, the per-pattern counts
 * and the usage text all read this one list, so adding a pattern is one module and one line here.
 */
import { accountTakeover, subtle } from "./fraud-accounts";
import { cardTesting, velocityBurst } from "./fraud-bursts";
import type { FraudPattern } from "./fraud-kit";
import { compromisedMerchant, fraudulentMerchant } from "./fraud-merchants";

/**
 * Shares add up to 1. `subtle` comes last: it never fails to find a victim, so it makes up for
 * any shortfall of the patterns before it.
 */
const FRAUD_PATTERNS: readonly FraudPattern[] = [
  compromisedMerchant,
  fraudulentMerchant,
  accountTakeover,
  cardTesting,
  velocityBurst,
  subtle,
];

export { FRAUD_PATTERNS };
