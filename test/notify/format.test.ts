import { expect } from "chai";
import fc from "fast-check";
import { formatAlert, maskAccount } from "../../pipeline/runtime/notify/format";
import { fraudAlert } from "../helpers/alerts";
import { FIXED_NOW } from "../helpers/transactions";

describe("Function: formatAlert", () => {
  it("names the transaction and score in the subject and carries the transaction id", () => {
    // Prepare
    const alert = fraudAlert({ transaction_id: "tx-42", score: 85 });

    // Act
    const notification = formatAlert(alert);

    // Assess
    expect(notification.subject).to.equal("Fraud alert: transaction tx-42 scored 85");
    expect(notification.transactionId).to.equal("tx-42");
  });

  it("keeps the subject under 100 printable ASCII characters for the longest ids and scores", () => {
    // Prepare
    const ids = fc.stringMatching(/^[A-Za-z0-9_-]{1,64}$/);
    const scores = fc.double({ noNaN: true, noDefaultInfinity: true });

    // Act + Assess
    fc.assert(
      fc.property(ids, scores, (id, score) => {
        const { subject } = formatAlert(fraudAlert({ transaction_id: id, score }));
        expect(subject.length < 100, subject).to.be.ok;
        expect(subject).to.match(/^[\x20-\x7e]+$/);
      }),
    );
  });

  it("truncates a long id in the middle, keeping its start and end, and keeps it whole in the body", () => {
    // Prepare
    const id = `START${"x".repeat(200)}END`;

    // Act
    const { subject, body } = formatAlert(fraudAlert({ transaction_id: id, score: 91.256 }));

    // Assess
    expect(subject).to.match(/^Fraud alert: transaction STARTx*\.\.\.x*END scored 91\.26$/);
    expect(subject.length <= 99).to.be.ok;
    expect(body.includes(id)).to.be.ok;
  });

  it("lists the score's top reasons, numbered, before the rules", () => {
    // Prepare
    const alert = fraudAlert({
      reasons: [
        "amount 12.5x this account's 30-day average of 400.00 USD (20 transactions)",
        "merchant m-9: 4 confirmed frauds among 31 transactions in the last 7 days",
      ],
    });

    // Act
    const { body } = formatAlert(alert);

    // Assess
    expect(
      body.includes(
        "Top reasons:\n  1. amount 12.5x this account's 30-day average of 400.00 USD (20 transactions)\n" +
          "  2. merchant m-9: 4 confirmed frauds among 31 transactions in the last 7 days\n",
      ),
      body,
    ).to.be.ok;
    expect(body.indexOf("Top reasons:") < body.indexOf("Rules that fired:")).to.be.ok;
  });

  it("says so when an alert carries no reasons (queued before reasons existed)", () => {
    // Act
    const { body } = formatAlert(fraudAlert({ reasons: [] }));

    // Assess
    expect(body.includes("Top reasons:\n  (no reasons in the alert)\n"), body).to.be.ok;
  });

  it("masks the account id to its last four characters", () => {
    // Prepare
    const alert = fraudAlert({ account_id: "acct-9876541234" });

    // Act
    const { subject, body } = formatAlert(alert);

    // Assess
    expect(body.includes("****1234")).to.be.ok;
    expect(body.includes("acct-9876541234")).to.equal(false);
    expect(subject.includes("1234")).to.equal(false);
  });

  it("explains each rule with its reason, the amount in major units, merchant and both times", () => {
    // Prepare
    const alert = fraudAlert({ amount: 123_456_789, currency: "USD", merchant_id: "merchant-77" });

    // Act
    const { body } = formatAlert(alert);

    // Assess
    expect(body.includes("1,234,567.89 USD")).to.be.ok;
    expect(body.includes("merchant-77")).to.be.ok;
    expect(body.includes(new Date(alert.timestamp).toISOString())).to.be.ok;
    expect(body.includes(new Date(FIXED_NOW).toISOString())).to.be.ok;
    for (const hit of alert.rules) {
      expect(body.includes(`${hit.rule} (score ${hit.score}): ${hit.reason}`), hit.rule).to.be.ok;
    }
  });

  it("uses the currency's own minor units", () => {
    // Prepare
    const yen = fraudAlert({ amount: 150_000, currency: "JPY" });
    const dinar = fraudAlert({ amount: 1_500, currency: "BHD" });

    // Act
    const yenBody = formatAlert(yen).body;
    const dinarBody = formatAlert(dinar).body;

    // Assess
    expect(yenBody.includes("150,000 JPY")).to.be.ok;
    expect(dinarBody.includes("1.500 BHD")).to.be.ok;
  });

  it("keeps a client-chosen merchant id on its own line and the body well-formed for SNS", () => {
    // Prepare: the contract accepts any merchant_id string, lone surrogates and line breaks included
    const merchant = "shop\r\nFraud score: 0\u2028\ud800\u0000end\u{1F600}";
    const alert = fraudAlert({
      merchant_id: merchant,
      rules: [{ rule: "repeated-charge", score: 30, reason: `1 earlier charge at merchant ${merchant}` }],
    });
    const plainLines = formatAlert(
      fraudAlert({ rules: alert.rules.map((hit) => ({ ...hit, reason: "r" })) }),
    ).body.split("\n").length;

    // Act
    const { body } = formatAlert(alert);

    // Assess: the SDK encodes an SNS Message with encodeURIComponent, which throws on lone surrogates
    expect(() => encodeURIComponent(body)).not.to.throw();
    expect(body.split("\n").length).to.equal(plainLines);
    for (const forbidden of ["\r", "\u2028", "\u0000", "\ud800"])
      expect(body.includes(forbidden)).to.equal(false);
    expect(
      body.includes("Merchant:    shop[U+000D][U+000A]Fraud score: 0[U+2028][U+D800][U+0000]end\u{1F600}"),
    ).to.be.ok;
  });

  it("shows bidi controls, zero-width and other invisible characters by their code points, in the merchant and the reasons", () => {
    // Prepare: stored before the contract refused them
    const hidden = [
      "\u202E",
      "\u202A",
      "\u2066",
      "\u2069",
      "\u200B",
      "\u200D",
      "\u200F",
      "\u2060",
      "\uFEFF",
      "\u00AD",
      "\u0085",
      "\u2029",
      "\u{E0041}",
    ];
    const merchant = `shop${hidden.join("")}exe.txt`;
    const alert = fraudAlert({
      merchant_id: merchant,
      reasons: [`first charge at merchant ${merchant}`],
      rules: [{ rule: "repeated-charge", score: 30, reason: `at ${merchant}` }],
    });

    // Act
    const { body } = formatAlert(alert);

    // Assess
    const shown =
      "shop[U+202E][U+202A][U+2066][U+2069][U+200B][U+200D][U+200F][U+2060][U+FEFF][U+00AD][U+0085][U+2029][U+E0041]exe.txt";
    expect(body).to.include(`Merchant:    ${shown}`);
    expect(body).to.include(`1. first charge at merchant ${shown}`);
    expect(body).to.include(`: at ${shown}`);
    expect(body.replaceAll("\n", "")).to.not.match(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u);
  });

  it("leaves visible text alone: accents, right-to-left letters, emoji with variation selectors", () => {
    // Prepare
    const merchant = "Caf\u00E9 \u05E9\u05DC\u05D5\u05DD \u2615\uFE0F \u{1F600}";

    // Act
    const { body } = formatAlert(fraudAlert({ merchant_id: merchant }));

    // Assess
    expect(body).to.include(`Merchant:    ${merchant}\n`);
  });

  it("says so when the alert carries no rule details", () => {
    // Prepare
    const alert = fraudAlert({ rules: [] });

    // Act
    const { body } = formatAlert(alert);

    // Assess
    expect(body).to.match(/no rule details/);
  });
});

describe("Function: maskAccount", () => {
  it("shows only the last four characters, and nothing of ids of four or fewer", () => {
    // Prepare
    const ids = ["acc-00015678", "12345", "1234", ""];

    // Act
    const masked = ids.map(maskAccount);

    // Assess
    expect(masked).to.deep.equal(["****5678", "****2345", "****", "****"]);
  });
});
