/**
 * The outcome contract as a JSON Schema draft-04 document: the API Gateway request model of
 * POST /transactions/outcomes and the local server's validator read this object. Plain data, draft-04
 * keywords only (see schema.ts); the io-ts codec in outcome-codec.ts states the same rules and the
 * contract test demands that both agree on every body.
 */
import { OUTCOME_SOURCES, OUTCOMES } from "./outcome";
import { LIMITS } from "./transaction";

const epochMsProperty = {
  type: "integer",
  minimum: LIMITS.timestampMin,
  maximum: LIMITS.timestampMax,
} as const;

/**
 * JSON Schema (draft-04) of the POST /transactions/outcomes body.
 *
 * @example
 * new aws.apigateway.Model("outcome", { restApi, contentType: "application/json",
 *   schema: JSON.stringify(OUTCOME_MODEL_SCHEMA) });
 */
const OUTCOME_MODEL_SCHEMA = {
  $schema: "http://json-schema.org/draft-04/schema#",
  title: "Outcome",
  type: "object",
  required: ["transaction_id", "timestamp", "outcome", "source"],
  additionalProperties: false,
  properties: {
    transaction_id: { type: "string", pattern: LIMITS.idPattern },
    timestamp: epochMsProperty,
    outcome: { type: "string", enum: Object.values(OUTCOMES) },
    source: { type: "string", enum: [...OUTCOME_SOURCES] },
    reported_at: epochMsProperty,
  },
} as const;

export { OUTCOME_MODEL_SCHEMA };
