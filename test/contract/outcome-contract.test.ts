import type { ErrorObject, ValidateFunction } from "ajv";
import Ajv from "ajv-draft-04";
import { expect } from "chai";
import fc from "fast-check";
import {
  decodeOutcome,
  makeOutcomeCodec,
  OUTCOME_FIELDS,
} from "../../pipeline/runtime/contract/outcome-codec";
import { OUTCOME_MODEL_SCHEMA } from "../../pipeline/runtime/contract/outcome-schema";
import { LIMITS } from "../../pipeline/runtime/contract/transaction";
import { outcomeArbitrary, outcomeBody, validOutcome } from "../helpers/outcomes";
import { FIXED_NOW } from "../helpers/transactions";

/** A request body as JSON text, so cases like `5.0`, `-0` and `"__proto__"` keys survive as sent. */
interface Case {
  readonly name: string;
  readonly json: string;
  readonly valid: boolean;
}

const ok = (name: string, body: unknown): Case => ({ name, json: JSON.stringify(body), valid: true });
const bad = (name: string, body: unknown): Case => ({ name, json: JSON.stringify(body), valid: false });
const raw = (name: string, json: string, valid: boolean): Case => ({ name, json, valid });

const REQUIRED = ["transaction_id", "timestamp", "outcome", "source"];

const CORPUS: readonly Case[] = [
  ok("only required fields", validOutcome()),
  ok("with reported_at", validOutcome({ reported_at: FIXED_NOW })),
  ok("outcome legitimate", validOutcome({ outcome: "legitimate" })),
  ...["chargeback", "dispute", "analyst", "other"].map((source) =>
    ok(`source ${source}`, outcomeBody({ source })),
  ),
  ok("transaction_id of 64 characters with _ and -", outcomeBody({ transaction_id: `_-${"a".repeat(62)}` })),
  ok("timestamp at 0", outcomeBody({ timestamp: 0 })),
  ok("timestamp at the largest safe integer", outcomeBody({ timestamp: Number.MAX_SAFE_INTEGER })),
  ok("reported_at at 0", outcomeBody({ reported_at: 0 })),
  raw(
    "timestamp written as 1e3",
    '{"transaction_id":"t","timestamp":1e3,"outcome":"fraud","source":"other"}',
    true,
  ),
  raw(
    "reported_at written as -0",
    '{"transaction_id":"t","timestamp":1,"outcome":"fraud","source":"other","reported_at":-0}',
    true,
  ),

  ...REQUIRED.map((field) => bad(`missing ${field}`, outcomeBody({}, [field]))),
  bad("empty object", {}),
  bad("transaction_id empty", outcomeBody({ transaction_id: "" })),
  bad("transaction_id of 65 characters", outcomeBody({ transaction_id: "a".repeat(65) })),
  bad("transaction_id with a space", outcomeBody({ transaction_id: "tx 1" })),
  bad("transaction_id with a right-to-left override", outcomeBody({ transaction_id: "tx-\u202E1" })),
  bad("transaction_id with a zero-width space", outcomeBody({ transaction_id: "tx\u200B-1" })),
  bad("outcome with a byte order mark", outcomeBody({ outcome: "\uFEFFfraud" })),
  bad("source with a line separator", outcomeBody({ source: "analyst\u2028" })),
  bad("source with a C1 control", outcomeBody({ source: "analyst\u0085" })),
  bad("transaction_id as a number", outcomeBody({ transaction_id: 7 })),
  bad("timestamp negative", outcomeBody({ timestamp: -1 })),
  bad("timestamp fractional", outcomeBody({ timestamp: 1.5 })),
  bad("timestamp as an ISO string", outcomeBody({ timestamp: "2025-11-25T12:00:00Z" })),
  bad("timestamp 1e20", outcomeBody({ timestamp: 1e20 })),
  raw(
    "timestamp above the safe range",
    '{"transaction_id":"t","timestamp":9007199254740993,"outcome":"fraud","source":"other"}',
    false,
  ),
  bad("outcome upper case", outcomeBody({ outcome: "FRAUD" })),
  bad("outcome unknown", outcomeBody({ outcome: "suspicious" })),
  bad("outcome empty", outcomeBody({ outcome: "" })),
  bad("outcome boolean", outcomeBody({ outcome: true })),
  bad("outcome null", outcomeBody({ outcome: null })),
  bad("source unknown", outcomeBody({ source: "bank" })),
  bad("source as an array", outcomeBody({ source: ["chargeback"] })),
  bad("reported_at negative", outcomeBody({ reported_at: -5 })),
  bad("reported_at fractional", outcomeBody({ reported_at: FIXED_NOW + 0.5 })),
  bad("reported_at as a string", outcomeBody({ reported_at: String(FIXED_NOW) })),
  bad("reported_at null", outcomeBody({ reported_at: null })),
  bad("an extra property", outcomeBody({ note: "customer called" })),
  bad("a transaction field as an extra property", outcomeBody({ amount: 100 })),
  bad("extra property with an empty name", outcomeBody({ "": 1 })),
  raw(
    "extra property __proto__",
    '{"transaction_id":"t","timestamp":1,"outcome":"fraud","source":"other","__proto__":{}}',
    false,
  ),
  bad("several problems at once", outcomeBody({ outcome: "x", source: 1, extra: 1 }, ["timestamp"])),
  bad("null", null),
  bad("an array holding a valid outcome", [validOutcome()]),
  bad("a string", "fraud"),
  bad("a number", 1),
];

