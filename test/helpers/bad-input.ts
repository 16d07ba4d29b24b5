/**
 * Fixtures for the bad-input properties: raw JSON texts of hostile values (huge numbers, deep
 * nesting, unicode, wrong types), mutations of a valid body applied to its text (set, delete,
 * extra and duplicate keys, truncation, framing, padding past the size limit), client headers,
 * the two contract validators side by side, and the assertion that a 400 names its fields.
 */

import Ajv from "ajv-draft-04";
import { expect } from "chai";
import fc from "fast-check";
import { decodeTransaction, makeTransactionCodec } from "../../pipeline/runtime/contract/codec";
import { CONTRACT_FIELDS } from "../../pipeline/runtime/contract/item";
import { TRANSACTION_MODEL_SCHEMA } from "../../pipeline/runtime/contract/schema";
import { LIMITS, type Transaction } from "../../pipeline/runtime/contract/transaction";
import type { RawResponse } from "./resilience";

const MAX = LIMITS.maxBodyBytes;

/**
 * The JSON Schema model (ajv, draft-04) and the io-ts codec side by side; each returns whether a
 * body is valid and the sorted field paths it names, as contract.test.ts compares them.
 *
 * @example
 * const judges = makeJudges();
 * expect(judges.codec(body)).to.deep.equal(judges.schema(body));
 */
function makeJudges() {
  const validate = new Ajv({ allErrors: true, strict: false }).compile(TRANSACTION_MODEL_SCHEMA);
  const codec = makeTransactionCodec();
  const sorted = (fields: readonly string[]) => [...new Set(fields)].sort();
  return {
    schema(body: unknown) {
      const valid = validate(body) as boolean;
      const fields = (validate.errors ?? []).map((error) => {
        const parts = error.instancePath.split("/").slice(1);
        if (error.keyword === "required") parts.push(String(error.params.missingProperty));
        if (error.keyword === "additionalProperties") parts.push(String(error.params.additionalProperty));
        return parts.length === 0 ? "body" : parts.join(".");
      });
      return { valid, fields: sorted(fields) };
    },
    codec(body: unknown) {
      const result = decodeTransaction(codec, body);
      return { valid: result.ok, fields: result.ok ? [] : sorted(result.errors.map((e) => e.field)) };
    },
  };
}

/**
 * Asserts a 400 names what is wrong: the handler's `fields` (each with a field and a message,
 * all named, quoted, in `message`) or the validator's `["field": problem, ...]`; returns the body.
 *
 * @example
 * const body = assertNamesFields(outcome.response);
 */
function assertNamesFields(response: RawResponse): Record<string, unknown> {
  expect(response.status, response.text).to.equal(400);
  const body = JSON.parse(response.text) as {
    fields?: { field: string; message: string }[];
    message: string;
  };
  if (body.fields !== undefined) {
    expect(body.fields.length > 0, response.text).to.be.ok;
    for (const { field, message } of body.fields) {
      // Names are quoted, so even a property named "" is visibly named.
      expect(typeof field === "string" && message.length > 0, response.text).to.be.ok;
      expect(body.message.includes(JSON.stringify(field)), response.text).to.be.ok;
    }
  } else {
    expect(body.message, response.text).to.match(/^\[.*: \S.*\]$/s);
  }
  return body;
}

/** Raw JSON texts for one value: huge and odd numbers, deep nesting, unicode, wrong types. */
const HUGE_NUMBER = fc.oneof(
  fc.constantFrom(
    "1e400",
    "-1e400",
    "1e308",
    "5e-324",
    "1e-400",
    "9007199254740993",
    "100000000000.0000001",
    "123456789012345678901234567890",
    "1.0",
    "1E+2",
    "-0",
  ),
  fc.bigInt({ min: -(10n ** 40n), max: 10n ** 40n }).map(String),
  fc.tuple(fc.integer({ min: 1, max: 9 }), fc.integer({ min: -400, max: 400 })).map(([m, e]) => `${m}e${e}`),
);
const DEEP = fc
  .tuple(fc.integer({ min: 1, max: 3_500 }), fc.boolean())
  .map(([depth, arrays]) =>
    arrays ? "[".repeat(depth) + "]".repeat(depth) : `${'{"a":'.repeat(depth)}1${"}".repeat(depth)}`,
  );
