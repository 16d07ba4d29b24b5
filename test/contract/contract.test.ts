import type { ErrorObject } from "ajv";
import Ajv from "ajv-draft-04";
import { expect } from "chai";
import fc from "fast-check";
import { decodeTransaction, makeTransactionCodec } from "../../pipeline/runtime/contract/codec";
import { CONTRACT_FIELDS } from "../../pipeline/runtime/contract/item";
import { TRANSACTION_MODEL_SCHEMA } from "../../pipeline/runtime/contract/schema";
import { REFUSED_CATEGORIES } from "../../pipeline/runtime/contract/text";
import { LIMITS } from "../../pipeline/runtime/contract/transaction";
import {
  fullTransaction,
  transactionArbitrary,
  transactionBody,
  validTransaction,
} from "../helpers/transactions";

/** A request body as JSON text, so cases like `5.0`, `-0` and `"__proto__"` keys survive as sent. */
interface Case {
  readonly name: string;
  readonly json: string;
  readonly valid: boolean;
}

const REQUIRED = ["transaction_id", "account_id", "amount", "currency", "timestamp", "merchant_id"];
const EMOJI = "\u{1F600}";

function ok(name: string, body: unknown): Case {
  return { name, json: JSON.stringify(body), valid: true };
}

function bad(name: string, body: unknown): Case {
  return { name, json: JSON.stringify(body), valid: false };
}

function raw(name: string, json: string, valid: boolean): Case {
  return { name, json, valid };
}

const withLocation = (location: unknown) => transactionBody({ location });