type Verdict = { readonly valid: boolean; readonly fields: readonly string[] };

const normalise = (fields: readonly string[]) => [...new Set(fields)].sort();

function fieldOf(error: ErrorObject): string {
  const path = error.instancePath.split("/").slice(1);
  if (error.keyword === "required") path.push(String(error.params.missingProperty));
  if (error.keyword === "additionalProperties") path.push(String(error.params.additionalProperty));
  return path.length === 0 ? "body" : path.join(".");
}

function makeVerdicts() {
  const verdictOf =
    (validate: ValidateFunction) =>
    (body: unknown): Verdict => {
      const valid = validate(body);
      return { valid, fields: normalise((validate.errors ?? []).map(fieldOf)) };
    };
  const bySchema = verdictOf(new Ajv({ allErrors: true }).compile(OUTCOME_MODEL_SCHEMA));
  // API Gateway reads `pattern` without the `u` flag.
  const byGateway = verdictOf(
    new Ajv({ allErrors: true, unicodeRegExp: false }).compile(OUTCOME_MODEL_SCHEMA),
  );
  const codec = makeOutcomeCodec();
  const byCodec = (body: unknown): Verdict => {
    const result = decodeOutcome(codec, body);
    return { valid: result.ok, fields: result.ok ? [] : normalise(result.errors.map((e) => e.field)) };
  };
  return { bySchema, byGateway, byCodec };
}

const INTERESTING = fc.oneof(
  fc.jsonValue(),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.string({ unit: "binary", maxLength: 70 }),
  fc.constantFrom(
    0,
    -1,
    2 ** 53,
    LIMITS.timestampMax,
    "fraud",
    "legitimate",
    "Fraud",
    "analyst",
    "",
    "x".repeat(65),
  ),
);
const MUTATION = fc.oneof(
  fc.record({ kind: fc.constant("delete" as const), field: fc.constantFrom(...OUTCOME_FIELDS) }),
  fc.record({
    kind: fc.constant("set" as const),
    field: fc.constantFrom(...OUTCOME_FIELDS),
    value: INTERESTING,
  }),
  fc.record({ kind: fc.constant("set" as const), field: fc.string(), value: fc.jsonValue() }),
  fc.record({ kind: fc.constant("replace" as const), value: fc.jsonValue() }),
);

type Mutation = typeof MUTATION extends fc.Arbitrary<infer M> ? M : never;

function mutate(body: unknown, mutation: Mutation): unknown {
  if (mutation.kind === "replace") return mutation.value;
  if (typeof body !== "object" || body === null || Array.isArray(body)) return body;
  const copy: Record<string, unknown> = { ...body };
  if (mutation.kind === "delete") delete copy[mutation.field];
  else copy[mutation.field] = mutation.value;
  return copy;
}

describe("Contract: OUTCOME_MODEL_SCHEMA and the outcome codec", () => {
  const { bySchema, byGateway, byCodec } = makeVerdicts();

  describe("agree on the corpus", () => {
    for (const testCase of CORPUS) {
      it(`${testCase.valid ? "accepts" : "rejects"} ${testCase.name}`, () => {
        // Prepare
        const body: unknown = JSON.parse(testCase.json);

        // Act
        const schema = bySchema(body);
        const codec = byCodec(body);

        // Assess
        expect(schema.valid, `schema: ${JSON.stringify(schema.fields)}`).to.equal(testCase.valid);
        expect(codec).to.deep.equal(schema);
        expect(byGateway(body), "the model read without the u flag, as API Gateway reads it").to.deep.equal(
          schema,
        );
      });
    }
  });

  it("the corpus rejects every field of the contract at least once", () => {
    // Act
    const rejected = new Set(
      CORPUS.filter((c) => !c.valid).flatMap((c) => byCodec(JSON.parse(c.json)).fields),
    );

    // Assess
    expect(OUTCOME_FIELDS.filter((field) => !rejected.has(field))).to.deep.equal([]);
  });

  it("agree on arbitrary valid outcomes", () => {
    fc.assert(
      fc.property(outcomeArbitrary(), (outcome) => {
        // Prepare
        const body: unknown = JSON.parse(JSON.stringify(outcome));

        // Act
        const schema = bySchema(body);
        const codec = byCodec(body);

        // Assess
        expect(schema).to.deep.equal({ valid: true, fields: [] });
        expect(codec).to.deep.equal(schema);
      }),
      { numRuns: 300 },
    );
  });

  it("agree on arbitrary mutations of valid outcomes", () => {
    fc.assert(
      fc.property(
        outcomeArbitrary(),
        fc.array(MUTATION, { minLength: 1, maxLength: 3 }),
        (outcome, mutations) => {
          // Prepare
          const body: unknown = JSON.parse(
            JSON.stringify(mutations.reduce<unknown>(mutate, outcome)) ?? "null",
          );

          // Act
          const schema = bySchema(body);
          const codec = byCodec(body);

          // Assess
          expect(codec).to.deep.equal(schema);
        },
      ),
      { numRuns: 1000 },
    );
  });
});
