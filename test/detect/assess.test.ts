import assert from "node:assert/strict";
import fc from "fast-check";
import { assessTransaction, toAlert, toVerdict } from "../../pipeline/runtime/detect/assess";
import { DEFAULT_RULES_CONFIG } from "../../pipeline/runtime/detect/config";
import { selectHistory } from "../../pipeline/runtime/detect/history";
import { current, rulesConfig, series } from "../helpers/detect";
import { FIXED_NOW, transactionArbitrary } from "../helpers/transactions";

const HOUR_MS = 3_600_000;
const MAX_SCORES = new Map(
  [
    ["high-amount", DEFAULT_RULES_CONFIG.rules.highAmount],
    ["amount-spike", DEFAULT_RULES_CONFIG.rules.amountSpike],
    ["velocity", DEFAULT_RULES_CONFIG.rules.velocity],
    ["impossible-travel", DEFAULT_RULES_CONFIG.rules.impossibleTravel],
    ["card-testing", DEFAULT_RULES_CONFIG.rules.cardTesting],
    ["repeated-charge", DEFAULT_RULES_CONFIG.rules.repeatedCharge],
  ].map(([rule, params]) => [rule as string, (params as { maxScore: number }).maxScore]),
);

/** Five hourly purchases of 100.00 USD, then 15,000.00 USD: high-amount 60 + amount-spike 70. */
const typical = series(5, { amount: 100_00, stepMs: HOUR_MS });
const spike = current({ amount: 15_000_00 });

describe("Function: assessTransaction", () => {
  it("clears an ordinary transaction with no hits", () => {
    // Act
    const assessment = assessTransaction(current(), typical, DEFAULT_RULES_CONFIG);

    // Assess
    assert.deepEqual(assessment, { score: 0, flagged: false, hits: [] });
  });

  it("adds up the scores of the rules that fired, highest first", () => {
    // Act
    const assessment = assessTransaction(spike, typical, DEFAULT_RULES_CONFIG);

    // Assess
    assert.equal(assessment.score, 130);
    assert.equal(assessment.flagged, true);
    assert.deepEqual(
      assessment.hits.map((h) => [h.rule, h.score]),
      [
        ["amount-spike", 70],
        ["high-amount", 60],
      ],
    );
  });

  it("flags at exactly the threshold and not a hundredth below it", () => {
    // Prepare
    const atThreshold = rulesConfig({ threshold: 130 });
    const aboveScore = rulesConfig({ threshold: 130.01 });

    // Act
    const flagged = assessTransaction(spike, typical, atThreshold);
    const cleared = assessTransaction(spike, typical, aboveScore);

    // Assess
    assert.equal(flagged.flagged, true);
    assert.equal(cleared.flagged, false);
    assert.equal(cleared.hits.length, 2, "a cleared transaction still explains its hits");
  });

  it("leaves out a rule switched off with maxScore 0", () => {
    // Prepare
    const config = rulesConfig({ rules: { amountSpike: { maxScore: 0 } } });

    // Act
    const assessment = assessTransaction(spike, typical, config);

    // Assess
    assert.deepEqual(
      assessment.hits.map((h) => h.rule),
      ["high-amount"],
    );
    assert.equal(assessment.score, 60);
  });

  it("never throws, sums its hits, sorts them and caps each (property)", () => {
    const earlier = fc.tuple(
      transactionArbitrary({ now: FIXED_NOW }),
      fc.integer({ min: 0, max: 2 * HOUR_MS }),
      fc.boolean(),
    );
    fc.assert(
      fc.property(
        transactionArbitrary({ now: FIXED_NOW }),
        fc.array(earlier, { maxLength: 30 }),
        (tx, others) => {
          // Prepare
          const candidates = others.map(([other, ago, sameAccount]) => ({
            ...other,
            account_id: sameAccount ? tx.account_id : other.account_id,
            timestamp: tx.timestamp - ago,
          }));
          const history = selectHistory(tx, candidates, DEFAULT_RULES_CONFIG);

          // Act
          const assessment = assessTransaction(tx, history, DEFAULT_RULES_CONFIG);

          // Assess
          const sum = assessment.hits.reduce((total, hit) => total + hit.score, 0);
          assert.ok(Math.abs(assessment.score - sum) < 0.005);
          assert.equal(assessment.flagged, assessment.score >= DEFAULT_RULES_CONFIG.threshold);
          for (const [i, hit] of assessment.hits.entries()) {
            assert.ok(
              hit.score > 0 && hit.score <= (MAX_SCORES.get(hit.rule) ?? 0),
              `${hit.rule} scored ${hit.score}`,
            );
            assert.ok(hit.reason.length > 0);
            if (i > 0) assert.ok(assessment.hits[i - 1].score >= hit.score);
          }
        },
      ),
    );
  });
});

describe("Function: toVerdict", () => {
  it("records the verdict, score and rule names of an assessment", () => {
    // Prepare
    const assessment = assessTransaction(spike, typical, DEFAULT_RULES_CONFIG);

    // Act
    const verdict = toVerdict(assessment, FIXED_NOW + 5);

    // Assess
    assert.deepEqual(verdict, {
      verdict: "flagged",
      score: 130,
      rules: ["amount-spike", "high-amount"],
      decidedAt: FIXED_NOW + 5,
    });
  });

  it("clears an assessment below the threshold", () => {
    // Act
    const verdict = toVerdict({ score: 0, flagged: false, hits: [] }, FIXED_NOW);

    // Assess
    assert.deepEqual(verdict, { verdict: "cleared", score: 0, rules: [], decidedAt: FIXED_NOW });
  });
});

describe("Function: toAlert", () => {
  it("carries the transaction's identifying fields, the score and the hits with their reasons", () => {
    // Prepare
    const assessment = assessTransaction(spike, typical, DEFAULT_RULES_CONFIG);

    // Act
    const alert = toAlert(spike, assessment, FIXED_NOW + 5);

    // Assess
    assert.deepEqual(alert, {
      transaction_id: spike.transaction_id,
      account_id: spike.account_id,
      timestamp: spike.timestamp,
      amount: spike.amount,
      currency: spike.currency,
      merchant_id: spike.merchant_id,
      score: 130,
      rules: assessment.hits,
      detected_at: FIXED_NOW + 5,
    });
  });
});