const CORPUS: readonly Case[] = [
  ok("only required fields", validTransaction()),
  ok("every optional field", fullTransaction()),
  ok("transaction_id of 1 character", transactionBody({ transaction_id: "a" })),
  ok(
    "transaction_id of 64 characters with _ and -",
    transactionBody({ transaction_id: `_-${"a".repeat(62)}` }),
  ),
  ok("account_id of 64 characters", transactionBody({ account_id: "Z9".repeat(32) })),
  ok("amount at its minimum", transactionBody({ amount: LIMITS.amountMin })),
  ok("amount at its maximum", transactionBody({ amount: LIMITS.amountMax })),
  raw(
    "amount written as 5.0",
    '{"transaction_id":"t","account_id":"a","amount":5.0,"currency":"EUR","timestamp":1,"merchant_id":"m"}',
    true,
  ),
  raw(
    "amount written as 1e2",
    '{"transaction_id":"t","account_id":"a","amount":1e2,"currency":"EUR","timestamp":1,"merchant_id":"m"}',
    true,
  ),
  ok("timestamp at 0", transactionBody({ timestamp: 0 })),
  raw(
    "timestamp written as -0",
    '{"transaction_id":"t","account_id":"a","amount":1,"currency":"EUR","timestamp":-0,"merchant_id":"m"}',
    true,
  ),
  ok("timestamp at the largest safe integer", transactionBody({ timestamp: Number.MAX_SAFE_INTEGER })),
  ok("merchant_id of 1 character", transactionBody({ merchant_id: "m" })),
  ok("merchant_id of 64 ASCII characters", transactionBody({ merchant_id: "m".repeat(64) })),
  ok(
    "merchant_id of 64 astral code points (128 UTF-16 units)",
    transactionBody({ merchant_id: EMOJI.repeat(64) }),
  ),
  ok("merchant_id with accents and CJK", transactionBody({ merchant_id: "Café Zürich 東京 ☕" })),
  ok("merchant_id of 64 combining-mark code points", transactionBody({ merchant_id: "e\u0301".repeat(32) })),
  ok(
    "merchant_id with a tab-free, printable symbol mix",
    transactionBody({ merchant_id: "A&B <Shop> #7 — ½" }),
  ),
  ok("merchant_category of 32 characters", transactionBody({ merchant_category: "c".repeat(32) })),
  ok("merchant_category of 32 astral code points", transactionBody({ merchant_category: EMOJI.repeat(32) })),
  ok("merchant_id with the letters p, C, f and braces", transactionBody({ merchant_id: "Coffee {pCf}" })),
  ok(
    "merchant_id with a no-break space and a variation selector",
    transactionBody({ merchant_id: "Caf\u00E9\u00A0\u2615\uFE0F" }),
  ),
  ok(
    "merchant_id with Hebrew and Arabic letters",
    transactionBody({ merchant_id: "\u05E9\u05DC\u05D5\u05DD \u0633\u0644\u0627\u0645" }),
  ),
  ok(
    "merchant_id with astral neighbours of format characters",
    transactionBody({ merchant_id: "\u{110BC}\u{110BE}\u{1D172}\u{1D17B}\u{E0100}" }),
  ),
  ok(
    "merchant_id with the last code point below the first tag character",
    transactionBody({ merchant_id: "\u{E0000}" }),
  ),
  ...["card_present", "online", "atm", "transfer"].map((channel) =>
    ok(`channel ${channel}`, transactionBody({ channel })),
  ),
  ok("location at the north-east corner", withLocation({ latitude: 90, longitude: 180 })),
  ok("location at the south-west corner", withLocation({ latitude: -90, longitude: -180 })),
  ok("location with fractional degrees", withLocation({ latitude: 51.5074, longitude: -0.1278 })),
  ok("location with integer zero", withLocation({ latitude: 0, longitude: 0 })),
  ok("country DE", transactionBody({ country: "DE" })),

  ...REQUIRED.map((field) => bad(`missing ${field}`, transactionBody({}, [field]))),
  bad("empty object", {}),
  bad("transaction_id empty", transactionBody({ transaction_id: "" })),
  bad("transaction_id of 65 characters", transactionBody({ transaction_id: "a".repeat(65) })),
  bad("transaction_id with a space", transactionBody({ transaction_id: "tx 1" })),
  bad("transaction_id with a non-ASCII letter", transactionBody({ transaction_id: "tx-é" })),
  bad("transaction_id with a trailing newline", transactionBody({ transaction_id: "tx-1\n" })),
  bad("transaction_id as a number", transactionBody({ transaction_id: 123 })),
  bad("transaction_id null", transactionBody({ transaction_id: null })),
  bad("account_id with a slash", transactionBody({ account_id: "acc/1" })),
  bad("account_id as an array", transactionBody({ account_id: ["acc-1"] })),
  bad("amount 0", transactionBody({ amount: 0 })),
  bad("amount negative", transactionBody({ amount: -1 })),
  bad("amount above its maximum", transactionBody({ amount: LIMITS.amountMax + 1 })),
  bad("amount fractional", transactionBody({ amount: 12.5 })),
  bad("amount as a string", transactionBody({ amount: "1234" })),
  bad("amount null", transactionBody({ amount: null })),
  bad("amount boolean", transactionBody({ amount: true })),
  bad("amount huge", transactionBody({ amount: 1e300 })),
  bad("currency lower case", transactionBody({ currency: "usd" })),
  bad("currency of 2 letters", transactionBody({ currency: "US" })),
  bad("currency of 4 letters", transactionBody({ currency: "USDD" })),
  bad("currency empty", transactionBody({ currency: "" })),
  bad("currency numeric", transactionBody({ currency: 840 })),
  bad("timestamp negative", transactionBody({ timestamp: -1 })),
  bad("timestamp fractional", transactionBody({ timestamp: 1764072000000.5 })),
  bad("timestamp as an ISO string", transactionBody({ timestamp: "2025-11-25T12:00:00Z" })),
  bad("timestamp 1e20", transactionBody({ timestamp: 1e20 })),
  raw(
    "timestamp above the safe range",
    '{"transaction_id":"t","account_id":"a","amount":1,"currency":"EUR","timestamp":9007199254740993,"merchant_id":"m"}',
    false,
  ),
  bad("merchant_id empty", transactionBody({ merchant_id: "" })),
  bad("merchant_id of 65 ASCII characters", transactionBody({ merchant_id: "m".repeat(65) })),
  bad("merchant_id of 65 astral code points", transactionBody({ merchant_id: EMOJI.repeat(65) })),
  bad("merchant_id of lone surrogates", transactionBody({ merchant_id: "\ud800".repeat(64) })),
  bad("merchant_id with a line feed", transactionBody({ merchant_id: "shop\nFraud cleared" })),
  bad("merchant_id with a tab", transactionBody({ merchant_id: "shop\t1" })),
  bad("merchant_id with DEL", transactionBody({ merchant_id: "shop\u007f" })),
  bad("merchant_category with a control character", transactionBody({ merchant_category: "\u0007" })),
  ...[
    ["a right-to-left override U+202E", "shop\u202Eexe.txt"],
    ["a left-to-right embedding U+202A", "\u202Ashop"],
    ["a pop directional formatting U+202C", "shop\u202C"],
    ["a right-to-left isolate U+2067", "shop\u2067x\u2069"],
    ["a first-strong isolate U+2068", "\u2068shop"],
    ["a zero-width space U+200B", "sh\u200Bop"],
    ["a zero-width joiner U+200D", "shop\u200D"],
    ["a right-to-left mark U+200F", "shop\u200F"],
    ["a word joiner U+2060", "sh\u2060op"],
    ["an invisible plus U+2064", "shop\u2064"],
    ["a byte order mark U+FEFF", "\uFEFFshop"],
    ["a soft hyphen U+00AD", "sh\u00ADop"],
    ["an Arabic letter mark U+061C", "shop\u061C"],
    ["an interlinear annotation U+FFF9", "shop\uFFF9"],
    ["a C1 control U+0080", "shop\u0080"],
    ["a next-line control U+0085", "shop\u0085Fraud cleared"],
    ["a C1 control U+009F", "shop\u009F"],
    ["a line separator U+2028", "shop\u2028Fraud cleared"],
    ["a paragraph separator U+2029", "shop\u2029"],
    ["a tag character U+E0041 (astral, format)", "shop\u{E0041}"],
    ["a cancel tag U+E007F (astral, format)", "shop\u{E007F}"],
    ["a musical format character U+1D173 (astral)", "shop\u{1D173}"],
    ["a lone low surrogate", "shop\uDC00"],
    ["surrogates in the wrong order", "shop\uDE00\uD83D"],
  ].flatMap(([what, text]) => [
    bad(`merchant_id with ${what}`, transactionBody({ merchant_id: text })),
    bad(`merchant_category with ${what}`, transactionBody({ merchant_category: text })),
  ]),
  bad("merchant_id as a number", transactionBody({ merchant_id: 42 })),
  bad("merchant_id as an object", transactionBody({ merchant_id: { id: "m" } })),
  bad("merchant_category empty", transactionBody({ merchant_category: "" })),
  bad("merchant_category of 33 characters", transactionBody({ merchant_category: "c".repeat(33) })),
  bad("merchant_category of 33 astral code points", transactionBody({ merchant_category: EMOJI.repeat(33) })),
  bad("merchant_category null", transactionBody({ merchant_category: null })),
  bad("channel upper case", transactionBody({ channel: "ONLINE" })),
  bad("channel unknown", transactionBody({ channel: "web" })),
  bad("channel empty", transactionBody({ channel: "" })),
  bad("channel numeric", transactionBody({ channel: 1 })),
  bad("location null", withLocation(null)),
  bad("location as a string", withLocation("40.7,-74.0")),
  bad("location as an array", withLocation([40.7, -74])),
  bad("location empty", withLocation({})),
  bad("location without longitude", withLocation({ latitude: 1 })),
  bad("location without latitude", withLocation({ longitude: 1 })),
  bad("latitude above 90", withLocation({ latitude: 90.0001, longitude: 0 })),
  bad("latitude below -90", withLocation({ latitude: -91, longitude: 0 })),
  bad("longitude above 180", withLocation({ latitude: 0, longitude: 180.5 })),
  bad("longitude below -180", withLocation({ latitude: 0, longitude: -181 })),
  bad("latitude as a string", withLocation({ latitude: "1", longitude: 0 })),
  bad("latitude null", withLocation({ latitude: null, longitude: 0 })),
  bad("location with an extra property", withLocation({ latitude: 1, longitude: 1, altitude: 10 })),
  bad("country lower case", transactionBody({ country: "de" })),
  bad("country of 3 letters", transactionBody({ country: "DEU" })),
  bad("country empty", transactionBody({ country: "" })),
  bad("country numeric", transactionBody({ country: 276 })),
  bad("card number as an extra property", transactionBody({ card_number: "4111111111111111" })),
  bad("extra property with an empty name", transactionBody({ "": 1 })),
  bad("extra property with a dotted name", transactionBody({ "location.latitude": 1 })),
  raw(
    "extra property __proto__",
    '{"transaction_id":"t","account_id":"a","amount":1,"currency":"EUR","timestamp":1,"merchant_id":"m","__proto__":{}}',
    false,
  ),
  bad(
    "several problems at once",
    transactionBody({ amount: 0, currency: "usd", extra: 1, location: { latitude: 99 } }),
  ),
  bad("null", null),
  bad("an empty array", []),
  bad("an array holding a valid transaction", [validTransaction()]),
  bad("a string", "tx-1"),
  bad("a number", 42),
  bad("true", true),
];

