/**
 * Fixture factories for outcome bodies and the POST /transactions/outcomes events that carry them.
 */
import type { APIGatewayProxyEvent } from "aws-lambda";
import fc from "fast-check";
import { OUTCOME_SOURCES, OUTCOMES, type Outcome } from "../../pipeline/runtime/contract/outcome";
import { LIMITS } from "../../pipeline/runtime/contract/transaction";
import { apiGatewayEvent, validTransaction } from "./transactions";

/** Resource and path of the outcome route. */
const OUTCOME_ROUTE = "/transactions/outcomes";

/**
 * A valid `fraud` outcome (chargeback) for the default `validTransaction()`.
 *
 * @example
 * const outcome = validOutcome({ outcome: "legitimate", reported_at: FIXED_NOW - 1_000 });
 */
function validOutcome(overrides: Partial<Outcome> = {}): Outcome {
  const tx = validTransaction();
  return {
    transaction_id: tx.transaction_id,
    timestamp: tx.timestamp,
    outcome: OUTCOMES.fraud,
    source: "chargeback",
    ...overrides,
  };
}

/**
 * A request body built from a valid outcome with fields replaced by any value and fields removed.
 *
 * @example
 * const body = outcomeBody({ outcome: "stolen" }, ["source"]);
 */
function outcomeBody(overrides: Record<string, unknown> = {}, omit: readonly string[] = []) {
  const body: Record<string, unknown> = { ...validOutcome(), ...overrides };
  for (const field of omit) delete body[field];
  return body;
}

/**
 * A POST /transactions/outcomes API Gateway REST proxy event (see `apiGatewayEvent`).
 *
 * @example
 * const event = outcomeEvent(validOutcome());
 */
function outcomeEvent(body: unknown, overrides: Partial<APIGatewayProxyEvent> = {}): APIGatewayProxyEvent {
  const event = apiGatewayEvent(body);
  return {
    ...event,
    resource: OUTCOME_ROUTE,
    path: OUTCOME_ROUTE,
    requestContext: { ...event.requestContext, path: `/dev${OUTCOME_ROUTE}`, resourcePath: OUTCOME_ROUTE },
    ...overrides,
  };
}

/**
 * Arbitrary valid outcomes anywhere in the contract's range, `reported_at` present or not.
 *
 * @example
 * fc.assert(fc.property(outcomeArbitrary(), (outcome) => ...));
 */
function outcomeArbitrary(): fc.Arbitrary<Outcome> {
  const epochMs = fc.integer({ min: LIMITS.timestampMin, max: LIMITS.timestampMax });
  return fc.record(
    {
      transaction_id: fc.stringMatching(new RegExp(LIMITS.idPattern)),
      timestamp: epochMs,
      outcome: fc.constantFrom(...Object.values(OUTCOMES)),
      source: fc.constantFrom(...OUTCOME_SOURCES),
      reported_at: epochMs,
    },
    { requiredKeys: ["transaction_id", "timestamp", "outcome", "source"] },
  );
}

export { OUTCOME_ROUTE, outcomeArbitrary, outcomeBody, outcomeEvent, validOutcome };
