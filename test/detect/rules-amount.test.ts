import { expect } from "chai";
import fc from "fast-check";
import { DEFAULT_RULES_CONFIG } from "../../pipeline/runtime/detect/config";
import { amountSpike, median } from "../../pipeline/runtime/detect/rules/amount-spike";
import { highAmount } from "../../pipeline/runtime/detect/rules/high-amount";
import { gradedScore } from "../../pipeline/runtime/detect/rules/score";
import { current, rulesConfig, series } from "../helpers/detect";

const HIGH = DEFAULT_RULES_CONFIG.rules.highAmount;
const SPIKE = DEFAULT_RULES_CONFIG.rules.amountSpike;

describe("Function: gradedScore", () => {
  it("is baseScore at strength 1, grows linearly and stops at maxScore", () => {
    // Prepare
    const score = { baseScore: 40, maxScore: 80 };

    // Act
    const scores = [1, 1.5, 2, 3, Number.POSITIVE_INFINITY].map((s) => gradedScore(s, score));

    // Assess
    expect(scores).to.deep.equal([40, 60, 80, 80, 80]);
  });
});

describe("Function: highAmount", () => {
  it("stays quiet exactly at the currency's limit", () => {
    // Act
    const hit = highAmount(current({ amount: HIGH.limits.USD }), [], HIGH);

    // Assess
    expect(hit).to.equal(null);
  });

  it("fires just above the limit with baseScore", () => {
    // Act
    const hit = highAmount(current({ amount: HIGH.limits.USD + 1 }), [], HIGH);

    // Assess
    expect(hit).to.deep.equal({
      rule: "high-amount",
      score: 40,
      reason: "amount 10000.01 USD is 1.0x the limit of 10000.00 USD",
    });
  });

  it("grades the score with the multiple of the limit and caps it at maxScore", () => {
    // Prepare
    const amounts = [1.5, 2, 5].map((m) => HIGH.limits.USD * m);

    // Act
    const scores = amounts.map((amount) => highAmount(current({ amount }), [], HIGH)?.score);

    // Assess
    expect(scores).to.deep.equal([60, 80, 80]);
  });

  it("uses the per-currency limit in the currency's own minor unit", () => {
    // Act
    const atLimit = highAmount(current({ amount: 1_500_000, currency: "JPY" }), [], HIGH);
    const above = highAmount(current({ amount: 3_000_000, currency: "JPY" }), [], HIGH);

    // Assess
    expect(atLimit).to.equal(null);
    expect(above?.reason).to.equal("amount 3000000 JPY is 2.0x the limit of 1500000 JPY");
  });

  it("uses defaultLimit for an unlisted currency", () => {
    // Prepare
    const params = rulesConfig({ rules: { highAmount: { defaultLimit: 50_000 } } }).rules.highAmount;

    // Act
    const atLimit = highAmount(current({ amount: 50_000, currency: "CHF" }), [], params);
    const above = highAmount(current({ amount: 50_001, currency: "CHF" }), [], params);

    // Assess
    expect(atLimit).to.equal(null);
    expect(above?.rule).to.equal("high-amount");
  });

  it("is switched off by maxScore 0", () => {
    // Prepare
    const params = rulesConfig({ rules: { highAmount: { maxScore: 0 } } }).rules.highAmount;

    // Act
    const hit = highAmount(current({ amount: HIGH.limits.USD * 10 }), [], params);

    // Assess
    expect(hit).to.equal(null);
  });

  it("never scores less for a larger amount, and never more than maxScore (property)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 100_000_000_000 }),
        fc.integer({ min: 1, max: 100_000_000_000 }),
        (a, b) => {
          // Prepare
          const [small, large] = a <= b ? [a, b] : [b, a];

          // Act
          const smallScore = highAmount(current({ amount: small }), [], HIGH)?.score ?? 0;
          const largeScore = highAmount(current({ amount: large }), [], HIGH)?.score ?? 0;

          // Assess
          expect(smallScore <= largeScore, `${small} scored ${smallScore}, ${large} scored ${largeScore}`).to
            .be.ok;
          expect(largeScore <= HIGH.maxScore).to.be.ok;
        },
      ),
    );
  });
});

describe("Function: median", () => {
  it("takes the middle value of an odd count and the mean of the middle two of an even count", () => {
    // Act
    const odd = median([5, 1, 3]);
    const even = median([4, 1, 3, 2]);

    // Assess
    expect(odd).to.equal(3);
    expect(even).to.equal(2.5);
  });
});

describe("Function: amountSpike", () => {
  const typical = series(SPIKE.minHistory, { amount: 10_00 });

  it("stays quiet just below minMultiple times the median", () => {
    // Act
    const hit = amountSpike(current({ amount: 49_99 }), typical, SPIKE);

    // Assess
    expect(hit).to.equal(null);
  });

  it("fires exactly at minMultiple times the median with baseScore", () => {
    // Act
    const hit = amountSpike(current({ amount: 50_00 }), typical, SPIKE);

    // Assess
    expect(hit?.score).to.equal(SPIKE.baseScore);
  });

  it("fires just above minMultiple times the median", () => {
    // Act
    const hit = amountSpike(current({ amount: 50_01 }), typical, SPIKE);

    // Assess
    expect(hit?.rule).to.equal("amount-spike");
  });

  it("stays quiet with one transaction fewer than minHistory", () => {
    // Act
    const hit = amountSpike(current({ amount: 10_000_00 }), typical.slice(1), SPIKE);

    // Assess
    expect(hit).to.equal(null);
  });

  it("explains the multiple, the median and the history size", () => {
    // Prepare
    const history = series(12, { amount: 42_10 });

    // Act
    const hit = amountSpike(current({ amount: 345_22 }), history, SPIKE);

    // Assess
    expect(hit).to.deep.equal({
      rule: "amount-spike",
      score: 49.2,
      reason: "amount 8.2x the account's median of 42.10 USD over 12 transactions",
    });
  });

  it("grades the score with the multiple and caps it at maxScore", () => {
    // Prepare
    const amounts = [50_00, 75_00, 100_00, 10_000_00];

    // Act
    const scores = amounts.map((amount) => amountSpike(current({ amount }), typical, SPIKE)?.score);

    // Assess
    expect(scores).to.deep.equal([30, 45, 60, 70]);
  });

  it("uses the median, so one earlier large purchase does not hide a spike", () => {
    // Prepare
    const history = [...typical, ...series(1, { amount: 5_000_00, transaction_id: "big" })];

    // Act
    const hit = amountSpike(current({ amount: 50_00 }), history, SPIKE);

    // Assess
    expect(hit?.score).to.equal(SPIKE.baseScore);
  });

  it("only compares with history in the same currency", () => {
    // Prepare
    const euros = series(SPIKE.minHistory, { amount: 10_00, currency: "EUR" });

    // Act
    const hit = amountSpike(current({ amount: 1_000_00 }), euros, SPIKE);

    // Assess
    expect(hit).to.equal(null);
  });
});

describe("Function: median (property)", () => {
  it("equals the middle of the sorted list, or the mean of the two middles", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 1_000_000 }), { minLength: 1, maxLength: 300 }),
        (values) => {
          // Prepare
          const sorted = [...values].sort((a, b) => a - b);
          const middle = Math.floor(sorted.length / 2);
          const expected =
            sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;

          // Act + Assess
          expect(median(values)).to.equal(expected);
        },
      ),
    );
  });
});
