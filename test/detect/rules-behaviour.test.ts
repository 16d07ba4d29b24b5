import { expect } from "chai";
import { DEFAULT_RULES_CONFIG } from "../../pipeline/runtime/detect/config";
import { cardTesting } from "../../pipeline/runtime/detect/rules/card-testing";
import { repeatedCharge } from "../../pipeline/runtime/detect/rules/repeated-charge";
import { velocity } from "../../pipeline/runtime/detect/rules/velocity";
import { current, rulesConfig, series } from "../helpers/detect";
import { FIXED_NOW, validTransaction } from "../helpers/transactions";

const VELOCITY = DEFAULT_RULES_CONFIG.rules.velocity;
const CARD = DEFAULT_RULES_CONFIG.rules.cardTesting;
const REPEAT = DEFAULT_RULES_CONFIG.rules.repeatedCharge;

describe("Function: velocity", () => {
  const recent = (count: number) => series(count, { stepMs: 1000, endsBefore: 1000 });

  it("stays quiet at exactly maxCount transactions in the window", () => {
    // Act
    const hit = velocity(current(), recent(VELOCITY.maxCount - 1), VELOCITY);

    // Assess
    expect(hit).to.equal(null);
  });

  it("fires one transaction above maxCount and explains the count", () => {
    // Act
    const hit = velocity(current(), recent(VELOCITY.maxCount), VELOCITY);

    // Assess
    expect(hit).to.deep.equal({
      rule: "velocity",
      score: 30,
      reason: "6 transactions in 10 minutes, limit 5",
    });
  });

  it("grades the score with count / maxCount and caps it at maxScore", () => {
    // Prepare
    const counts = [7, 9, 30];

    // Act
    const scores = counts.map((count) => velocity(current(), recent(count - 1), VELOCITY)?.score);

    // Assess
    expect(scores).to.deep.equal([35, 45, 60]);
  });

  it("counts a transaction exactly windowMs old but not one a millisecond older", () => {
    // Prepare
    const inside = series(VELOCITY.maxCount, { stepMs: 0, endsBefore: VELOCITY.windowMs });
    const outside = series(VELOCITY.maxCount, { stepMs: 0, endsBefore: VELOCITY.windowMs + 1 });

    // Act
    const atEdge = velocity(current(), inside, VELOCITY);
    const beyond = velocity(current(), outside, VELOCITY);

    // Assess
    expect(atEdge?.rule).to.equal("velocity");
    expect(beyond).to.equal(null);
  });
});

describe("Function: repeatedCharge", () => {
  const same = { merchant_id: "m-42", amount: 19_99, currency: "USD" };

  it("fires on one identical charge within the window and explains it", () => {
    // Prepare
    const history = series(1, same);

    // Act
    const hit = repeatedCharge(current(same), history, REPEAT);

    // Assess
    expect(hit).to.deep.equal({
      rule: "repeated-charge",
      score: 30,
      reason: "1 earlier charge of 19.99 USD at merchant m-42 within 5 minutes",
    });
  });

  it("stays quiet when merchant, amount or currency differ", () => {
    // Prepare
    const variants = [{ merchant_id: "m-43" }, { amount: 20_00 }, { currency: "EUR" }];

    // Act
    const hits = variants.map((v) => repeatedCharge(current(same), series(1, { ...same, ...v }), REPEAT));

    // Assess
    expect(hits).to.deep.equal([null, null, null]);
  });

  it("counts a charge exactly windowMs old but not one a millisecond older", () => {
    // Act
    const atEdge = repeatedCharge(current(same), series(1, { ...same, endsBefore: REPEAT.windowMs }), REPEAT);
    const beyond = repeatedCharge(
      current(same),
      series(1, { ...same, endsBefore: REPEAT.windowMs + 1 }),
      REPEAT,
    );

    // Assess
    expect(atEdge?.score).to.equal(30);
    expect(beyond).to.equal(null);
  });

  it("needs minRepeats earlier charges and grades by repeats / minRepeats", () => {
    // Prepare
    const params = rulesConfig({ rules: { repeatedCharge: { minRepeats: 2, maxScore: 50 } } }).rules
      .repeatedCharge;

    // Act
    const scores = [1, 2, 3, 5].map(
      (n) => repeatedCharge(current(same), series(n, same), params)?.score ?? 0,
    );

    // Assess
    expect(scores).to.deep.equal([0, 30, 45, 50]);
  });
});

describe("Function: cardTesting", () => {
  const tiny = (count: number, amount = CARD.tinyMax) => series(count, { amount, stepMs: 10_000 });

  it("fires on minTinyRun tiny charges followed by one at largeMin, and explains it", () => {
    // Act
    const hit = cardTesting(current({ amount: CARD.largeMin }), tiny(CARD.minTinyRun), CARD);

    // Assess
    expect(hit).to.deep.equal({
      rule: "card-testing",
      score: 60,
      reason:
        "3 tiny transactions (at most 2.00 USD each) within 1 hour before this one of 100.00 USD, minimum run 3",
    });
  });

  it("stays quiet when the last charge is just below largeMin", () => {
    // Act
    const hit = cardTesting(current({ amount: CARD.largeMin - 1 }), tiny(CARD.minTinyRun), CARD);

    // Assess
    expect(hit).to.equal(null);
  });

  it("stays quiet with a run one shorter than minTinyRun", () => {
    // Act
    const hit = cardTesting(current({ amount: CARD.largeMin }), tiny(CARD.minTinyRun - 1), CARD);

    // Assess
    expect(hit).to.equal(null);
  });

  it("does not count a charge just above tinyMax, which ends the run", () => {
    // Prepare
    const history = [
      ...tiny(CARD.minTinyRun),
      validTransaction({ transaction_id: "mid", amount: CARD.tinyMax + 1, timestamp: FIXED_NOW - 1 }),
    ];

    // Act
    const hit = cardTesting(current({ amount: CARD.largeMin }), history, CARD);

    // Assess
    expect(hit).to.equal(null);
  });

  it("counts tiny charges exactly windowMs old but not a millisecond older", () => {
    // Prepare
    const atEdge = series(CARD.minTinyRun, { amount: 1_00, stepMs: 0, endsBefore: CARD.windowMs });
    const beyond = series(CARD.minTinyRun, { amount: 1_00, stepMs: 0, endsBefore: CARD.windowMs + 1 });

    // Act
    const inside = cardTesting(current({ amount: CARD.largeMin }), atEdge, CARD);
    const outside = cardTesting(current({ amount: CARD.largeMin }), beyond, CARD);

    // Assess
    expect(inside?.score).to.equal(60);
    expect(outside).to.equal(null);
  });

  it("grades the score with run / minTinyRun and caps it at maxScore", () => {
    // Prepare
    const runs = [3, 4, 6];

    // Act
    const scores = runs.map((n) => cardTesting(current({ amount: CARD.largeMin }), tiny(n, 50), CARD)?.score);

    // Assess
    expect(scores).to.deep.equal([60, 80, 90]);
  });
});