/** The offending field paths of one validator's verdict, sorted and without repeats. */
type Verdict = { readonly valid: boolean; readonly fields: readonly string[] };

function normalise(fields: readonly string[]): string[] {
  return [...new Set(fields)].sort();
}

function schemaVerdict(validate: (body: unknown) => boolean, errors: () => ErrorObject[] | null | undefined) {
  return (body: unknown): Verdict => {
    const valid = validate(body);
    const fields = (errors() ?? []).map((error) => {
      const path = error.instancePath.split("/").slice(1);
      if (error.keyword === "required") path.push(String(error.params.missingProperty));
      if (error.keyword === "additionalProperties") path.push(String(error.params.additionalProperty));
      return path.length === 0 ? "body" : path.join(".");
    });
    return { valid, fields: normalise(fields) };
  };
}

function makeVerdicts() {
  const ajv = new Ajv({ allErrors: true });
  const validate = ajv.compile(TRANSACTION_MODEL_SCHEMA);
  const bySchema = schemaVerdict(validate, () => validate.errors);
  // API Gateway reads `pattern` without the `u` flag: UTF-16 code units, no property escapes.
  const gatewayAjv = new Ajv({ allErrors: true, unicodeRegExp: false });
  const validateAsGateway = gatewayAjv.compile(TRANSACTION_MODEL_SCHEMA);
  const byGateway = schemaVerdict(validateAsGateway, () => validateAsGateway.errors);
  const codec = makeTransactionCodec();
  const byCodec = (body: unknown): Verdict => {
    const result = decodeTransaction(codec, body);
    return { valid: result.ok, fields: result.ok ? [] : normalise(result.errors.map((e) => e.field)) };
  };
  return { bySchema, byGateway, byCodec };
}

