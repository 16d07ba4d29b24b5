import assert from "node:assert/strict";
import fc from "fast-check";
import { assessTransaction, thresholdOf, toAlert, toVerdict } from "../../pipeline/runtime/detect/assess";
import { DEFAULT_RULES_CONFIG } from "../../pipeline/runtime/detect/config";
import { FEATURE_NAMES } from "../../pipeline/runtime/detect/features/registry";
import { selectHistory } from "../../pipeline/runtime/detect/history";
import { dayOf, type MerchantProfile } from "../../pipeline/runtime/detect/merchant-risk";
import { current, rulesConfig, rulesOnlyConfig, series } from "../helpers/detect";
import { fraudModel } from "../helpers/model";
import { FIXED_NOW, transactionArbitrary } from "../helpers/transactions";

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const MAX_SCORES = new Map(
  Object.values(DEFAULT_RULES_CONFIG.rules).map((params, i) => [
    ["high-amount", "amount-spike", "velocity", "impossible-travel", "card-testing", "repeated-charge"][i],
    params.maxScore,
  ]),
);

/** Only the rules score: every signal of the default score weighs 0. */
const RULES_ONLY = rulesOnlyConfig();

/** Five hourly purchases of 100.00 USD, then 15,000.00 USD: high-amount 60 + amount-spike 70. */
const typical = series(5, { amount: 100_00, stepMs: HOUR_MS });
const spike = current({ amount: 15_000_00 });

describe("Function: assessTransaction (rules only)", () => {
  it("clears an ordinary transaction with no hits and no reasons", () => {
    // Act
    const assessment = assessTransaction(current(), typical, RULES_ONLY);

    // Assess
    assert.deepEqual(assessment, { score: 0, flagged: false, scorer: "default", hits: [], reasons: [] });
  });

  it("adds up the scores of the rules that fired, highest first, and gives their reasons", () => {
    // Act
    const assessment = assessTransaction(spike, typical, RULES_ONLY);

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
    assert.deepEqual(
      assessment.reasons,
      assessment.hits.map((h) => h.reason),
    );
  });

  it("flags at exactly the threshold and not a hundredth below it", () => {
    // Prepare
    const atThreshold = rulesOnlyConfig({ threshold: 130 });
    const aboveScore = rulesOnlyConfig({ threshold: 130.01 });

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
    const config = rulesOnlyConfig({ rules: { amountSpike: { maxScore: 0 } } });

    // Act
    const assessment = assessTransaction(spike, typical, config);

    // Assess
    assert.deepEqual(
      assessment.hits.map((h) => h.rule),
      ["high-amount"],
    );
    assert.equal(assessment.score, 60);
  });
});

describe("Function: assessTransaction (label-free default score)", () => {
  it("adds the account-amount and amount signals to the rules, hand-computed", () => {
    // Prepare: 1,000.00 USD after five of 100.00 USD is 10x the 30-day average
    const tx = current({ amount: 1_000_00 });

    // Act
    const assessment = assessTransaction(tx, typical, DEFAULT_RULES_CONFIG);

    // Assess: amount-spike 30 × 10/5 = 60; account amount 40 × ln 10 / ln 10 = 40;
    // amount 15 × ln(1 + 100000) / ln(1 + 1000000) = 12.50
    const amountPoints = (15 * Math.log1p(100_000)) / Math.log1p(1_000_000);
    assert.equal(assessment.score, Math.round((60 + 40 + amountPoints) * 100) / 100);
    assert.equal(assessment.flagged, true);
    assert.deepEqual(assessment.reasons, [
      "amount 10.0x the account's median of 100.00 USD over 5 transactions",
      "amount 10.0x this account's 30-day average of 100.00 USD (5 transactions)",
      "amount 1000.00 USD",
    ]);
  });

  it("ranks every transaction: a larger amount scores higher even when no rule fires", () => {
    // Act
    const scores = [10_00, 50_00, 120_00].map(
      (amount) => assessTransaction(current({ amount }), typical, DEFAULT_RULES_CONFIG).score,
    );

    // Assess
    assert.ok(scores[0] > 0, `scored ${scores[0]}`);
    assert.ok(scores[0] < scores[1] && scores[1] < scores[2], `scores ${scores.join(", ")}`);
  });

  it("weighs the merchant's confirmed-fraud rate in its riskiest window and says so", () => {
    // Prepare: 4 frauds learned 3 days ago among 30 transactions, 1 transaction today
    const day = dayOf(FIXED_NOW);
    const profile: MerchantProfile = new Map([
      [day, { transactions: 1, frauds: 0 }],
      [day - 3, { transactions: 30, frauds: 4 }],
    ]);

    // Act
    const plain = assessTransaction(current(), typical, DEFAULT_RULES_CONFIG);
    const risky = assessTransaction(current(), typical, DEFAULT_RULES_CONFIG, profile);

    // Assess: rate 4 / (31 + 1) = 0.125 reaches the full rate 0.1: 50 points
    assert.equal(Math.round((risky.score - plain.score) * 100) / 100, 50);
    assert.equal(
      risky.reasons[0],
      "merchant merchant-0001: 4 confirmed frauds among 31 transactions in the last 7 days",
    );
  });
});

