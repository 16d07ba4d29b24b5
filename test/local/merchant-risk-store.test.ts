import { expect } from "chai";
import { makeMerchantRiskStore, merchantIncrementsOf } from "../../local/merchant-risk-store";
import {
  dayOf,
  expiresAtSeconds,
  MERCHANT_RISK_RETENTION_DAYS,
  transactionsAttribute,
} from "../../pipeline/runtime/detect/merchant-risk";
import { FIXED_NOW } from "../helpers/transactions";

const DAY = dayOf(FIXED_NOW);
const DAY_MS = 86_400_000;

describe("Function: makeMerchantRiskStore", () => {
  it("keeps the deployed item layout: ADDed counters, expiry from now, stale buckets removed", async () => {
    // Prepare
    const store = makeMerchantRiskStore({ now: FIXED_NOW });
    await store.addToBuckets(
      [{ merchantId: "m-1", day: DAY - MERCHANT_RISK_RETENTION_DAYS, transactions: 4, frauds: 0 }],
      FIXED_NOW - MERCHANT_RISK_RETENTION_DAYS * DAY_MS,
    );

    // Act
    await store.addToBuckets(
      [
        { merchantId: "m-1", day: DAY, transactions: 1, frauds: 0 },
        { merchantId: "m-1", day: DAY, transactions: 1, frauds: 1 },
        { merchantId: "m-2", day: DAY, transactions: 0, frauds: 0 },
      ],
      FIXED_NOW,
    );
    const profiles = await store.profiles(["m-1", "m-2", "m-1"]);

    // Assess
    expect([...profiles]).to.deep.equal([
      [
        "m-1",
        {
          merchant_id: "m-1",
          [`tx_${DAY}`]: 2,
          [`fraud_${DAY}`]: 1,
          expires_at: expiresAtSeconds(FIXED_NOW),
        },
      ],
    ]);
    expect(store.size()).to.equal(1);
  });

  it("hands out copies: a reader cannot change the stored item", async () => {
    // Prepare
    const store = makeMerchantRiskStore({ now: FIXED_NOW });
    await store.addToBuckets([{ merchantId: "m-1", day: DAY, transactions: 1, frauds: 0 }], FIXED_NOW);
    const first = (await store.profiles(["m-1"])).get("m-1") as Record<string, number>;

    // Act
    first[transactionsAttribute(DAY)] = 99;

    // Assess
    const again = (await store.profiles(["m-1"])).get("m-1") as Record<string, number>;
    expect(again[transactionsAttribute(DAY)]).to.equal(1);
  });

  it("seeds the profiles from recovered table items", async () => {
    // Prepare
    const recovered = [
      { transaction_id: "t1", timestamp: FIXED_NOW - DAY_MS, merchant_id: "m-1", verdict: "cleared" },
      {
        transaction_id: "t2",
        timestamp: FIXED_NOW - 2 * DAY_MS,
        merchant_id: "m-1",
        verdict: "flagged",
        outcome: "fraud",
        outcome_received_at: FIXED_NOW,
      },
    ];

    // Act
    const store = makeMerchantRiskStore({ recovered, now: FIXED_NOW });

    // Assess
    expect((await store.profiles(["m-1"])).get("m-1")).to.deep.equal({
      merchant_id: "m-1",
      [`tx_${DAY - 1}`]: 1,
      [`tx_${DAY - 2}`]: 1,
      [`fraud_${DAY}`]: 1,
      expires_at: expiresAtSeconds(FIXED_NOW),
    });
  });
});

describe("Function: merchantIncrementsOf", () => {
  it("counts a verdict on the event day and a fraud outcome on its receive day, and nothing else", () => {
    // Prepare
    const items = [
      { transaction_id: "t1", timestamp: FIXED_NOW, merchant_id: "m-1" },
      {
        transaction_id: "t2",
        timestamp: FIXED_NOW,
        merchant_id: "m-1",
        verdict: "cleared",
        outcome: "legitimate",
      },
      {
        transaction_id: "t3",
        timestamp: FIXED_NOW - 3 * DAY_MS,
        merchant_id: "m-2",
        verdict: "flagged",
        outcome: "fraud",
        outcome_received_at: FIXED_NOW - DAY_MS,
      },
    ];

    // Act
    const increments = merchantIncrementsOf(items, FIXED_NOW);

    // Assess
    expect(increments).to.deep.equal([
      { merchantId: "m-1", day: DAY, transactions: 1, frauds: 0 },
      { merchantId: "m-2", day: DAY - 3, transactions: 1, frauds: 0 },
      { merchantId: "m-2", day: DAY - 1, transactions: 0, frauds: 1 },
    ]);
  });

  it("leaves out days a write at now would already have removed", () => {
    // Prepare
    const at = (days: number) => ({
      transaction_id: `t${days}`,
      timestamp: FIXED_NOW - days * DAY_MS,
      merchant_id: "m-1",
      verdict: "cleared",
    });

    // Act
    const days = merchantIncrementsOf(
      [at(MERCHANT_RISK_RETENTION_DAYS - 1), at(MERCHANT_RISK_RETENTION_DAYS)],
      FIXED_NOW,
    ).map((inc) => DAY - inc.day);

    // Assess
    expect(days).to.deep.equal([MERCHANT_RISK_RETENTION_DAYS - 1]);
  });
});