/** Mutations the property test applies to a valid transaction. */
const FIELD = fc.constantFrom(...CONTRACT_FIELDS);
const INTERESTING = fc.oneof(
  fc.jsonValue(),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.string({ unit: "binary", maxLength: 70 }),
  fc.stringMatching(/^[A-Za-z0-9_-]{60,70}$/),
  fc.constantFrom(
    0,
    1,
    -1,
    90,
    -90,
    180,
    -180,
    90.5,
    LIMITS.amountMax,
    LIMITS.amountMax + 1,
    2 ** 53,
    "USD",
    "us",
  ),
  fc.constantFrom("online", "ATM", "", EMOJI.repeat(32), EMOJI.repeat(33), "x".repeat(64), "x".repeat(65)),
  fc.string({ unit: "grapheme", maxLength: 40 }),
  fc
    .tuple(
      fc.string({ maxLength: 10 }),
      fc.constantFrom("\u202E", "\u200B", "\uFEFF", "\u0085", "\u2028", "\u{E0041}"),
    )
    .map(([text, hidden]) => `${text}${hidden}${text}`),
);
const MUTATION = fc.oneof(
  fc.record({ kind: fc.constant("delete" as const), field: FIELD }),
  fc.record({ kind: fc.constant("set" as const), field: FIELD, value: INTERESTING }),
  fc.record({ kind: fc.constant("extra" as const), field: fc.string(), value: fc.jsonValue() }),
  fc.record({
    kind: fc.constant("location" as const),
    field: fc.constantFrom("latitude", "longitude", "alt"),
    value: INTERESTING,
  }),
  fc.record({ kind: fc.constant("replace" as const), value: fc.jsonValue() }),
);

type Mutation = typeof MUTATION extends fc.Arbitrary<infer M> ? M : never;

function mutate(body: unknown, mutation: Mutation): unknown {
  if (mutation.kind === "replace") return mutation.value;
  if (typeof body !== "object" || body === null || Array.isArray(body)) return body;
  const copy: Record<string, unknown> = { ...body };
  if (mutation.kind === "delete") delete copy[mutation.field];
  else if (mutation.kind === "location") {
    const location = typeof copy.location === "object" && copy.location !== null ? copy.location : {};
    copy.location = { ...location, [mutation.field]: mutation.value };
  } else copy[mutation.field] = mutation.value;
  return copy;
}

