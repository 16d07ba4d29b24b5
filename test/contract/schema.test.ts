import assert from "node:assert/strict";
import Ajv from "ajv-draft-04";
import { CONTRACT_FIELDS } from "../../pipeline/runtime/contract/item";
import { TRANSACTION_MODEL_SCHEMA } from "../../pipeline/runtime/contract/schema";

/** Keywords of JSON Schema draft-04 that API Gateway models support. */
const DRAFT_04_KEYWORDS = new Set([
  "$schema",
  "title",
  "type",
  "required",
  "additionalProperties",
  "properties",
  "pattern",
  "minimum",
  "maximum",
  "minLength",
  "maxLength",
  "enum",
]);

/** Every keyword used anywhere in the schema (property names under `properties` are not keywords). */
function keywordsOf(schema: Record<string, unknown>): string[] {
  const keywords = Object.keys(schema);
  const properties = (schema.properties ?? {}) as Record<string, Record<string, unknown>>;
  return [...keywords, ...Object.values(properties).flatMap(keywordsOf)];
}

describe("Constant: TRANSACTION_MODEL_SCHEMA", () => {
  it("declares JSON Schema draft-04 and compiles under a draft-04 validator", () => {
    // Prepare
    const ajv = new Ajv({ strict: true });

    // Act
    const validate = ajv.compile(TRANSACTION_MODEL_SCHEMA);

    // Assess
    assert.equal(TRANSACTION_MODEL_SCHEMA.$schema, "http://json-schema.org/draft-04/schema#");
    assert.equal(typeof validate, "function");
  });

  it("uses only draft-04 keywords that API Gateway supports (no const, no format)", () => {
    // Act
    const unsupported = keywordsOf(TRANSACTION_MODEL_SCHEMA).filter((k) => !DRAFT_04_KEYWORDS.has(k));

    // Assess
    assert.deepEqual(unsupported, []);
  });

  it("defines exactly the contract's fields and closes both objects", () => {
    // Act
    const fields = Object.keys(TRANSACTION_MODEL_SCHEMA.properties);

    // Assess
    assert.deepEqual(fields, [...CONTRACT_FIELDS]);
    assert.equal(TRANSACTION_MODEL_SCHEMA.additionalProperties, false);
    assert.equal(TRANSACTION_MODEL_SCHEMA.properties.location.additionalProperties, false);
    assert.deepEqual(TRANSACTION_MODEL_SCHEMA.properties.location.required, ["latitude", "longitude"]);
  });

  it("survives a JSON round trip unchanged, as API Gateway receives it", () => {
    // Act
    const copy = JSON.parse(JSON.stringify(TRANSACTION_MODEL_SCHEMA));

    // Assess
    assert.deepEqual(copy, TRANSACTION_MODEL_SCHEMA);
  });
});
