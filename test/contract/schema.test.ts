import Ajv from "ajv-draft-04";
import { expect } from "chai";
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
    expect(TRANSACTION_MODEL_SCHEMA.$schema).to.equal("http://json-schema.org/draft-04/schema#");
    expect(typeof validate).to.equal("function");
  });

  it("uses only draft-04 keywords that API Gateway supports (no const, no format)", () => {
    // Act
    const unsupported = keywordsOf(TRANSACTION_MODEL_SCHEMA).filter((k) => !DRAFT_04_KEYWORDS.has(k));

    // Assess
    expect(unsupported).to.deep.equal([]);
  });

  it("defines exactly the contract's fields and closes both objects", () => {
    // Act
    const fields = Object.keys(TRANSACTION_MODEL_SCHEMA.properties);

    // Assess
    expect(fields).to.deep.equal([...CONTRACT_FIELDS]);
    expect(TRANSACTION_MODEL_SCHEMA.additionalProperties).to.equal(false);
    expect(TRANSACTION_MODEL_SCHEMA.properties.location.additionalProperties).to.equal(false);
    expect(TRANSACTION_MODEL_SCHEMA.properties.location.required).to.deep.equal(["latitude", "longitude"]);
  });

  it("survives a JSON round trip unchanged, as API Gateway receives it", () => {
    // Act
    const copy = JSON.parse(JSON.stringify(TRANSACTION_MODEL_SCHEMA));

    // Assess
    expect(copy).to.deep.equal(TRANSACTION_MODEL_SCHEMA);
  });
});
