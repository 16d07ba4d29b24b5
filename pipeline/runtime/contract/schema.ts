/**
 * The transaction contract as a JSON Schema draft-04 document: the API Gateway request model, the
 * local server's validator and the contract test all read this object. It is plain data (safe to
 * capture in a serialized closure) and uses only the draft-04 keywords API Gateway supports, so no
 * `const` and no `format`. The io-ts codec in codec.ts states the same rules and the contract test
 * demands that both agree on every body.
 */
import { CHANNELS, LIMITS } from "./transaction";

const idProperty = { type: "string", pattern: LIMITS.idPattern } as const;

/**
 * JSON Schema (draft-04) of the POST /transactions body.
 *
 * @example
 * new aws.apigateway.Model("transaction", { restApi, contentType: "application/json",
 *   schema: JSON.stringify(TRANSACTION_MODEL_SCHEMA) });
 */
const TRANSACTION_MODEL_SCHEMA = {
  $schema: "http://json-schema.org/draft-04/schema#",
  title: "Transaction",
  type: "object",
  required: ["transaction_id", "account_id", "amount", "currency", "timestamp", "merchant_id"],
  additionalProperties: false,
  properties: {
    transaction_id: idProperty,
    account_id: idProperty,
    amount: { type: "integer", minimum: LIMITS.amountMin, maximum: LIMITS.amountMax },
    currency: { type: "string", pattern: LIMITS.currencyPattern },
    timestamp: { type: "integer", minimum: LIMITS.timestampMin, maximum: LIMITS.timestampMax },
    merchant_id: {
      type: "string",
      minLength: 1,
      maxLength: LIMITS.merchantIdMaxLength,
      pattern: LIMITS.textPattern,
    },
    merchant_category: {
      type: "string",
      minLength: 1,
      maxLength: LIMITS.merchantCategoryMaxLength,
      pattern: LIMITS.textPattern,
    },
    channel: { type: "string", enum: [...CHANNELS] },
    location: {
      type: "object",
      required: ["latitude", "longitude"],
      additionalProperties: false,
      properties: {
        latitude: { type: "number", minimum: -LIMITS.latitudeMax, maximum: LIMITS.latitudeMax },
        longitude: { type: "number", minimum: -LIMITS.longitudeMax, maximum: LIMITS.longitudeMax },
      },
    },
    country: { type: "string", pattern: LIMITS.countryPattern },
  },
} as const;

export { TRANSACTION_MODEL_SCHEMA };