const UNICODE = fc.oneof(
  fc.string({ unit: "binary", maxLength: 80 }).map((s) => JSON.stringify(s)),
  fc.string({ unit: "grapheme", maxLength: 40 }).map((s) => JSON.stringify(s)),
  fc.constantFrom('"\\u0000"', '"\\ud800"', '"\\udfff\\ud800"', '"tx\\u00e9"', '"\\u202etx"'),
);
const WRONG_TYPE = fc.oneof(
  fc.constantFrom("true", "false", "null", "[]", "{}", '""', "[1,2]", '{"latitude":1,"longitude":2}'),
  fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
);
const RAW_VALUE = fc.oneof(HUGE_NUMBER, DEEP, UNICODE, WRONG_TYPE);
const FIELD = fc.constantFrom(...CONTRACT_FIELDS, "location.latitude", "location.longitude");

const MUTATION = fc.oneof(
  fc.record({ kind: fc.constant("set" as const), field: FIELD, raw: RAW_VALUE }),
  fc.record({ kind: fc.constant("delete" as const), field: FIELD }),
  fc.record({
    kind: fc.constant("extra" as const),
    field: fc.string({ unit: "binary", maxLength: 20 }),
    raw: RAW_VALUE,
  }),
  fc.record({ kind: fc.constant("duplicate" as const), field: FIELD, raw: RAW_VALUE }),
);
const FRAMING = fc.oneof(
  { weight: 4, arbitrary: fc.constant({ kind: "none" as const }) },
  fc.record({
    kind: fc.constant("truncate" as const),
    at: fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
  }),
  fc.record({
    kind: fc.constant("wrap" as const),
    prefix: fc.constantFrom("", "\uFEFF", " \n\t", "x", "\u0000"),
    suffix: fc.constantFrom("", " \n", "}", ",", "\u0000", "garbage"),
  }),
  fc.record({ kind: fc.constant("pad" as const), bytes: fc.integer({ min: 1, max: 2 * MAX }) }),
);

type Mutation = typeof MUTATION extends fc.Arbitrary<infer M> ? M : never;
type Framing = typeof FRAMING extends fc.Arbitrary<infer F> ? F : never;

/** Key/value pairs of a JSON object as text; a nested object stays pairs so its fields can be mutated. */
type Pairs = [string, string | Pairs][];

function toPairs(value: object): Pairs {
  return Object.entries(value).map(([key, v]) => [
    key,
    typeof v === "object" && v !== null ? toPairs(v) : JSON.stringify(v),
  ]);
}

function render(pairs: Pairs): string {
  return `{${pairs.map(([key, v]) => `${JSON.stringify(key)}:${typeof v === "string" ? v : render(v)}`).join(",")}}`;
}

/**
 * The JSON text of `tx` with mutations applied to its key/value pairs, then the framing.
 *
 * @example
 * mutatedText(tx, [{ kind: "set", field: "amount", raw: "1e400" }], { kind: "none" }); // '{..."amount":1e400}'
 */
function mutatedText(tx: Transaction, mutations: readonly Mutation[], framing: Framing): string {
  const top = toPairs(tx);
  for (const m of mutations) {
    if (m.kind === "extra") {
      top.push([m.field, m.raw]);
      continue;
    }
    const [parent, child] = m.field.split(".") as [string, string | undefined];
    let target = top;
    if (child !== undefined) {
      const nested = top.find(([key, v]) => key === parent && typeof v !== "string");
      target = nested === undefined ? [] : (nested[1] as Pairs);
      if (nested === undefined) top.push([parent, target]);
    }
    const key = child ?? parent;
    if (m.kind !== "duplicate") target.splice(0, target.length, ...target.filter(([k]) => k !== key));
    if (m.kind !== "delete") target.push([key, m.raw]);
  }
  const text = render(top);
  switch (framing.kind) {
    case "truncate":
      return text.slice(0, Math.floor(text.length * framing.at));
    case "wrap":
      return `${framing.prefix}${text}${framing.suffix}`;
    case "pad":
      return `${text}${" ".repeat(framing.bytes)}`;
    default:
      return text;
  }
}

/**
 * `JSON.parse` without throwing.
 *
 * @example
 * parsed("{"); // { ok: false }
 */
function parsed(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}

/** Header names and values a client might send; none of them may change the answer. */
const HEADERS = fc.record({
  "content-type": fc.constantFrom(
    "application/json",
    "application/json; charset=utf-8",
    "text/plain",
    "application/x-www-form-urlencoded",
    "APPLICATION/JSON",
    "*/*",
  ),
  extra: fc.dictionary(
    fc.stringMatching(/^x-[a-z0-9-]{1,20}$/),
    fc.string({
      unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)),
      maxLength: 200,
    }),
    { maxKeys: 8 },
  ),
  query: fc.constantFrom("", "?debug=1", "?a=1&a=2", "?%ff", "?transaction_id=x"),
});

export type { Framing, Mutation };
export { assertNamesFields, FRAMING, HEADERS, MUTATION, makeJudges, mutatedText, parsed, RAW_VALUE };
