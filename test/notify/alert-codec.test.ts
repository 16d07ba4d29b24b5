import { assert, expect } from "chai";
import { makeAlertCodec } from "../../pipeline/runtime/notify/alert-codec";
import { fraudAlert } from "../helpers/alerts";

describe("Function: makeAlertCodec", () => {
  it("decodes a valid alert after a JSON round trip", () => {
    // Prepare
    const alert = fraudAlert();
    const codec = makeAlertCodec();

    // Act
    const result = codec.decode(JSON.parse(JSON.stringify(alert)));

    // Assess
    expect(result).to.deep.equal({ ok: true, value: alert });
  });

  it("decodes an alert queued before reasons existed, with no reasons", () => {
    // Prepare
    const { reasons: _reasons, ...older } = fraudAlert();

    // Act
    const result = makeAlertCodec().decode(older);

    // Assess
    assert.ok(result.ok);
    expect(result.value.reasons).to.deep.equal([]);
  });

  it("drops properties that are not part of an alert", () => {
    // Prepare
    const codec = makeAlertCodec();

    // Act
    const result = codec.decode({ ...fraudAlert(), card_number: "4111111111111111" });

    // Assess
    assert.ok(result.ok);
    expect("card_number" in result.value).to.equal(false);
  });

  const invalid: [string, Record<string, unknown>, string][] = [
    ["an id with a newline", { transaction_id: "tx-1\nBcc: x" }, "transaction_id"],
    ["an account id that is too long", { account_id: "a".repeat(65) }, "account_id"],
    ["a fractional amount", { amount: 12.5 }, "amount"],
    ["a zero amount", { amount: 0 }, "amount"],
    ["a lower-case currency", { currency: "usd" }, "currency"],
    ["an empty merchant", { merchant_id: "" }, "merchant_id"],
    ["a score that is not a number", { score: "85" }, "score"],
    ["a negative timestamp", { timestamp: -1 }, "timestamp"],
    ["an empty reason", { reasons: ["ok", " "] }, "reasons.1"],
    ["a rule without a reason", { rules: [{ rule: "velocity", score: 10 }] }, "rules.0.reason"],
    ["a missing detection time", { detected_at: undefined }, "detected_at"],
  ];
  for (const [label, override, path] of invalid) {
    it(`rejects ${label}, naming ${path} but not the value`, () => {
      // Prepare
      const codec = makeAlertCodec();
      const body = JSON.parse(JSON.stringify({ ...fraudAlert(), ...override }));

      // Act
      const result = codec.decode(body);

      // Assess
      expect(result.ok).to.equal(false);
      expect(
        !result.ok && result.errors.some((error) => error.startsWith(`${path}: expected `)),
        String(result),
      ).to.be.ok;
      expect(!result.ok && result.errors.every((error) => !error.includes("Bcc"))).to.be.ok;
    });
  }

  // The transaction contract counts merchant_id in code points and accepts lone surrogates; an
  // alert for any accepted transaction must decode, or it is dead-lettered and nobody is told.
  const acceptedMerchants: [string, string][] = [
    ["64 astral code points (128 UTF-16 units)", "\u{1F600}".repeat(64)],
    ["64 lone surrogates", "\ud800".repeat(64)],
  ];
  for (const [label, merchant] of acceptedMerchants) {
    it(`decodes an alert whose merchant_id is ${label}, as the transaction contract accepts`, () => {
      // Prepare
      const codec = makeAlertCodec();
      const alert = fraudAlert({ merchant_id: merchant });

      // Act
      const result = codec.decode(JSON.parse(JSON.stringify(alert)));

      // Assess
      expect(result).to.deep.equal({ ok: true, value: alert });
    });
  }

  it("rejects a merchant_id of 65 astral code points", () => {
    // Prepare
    const codec = makeAlertCodec();

    // Act
    const result = codec.decode({ ...fraudAlert(), merchant_id: "\u{1F600}".repeat(65) });

    // Assess
    expect(!result.ok && result.errors.some((error) => error.startsWith("merchant_id: expected "))).to.be.ok;
  });

  it("rejects a body that is not an object", () => {
    // Prepare
    const codec = makeAlertCodec();

    // Act
    const result = codec.decode([1, 2]);

    // Assess
    expect(result.ok).to.equal(false);
    expect(!result.ok && result.errors[0].startsWith("body: expected ")).to.be.ok;
  });
});
