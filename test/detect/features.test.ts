import { expect } from "chai";
import type { Transaction } from "../../pipeline/runtime/contract/transaction";
import { DEFAULT_RULES_CONFIG } from "../../pipeline/runtime/detect/config";
import { computeFeatures, FEATURE_NAMES, FEATURES } from "../../pipeline/runtime/detect/features/registry";
import { summarise } from "../../pipeline/runtime/detect/features/summary";
import { haversineKm } from "../../pipeline/runtime/detect/geo";
import { dayOf, type MerchantProfile } from "../../pipeline/runtime/detect/merchant-risk";
import { fullTransaction } from "../helpers/transactions";

const MINUTE_MS = 60_000;
const DAY_MS = 24 * 60 * MINUTE_MS;
/** Tuesday 2025-11-25 12:00 UTC. */
const NOW = Date.UTC(2025, 10, 25, 12, 0, 0);
const NEW_YORK = { latitude: 40.7128, longitude: -74.006 };
const PARIS = { latitude: 48.8566, longitude: 2.3522 };

function earlier(id: string, agoMs: number, amount: number, merchant: string): Transaction {
  return fullTransaction({
    transaction_id: id,
    timestamp: NOW - agoMs,
    amount,
    merchant_id: merchant,
    location: NEW_YORK,
  });
}

/** 100.00 USD 20 days ago, 50.00 USD 3 days ago, 150.00 USD 30 minutes ago, in New York. */
const HISTORY = [
  earlier("h0", 20 * DAY_MS, 100_00, "merchant-0001"),
  earlier("h1", 3 * DAY_MS, 50_00, "merchant-0001"),
  earlier("h2", 30 * MINUTE_MS, 150_00, "merchant-0002"),
];

/** 250.00 USD in Paris at a merchant the account never used. */
const TX = fullTransaction({
  transaction_id: "tx-now",
  timestamp: NOW,
  amount: 250_00,
  merchant_id: "merchant-new",
  location: PARIS,
  country: "FR",
});

/** Today 3 seen / 1 fraud, 2 days ago 10 / 0, 10 days ago 20 / 2, 40 days ago (outside every window) 100 / 50. */
const PROFILE: MerchantProfile = new Map([
  [dayOf(NOW), { transactions: 3, frauds: 1 }],
  [dayOf(NOW) - 2, { transactions: 10, frauds: 0 }],
  [dayOf(NOW) - 10, { transactions: 20, frauds: 2 }],
  [dayOf(NOW) - 40, { transactions: 100, frauds: 50 }],
]);

function vectorOf(tx: Transaction, history: readonly Transaction[], profile: MerchantProfile) {
  const vector = computeFeatures(summarise(tx, history, profile, DEFAULT_RULES_CONFIG));
  return Object.fromEntries(FEATURE_NAMES.map((name, i) => [name, vector[i]]));
}

function assertFeatures(actual: Record<string, number>, expected: Record<string, number>) {
  expect(Object.keys(expected).sort(), "every feature has a hand-computed value").to.deep.equal(
    [...FEATURE_NAMES].sort(),
  );
  for (const name of FEATURE_NAMES) {
    expect(
      Math.abs(actual[name] - expected[name]) < 1e-9,
      `${name}: expected ${expected[name]}, got ${actual[name]}`,
    ).to.be.ok;
  }
}

