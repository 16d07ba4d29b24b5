import { expect } from "chai";
import fc from "fast-check";
import {
  checkEventTime,
  decodeTransaction,
  makeTransactionCodec,
} from "../../pipeline/runtime/contract/codec";
import { LIMITS } from "../../pipeline/runtime/contract/transaction";
import { MUTATION, mutatedText, parsed } from "../helpers/bad-input";
import {
  FIXED_NOW,
  fullTransaction,
  transactionArbitrary,
  transactionBody,
  validTransaction,
} from "../helpers/transactions";

function errorsOf(input: unknown) {
  const result = decodeTransaction(makeTransactionCodec(), input);
  expect(result.ok, "expected the input to be rejected").to.equal(false);
  return result.ok ? [] : result.errors;
}

describe("Function: makeTransactionCodec", () => {
  it("builds a new codec on every call, so nothing is shared through module scope", () => {
    // Act
    const first = makeTransactionCodec();
    const second = makeTransactionCodec();

    // Assess
    expect(first).not.to.equal(second);
    expect(first.name).to.equal("Transaction");
  });
});

describe("Function: decodeTransaction", () => {
  it("returns the transaction when every field is valid", () => {
    // Prepare
    const tx = fullTransaction();

    // Act
    const result = decodeTransaction(makeTransactionCodec(), JSON.parse(JSON.stringify(tx)));

    // Assess
    expect(result).to.deep.equal({ ok: true, value: tx });
  });

  it("says what a valid amount is", () => {
    // Act
    const errors = errorsOf(transactionBody({ amount: 0 }));

    // Assess
    expect(errors).to.deep.equal([
      { field: "amount", message: "must be an integer between 1 and 100000000000 (minor units)" },
    ]);
  });

  it("marks missing required fields as required and says what is valid", () => {
    // Act
    const errors = errorsOf(transactionBody({}, ["currency"]));

    // Assess
    expect(errors.length).to.equal(1);
    expect(errors[0].field).to.equal("currency");
    expect(errors[0].message).to.match(/^is required; it must be a three-letter upper-case ISO 4217 code/);
  });

  it("reports every offending field, not just the first", () => {
    // Prepare
    const body = transactionBody(
      {
        amount: 1.5,
        currency: "usd",
        channel: "web",
        country: "usa",
        location: { latitude: 91, longitude: "x" },
      },
      ["merchant_id"],
    );

    // Act
    const fields = errorsOf(body).map((e) => e.field);

    // Assess
    expect(fields.sort()).to.deep.equal([
      "amount",
      "channel",
      "country",
      "currency",
      "location.latitude",
      "location.longitude",
      "merchant_id",
    ]);
  });

  it("names unknown properties, top-level and inside location", () => {
    // Prepare
    const body = transactionBody({
      card_number: "4111",
      location: { latitude: 1, longitude: 2, altitude: 3 },
    });

    // Act
    const errors = errorsOf(body);

    // Assess
    expect(errors.map((e) => e.field)).to.deep.equal(["card_number", "location.altitude"]);
    expect(errors[0].message).to.match(
      /^is not an accepted property \(accepted: transaction_id, account_id, /,
    );
    expect(errors[1].message).to.match(/accepted: latitude, longitude/);
  });

  it("counts merchant_id length in code points, as JSON Schema maxLength does", () => {
    // Prepare
    const astral = "\u{1F600}";
    const codec = makeTransactionCodec();

    // Act
    const at64 = decodeTransaction(codec, transactionBody({ merchant_id: astral.repeat(64) }));
    const at65 = decodeTransaction(codec, transactionBody({ merchant_id: astral.repeat(65) }));

    // Assess
    expect(at64.ok).to.equal(true);
    expect(at65.ok).to.equal(false);
  });

  it("rejects integers beyond the safe range", () => {
    // Act
    const errors = errorsOf(transactionBody({ timestamp: 2 ** 53 }));

    // Assess
    expect(errors.map((e) => e.field)).to.deep.equal(["timestamp"]);
  });

  for (const input of [null, [], "tx", 42, true]) {
    it(`rejects the non-object ${JSON.stringify(input)} as the body`, () => {
      // Act
      const errors = errorsOf(input);

      // Assess
      expect(errors).to.deep.equal([{ field: "body", message: "must be a JSON object" }]);
    });
  }

  it("gives what io-ts's decode gives, the decoded object itself for a valid body", () => {
    const codec = makeTransactionCodec();
    // The same codec with `is` always false: decodeTransaction then only has io-ts's decode.
    const decodeOnly = Object.create(codec, { is: { value: () => false } }) as typeof codec;
    fc.assert(
      fc.property(transactionArbitrary(), fc.array(MUTATION, { maxLength: 2 }), (tx, mutations) => {
        // Prepare
        const body = parsed(mutatedText(tx, mutations, { kind: "none" }));
        if (!body.ok) return;

        // Act
        const result = decodeTransaction(codec, body.value);
        const reference = decodeTransaction(decodeOnly, body.value);

        // Assess
        expect(result).to.deep.equal(reference);
        if (result.ok && reference.ok) expect(result.value).to.equal(reference.value);
      }),
      { numRuns: 500 },
    );
  });

  it("says what a valid location is when it is not an object", () => {
    // Act
    const errors = errorsOf(transactionBody({ location: null }));

    // Assess
    expect(errors).to.deep.equal([
      { field: "location", message: "must be an object with latitude and longitude" },
    ]);
  });
});

describe("Function: checkEventTime", () => {
  const cases = [
    { name: "now", timestamp: FIXED_NOW, field: undefined },
    {
      name: "exactly the future skew ahead",
      timestamp: FIXED_NOW + LIMITS.maxFutureSkewMs,
      field: undefined,
    },
    {
      name: "1 ms beyond the future skew",
      timestamp: FIXED_NOW + LIMITS.maxFutureSkewMs + 1,
      field: "timestamp",
    },
    { name: "exactly the maximum age", timestamp: FIXED_NOW - LIMITS.maxAgeMs, field: undefined },
    {
      name: "1 ms older than the maximum age",
      timestamp: FIXED_NOW - LIMITS.maxAgeMs - 1,
      field: "timestamp",
    },
  ];
  for (const testCase of cases) {
    it(`${testCase.field ? "rejects" : "accepts"} an event time ${testCase.name}`, () => {
      // Prepare
      const tx = validTransaction({ timestamp: testCase.timestamp });

      // Act
      const errors = checkEventTime(tx, FIXED_NOW);

      // Assess
      expect(errors.map((e) => e.field)).to.deep.equal(testCase.field ? [testCase.field] : []);
    });
  }

  it("says how far ahead and how far back an event time may be", () => {
    // Act
    const future = checkEventTime(validTransaction({ timestamp: FIXED_NOW + 3_600_000 }), FIXED_NOW);
    const past = checkEventTime(validTransaction({ timestamp: 0 }), FIXED_NOW);

    // Assess
    expect(future[0].message).to.match(
      /^must not be more than 5 minutes ahead of the server clock \(now 1764072000000/,
    );
    expect(past[0].message).to.match(
      /^must not be more than 7 days behind the server clock \(now 1764072000000/,
    );
  });
});