describe("Contract: TRANSACTION_MODEL_SCHEMA and the io-ts codec", () => {
  const { bySchema, byGateway, byCodec } = makeVerdicts();

  describe("agree on the corpus", () => {
    for (const testCase of CORPUS) {
      it(`${testCase.valid ? "accepts" : "rejects"} ${testCase.name}`, () => {
        // Prepare
        const body: unknown = JSON.parse(testCase.json);

        // Act
        const schema = bySchema(body);
        const gateway = byGateway(body);
        const codec = byCodec(body);

        // Assess
        expect(schema.valid, `schema: ${JSON.stringify(schema.fields)}`).to.equal(testCase.valid);
        expect(codec).to.deep.equal(schema);
        expect(gateway, "the model read without the u flag, as API Gateway reads it").to.deep.equal(schema);
      });
    }
  });

  it("the corpus covers every contract field with at least one rejection", () => {
    // Prepare
    const rejected = new Set(
      CORPUS.filter((c) => !c.valid).flatMap((c) => byCodec(JSON.parse(c.json)).fields),
    );

    // Act
    const uncovered = [...CONTRACT_FIELDS, "location.latitude", "location.longitude"].filter(
      (f) => !rejected.has(f),
    );

    // Assess
    expect(uncovered).to.deep.equal([]);
  });

  it("agree on arbitrary valid transactions", () => {
    fc.assert(
      fc.property(transactionArbitrary(), (tx) => {
        // Prepare
        const body: unknown = JSON.parse(JSON.stringify(tx));

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

  it("agree on arbitrary mutations of valid transactions", () => {
    fc.assert(
      fc.property(
        transactionArbitrary(),
        fc.array(MUTATION, { minLength: 1, maxLength: 3 }),
        (tx, mutations) => {
          // Prepare
          const body: unknown = JSON.parse(JSON.stringify(mutations.reduce<unknown>(mutate, tx)) ?? "null");

          // Act
          const schema = bySchema(body);
          const gateway = byGateway(body);
          const codec = byCodec(body);

          // Assess
          expect(codec).to.deep.equal(schema);
          expect(gateway).to.deep.equal(schema);
        },
      ),
      { numRuns: 1000 },
    );
  });
});

describe("Constant: LIMITS.textPattern", () => {
  const refused = new RegExp(`[${REFUSED_CATEGORIES.map((category) => `\\p{${category}}`).join("")}]`, "u");

  it("refuses exactly controls, format characters, line/paragraph separators and surrogates, on every code point, read with and without the u flag", () => {
    // Prepare
    const withU = new RegExp(LIMITS.textPattern, "u");
    const withoutU = new RegExp(LIMITS.textPattern);
    const disagreements: string[] = [];

    // Act
    for (let codePoint = 0; codePoint <= 0x10ffff; codePoint++) {
      const char = String.fromCodePoint(codePoint);
      const text = `a${char}b`;
      const expected = !refused.test(char);
      if (withU.test(text) !== expected || withoutU.test(text) !== expected) {
        disagreements.push(codePoint.toString(16));
      }
    }

    // Assess
    expect(disagreements).to.deep.equal([]);
  });

  it("refuses each character the issue names, by its code point", () => {
    // Prepare
    const named = [
      ...range(0x202a, 0x202e),
      ...range(0x2066, 0x2069),
      ...range(0x200b, 0x200f),
      ...range(0x2060, 0x2064),
      0xfeff,
      0x00ad,
      ...range(0x0080, 0x009f),
      0x2028,
      0x2029,
    ];
    const withU = new RegExp(LIMITS.textPattern, "u");
    const withoutU = new RegExp(LIMITS.textPattern);

    // Act
    const accepted = named.filter(
      (cp) => withU.test(String.fromCodePoint(cp)) || withoutU.test(String.fromCodePoint(cp)),
    );

    // Assess
    expect(accepted).to.deep.equal([]);
  });

  it("uses no property escapes or u-only syntax, which API Gateway's regex dialect lacks", () => {
    expect(LIMITS.textPattern).to.not.match(/\\[pP]\{|\\u\{/);
  });
});

function range(first: number, last: number): number[] {
  return Array.from({ length: last - first + 1 }, (_, i) => first + i);
}