describe("Function: computeFeatures", () => {
  it("computes every feature of a transaction with history and a merchant profile, hand-computed", () => {
    // Act
    const features = vectorOf(TX, HISTORY, PROFILE);

    // Assess
    const speedKmh = haversineKm(NEW_YORK, PARIS) / 0.5;
    assertFeatures(features, {
      amount: 250_00,
      amount_log: Math.log1p(250_00),
      account_count_1h: 1,
      account_count_1d: 1,
      account_mean_amount_1d: 150_00,
      account_amount_log_ratio_1d: Math.log(250 / 150),
      account_count_7d: 2,
      account_mean_amount_7d: 100_00,
      account_amount_log_ratio_7d: Math.log(2.5),
      account_count_30d: 3,
      account_mean_amount_30d: 100_00,
      account_amount_log_ratio_30d: Math.log(2.5),
      hour_of_day: 12,
      is_night: 0,
      day_of_week: 2,
      is_weekend: 0,
      log_seconds_since_previous: Math.log1p(30 * 60),
      merchant_new_for_account: 1,
      country_new_for_account: 1,
      merchant_count_1d: 3,
      merchant_frauds_1d: 1,
      merchant_fraud_rate_1d: 1 / 4,
      merchant_count_7d: 13,
      merchant_frauds_7d: 1,
      merchant_fraud_rate_7d: 1 / 14,
      merchant_count_30d: 33,
      merchant_frauds_30d: 3,
      merchant_fraud_rate_30d: 3 / 34,
      high_amount_multiple: 250_00 / 1_000_000,
      amount_spike_multiple: 1,
      velocity_count: 1,
      travel_speed_log: Math.log1p(speedKmh),
      card_testing_run: 0,
      repeated_charges: 0,
    });
  });

  it("gives neutral values to a first transaction: no history, no profile", () => {
    // Prepare: 03:30 UTC on a Saturday
    const first = fullTransaction({ timestamp: Date.UTC(2025, 10, 29, 3, 30), amount: 80_00 });

    // Act
    const features = vectorOf(first, [], new Map());

    // Assess
    assertFeatures(features, {
      amount: 80_00,
      amount_log: Math.log1p(80_00),
      account_count_1h: 0,
      account_count_1d: 0,
      account_mean_amount_1d: 80_00,
      account_amount_log_ratio_1d: 0,
      account_count_7d: 0,
      account_mean_amount_7d: 80_00,
      account_amount_log_ratio_7d: 0,
      account_count_30d: 0,
      account_mean_amount_30d: 80_00,
      account_amount_log_ratio_30d: 0,
      hour_of_day: 3.5,
      is_night: 1,
      day_of_week: 6,
      is_weekend: 1,
      log_seconds_since_previous: Math.log1p(DEFAULT_RULES_CONFIG.history.windowMs / 1000),
      merchant_new_for_account: 0,
      country_new_for_account: 0,
      merchant_count_1d: 0,
      merchant_frauds_1d: 0,
      merchant_fraud_rate_1d: 0,
      merchant_count_7d: 0,
      merchant_frauds_7d: 0,
      merchant_fraud_rate_7d: 0,
      merchant_count_30d: 0,
      merchant_frauds_30d: 0,
      merchant_fraud_rate_30d: 0,
      high_amount_multiple: 80_00 / 1_000_000,
      amount_spike_multiple: 1,
      velocity_count: 1,
      travel_speed_log: 0,
      card_testing_run: 0,
      repeated_charges: 0,
    });
  });

  it("caps a merchant's fraud rate at 1 when learned frauds outnumber a quiet day's transactions", () => {
    // Prepare
    const profile: MerchantProfile = new Map([[dayOf(NOW), { transactions: 0, frauds: 5 }]]);

    // Act
    const features = vectorOf(TX, HISTORY, profile);

    // Assess
    expect(features.merchant_fraud_rate_1d).to.equal(1);
  });

  it("counts the tiny run before a transaction and repeats of the same charge", () => {
    // Prepare: three 1.00 USD probes a minute apart at the merchant, then the same 1.00 USD again
    const probes = [3, 2, 1].map((m) => earlier(`p${m}`, m * MINUTE_MS, 1_00, "merchant-new"));
    const again = { ...TX, amount: 1_00, location: NEW_YORK };

    // Act
    const features = vectorOf(again, probes, new Map());

    // Assess
    expect(features.card_testing_run).to.equal(3);
    expect(features.repeated_charges).to.equal(3);
    expect(features.velocity_count).to.equal(4);
    expect(features.merchant_new_for_account).to.equal(0);
  });
});

describe("Constant: FEATURES", () => {
  it("has a unique snake_case name, a description and a reason for every feature", () => {
    // Prepare
    const summary = summarise(TX, HISTORY, PROFILE, DEFAULT_RULES_CONFIG);

    // Assess
    expect(new Set(FEATURE_NAMES).size).to.equal(FEATURE_NAMES.length);
    for (const feature of FEATURES) {
      expect(feature.name).to.match(/^[a-z][a-z0-9_]*$/);
      expect(feature.description.length > 10, feature.name).to.be.ok;
      expect(feature.reason(summary).length > 5, feature.name).to.be.ok;
    }
  });
});
