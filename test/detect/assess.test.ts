import { expect } from "chai";
import fc from "fast-check";
import {
  assessTransaction,
  assessWithFeatures,
  thresholdOf,
  toAlert,
  toVerdict,
} from "../../pipeline/runtime/detect/assess";
import { DEFAULT_RULES_CONFIG } from "../../pipeline/runtime/detect/config";
import { FEATURE_NAMES } from "../../pipeline/runtime/detect/features/registry";
import { selectHistory } from "../../pipeline/runtime/detect/history";
import { dayOf, emptyProfile, type MerchantProfile } from "../../pipeline/runtime/detect/merchant-risk";
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
    expect(assessment).to.deep.equal({ score: 0, flagged: false, scorer: "default", hits: [], reasons: [] });
  });

  it("adds up the scores of the rules that fired, highest first, and gives their reasons", () => {
    // Act
    const assessment = assessTransaction(spike, typical, RULES_ONLY);

    // Assess
    expect(assessment.score).to.equal(130);
    expect(assessment.flagged).to.equal(true);
    expect(assessment.hits.map((h) => [h.rule, h.score])).to.deep.equal([
      ["amount-spike", 70],
      ["high-amount", 60],
    ]);
    expect(assessment.reasons).to.deep.equal(assessment.hits.map((h) => h.reason));
  });

  it("flags at exactly the threshold and not a hundredth below it", () => {
    // Prepare
    const atThreshold = rulesOnlyConfig({ threshold: 130 });
    const aboveScore = rulesOnlyConfig({ threshold: 130.01 });

    // Act
    const flagged = assessTransaction(spike, typical, atThreshold);
    const cleared = assessTransaction(spike, typical, aboveScore);

    // Assess
    expect(flagged.flagged).to.equal(true);
    expect(cleared.flagged).to.equal(false);
    expect(cleared.hits.length, "a cleared transaction still explains its hits").to.equal(2);
  });

  it("leaves out a rule switched off with maxScore 0", () => {
    // Prepare
    const config = rulesOnlyConfig({ rules: { amountSpike: { maxScore: 0 } } });

    // Act
    const assessment = assessTransaction(spike, typical, config);

    // Assess
    expect(assessment.hits.map((h) => h.rule)).to.deep.equal(["high-amount"]);
    expect(assessment.score).to.equal(60);
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
    expect(assessment.score).to.equal(Math.round((60 + 40 + amountPoints) * 100) / 100);
    expect(assessment.flagged).to.equal(true);
    expect(assessment.reasons).to.deep.equal([
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
    expect(scores[0] > 0, `scored ${scores[0]}`).to.be.ok;
    expect(scores[0] < scores[1] && scores[1] < scores[2], `scores ${scores.join(", ")}`).to.be.ok;
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
    expect(Math.round((risky.score - plain.score) * 100) / 100).to.equal(50);
    expect(risky.reasons[0]).to.equal(
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
    expect(assessment.scorer).to.equal("model");
    expect(assessment.score).to.equal(Math.round(1_000_000 / (1 + Math.exp(-z))) / 10_000);
    expect(assessment.reasons).to.deep.equal(["amount 5000.00 USD"]);
    expect(
      assessment.hits.map((h) => h.rule),
      "the rules still run and travel with the assessment",
    ).to.deep.equal(["amount-spike"]);
  });

  it("gives no reason for a feature that lowered the score", () => {
    // Prepare
    const model = fraudModel({ amount_log: { weight: -1, mean: 0, scale: 1 } }, { intercept: 0 });

    // Act
    const assessment = assessTransaction(current(), typical, DEFAULT_RULES_CONFIG, new Map(), model);

    // Assess
    expect(assessment.reasons).to.deep.equal([]);
  });
});

describe("Function: thresholdOf", () => {
  it("uses the config threshold without a model, the model's with one, and modelThreshold above both", () => {
    // Prepare
    const model = fraudModel({}, { threshold: 37 });

    // Act + Assess
    expect(thresholdOf({ config: DEFAULT_RULES_CONFIG })).to.equal(DEFAULT_RULES_CONFIG.threshold);
    expect(thresholdOf({ config: DEFAULT_RULES_CONFIG, model })).to.equal(37);
    expect(thresholdOf({ config: rulesConfig({ modelThreshold: 12.5 }), model })).to.equal(12.5);
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
          expect(Number.isFinite(assessment.score)).to.be.ok;
          expect(assessment.score >= sum - 0.005, `score ${assessment.score} below its hits ${sum}`).to.be.ok;
          expect(assessment.flagged).to.equal(assessment.score >= DEFAULT_RULES_CONFIG.threshold);
          expect(assessment.reasons.length <= 3).to.be.ok;
          expect(new Set(assessment.reasons).size).to.equal(assessment.reasons.length);
          for (const [i, hit] of assessment.hits.entries()) {
            expect(
              hit.score > 0 && hit.score <= (MAX_SCORES.get(hit.rule) ?? 0),
              `${hit.rule} scored ${hit.score}`,
            ).to.be.ok;
            expect(hit.reason.length > 0).to.be.ok;
            if (i > 0) expect(assessment.hits[i - 1].score >= hit.score).to.be.ok;
          }
        },
      ),
    );
  });
});

describe("Function: assessWithFeatures (without reasons)", () => {
  it("gives the same score, flag, hits and vector as with reasons, and no reasons, for each scorer", () => {
    const earlier = fc.tuple(
      transactionArbitrary({ now: FIXED_NOW }),
      fc.integer({ min: 0, max: 40 * DAY_MS }),
    );
    const model = fraudModel(
      Object.fromEntries(
        FEATURE_NAMES.map((name, i) => [name, { weight: (i % 5) - 1.7, mean: i / 3, scale: 1.3 }]),
      ),
      { intercept: -1.1, threshold: 30 },
    );
    fc.assert(
      fc.property(
        transactionArbitrary({ now: FIXED_NOW }),
        fc.array(earlier, { maxLength: 20 }),
        (tx, others) => {
          // Prepare
          const candidates = others.map(([other, ago]) => ({
            ...other,
            account_id: tx.account_id,
            timestamp: tx.timestamp - ago,
          }));
          const history = selectHistory(tx, candidates, DEFAULT_RULES_CONFIG);
          for (const scoring of [{ config: DEFAULT_RULES_CONFIG }, { config: DEFAULT_RULES_CONFIG, model }]) {
            // Act
            const full = assessWithFeatures(tx, history, emptyProfile(), scoring);
            const bare = assessWithFeatures(tx, history, emptyProfile(), scoring, undefined, false);

            // Assess
            expect(bare.assessment).to.deep.equal({ ...full.assessment, reasons: [] });
            expect(Object.is(bare.assessment.score, full.assessment.score)).to.be.ok;
            expect(bare.features).to.deep.equal(full.features);
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
    expect(verdict).to.deep.equal({
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
    expect(verdict).to.deep.equal({
      verdict: "cleared",
      score: 0,
      rules: [],
      reasons: [],
      decidedAt: FIXED_NOW,
    });
  });
});

describe("Function: toAlert", () => {
  it("carries the transaction's identifying fields, the score, the hits and the reasons", () => {
    // Prepare
    const assessment = assessTransaction(spike, typical, RULES_ONLY);

    // Act
    const alert = toAlert(spike, assessment, FIXED_NOW + 5);

    // Assess
    expect(alert).to.deep.equal({
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
    expect(new Set(FEATURE_NAMES).size).to.equal(FEATURE_NAMES.length);
  });
});