describe("Function: assessTransaction (model)", () => {
  it("scores the model's probability × 100 and explains it by the model's own positive terms", () => {
    // Prepare: log-odds = -4 + 2 × (amount_log − 7)
    const model = fraudModel({ amount_log: { weight: 2, mean: 7, scale: 1 } }, { intercept: -4 });
    const tx = current({ amount: 5_000_00 });

    // Act
    const assessment = assessTransaction(tx, typical, DEFAULT_RULES_CONFIG, new Map(), model);

    // Assess
    const z = -4 + 2 * (Math.log1p(5_000_00) - 7);
    assert.equal(assessment.scorer, "model");
    assert.equal(assessment.score, Math.round(1_000_000 / (1 + Math.exp(-z))) / 10_000);
    assert.deepEqual(assessment.reasons, ["amount 5000.00 USD"]);
    assert.deepEqual(
      assessment.hits.map((h) => h.rule),
      ["amount-spike"],
      "the rules still run and travel with the assessment",
    );
  });

  it("gives no reason for a feature that lowered the score", () => {
    // Prepare
    const model = fraudModel({ amount_log: { weight: -1, mean: 0, scale: 1 } }, { intercept: 0 });

    // Act
    const assessment = assessTransaction(current(), typical, DEFAULT_RULES_CONFIG, new Map(), model);

    // Assess
    assert.deepEqual(assessment.reasons, []);
  });
});

describe("Function: thresholdOf", () => {
  it("uses the config threshold without a model, the model's with one, and modelThreshold above both", () => {
    // Prepare
    const model = fraudModel({}, { threshold: 37 });

    // Act + Assess
    assert.equal(thresholdOf({ config: DEFAULT_RULES_CONFIG }), DEFAULT_RULES_CONFIG.threshold);
    assert.equal(thresholdOf({ config: DEFAULT_RULES_CONFIG, model }), 37);
    assert.equal(thresholdOf({ config: rulesConfig({ modelThreshold: 12.5 }), model }), 12.5);
  });
});

describe("Function: assessTransaction (property)", () => {
  it("never throws, scores at least its hits, sorts and caps them, and gives at most 3 distinct reasons", () => {
    const earlier = fc.tuple(
      transactionArbitrary({ now: FIXED_NOW }),
      fc.integer({ min: 0, max: 40 * DAY_MS }),
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
          assert.ok(Number.isFinite(assessment.score));
          assert.ok(assessment.score >= sum - 0.005, `score ${assessment.score} below its hits ${sum}`);
          assert.equal(assessment.flagged, assessment.score >= DEFAULT_RULES_CONFIG.threshold);
          assert.ok(assessment.reasons.length <= 3);
          assert.equal(new Set(assessment.reasons).size, assessment.reasons.length);
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
  it("records the verdict, score, rule names and reasons of an assessment", () => {
    // Prepare
    const assessment = assessTransaction(spike, typical, RULES_ONLY);

    // Act
    const verdict = toVerdict(assessment, FIXED_NOW + 5);

    // Assess
    assert.deepEqual(verdict, {
      verdict: "flagged",
      score: 130,
      rules: ["amount-spike", "high-amount"],
      reasons: assessment.reasons,
      decidedAt: FIXED_NOW + 5,
    });
  });

  it("clears an assessment below the threshold", () => {
    // Act
    const verdict = toVerdict(
      { score: 0, flagged: false, scorer: "default", hits: [], reasons: [] },
      FIXED_NOW,
    );

    // Assess
    assert.deepEqual(verdict, { verdict: "cleared", score: 0, rules: [], reasons: [], decidedAt: FIXED_NOW });
  });
});

describe("Function: toAlert", () => {
  it("carries the transaction's identifying fields, the score, the hits and the reasons", () => {
    // Prepare
    const assessment = assessTransaction(spike, typical, RULES_ONLY);

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
      reasons: assessment.reasons,
      detected_at: FIXED_NOW + 5,
    });
  });
});

describe("Constant: FEATURE_NAMES", () => {
  it("has unique names", () => {
    assert.equal(new Set(FEATURE_NAMES).size, FEATURE_NAMES.length);
  });
});
