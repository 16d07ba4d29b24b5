/**
 * One feature pipeline, three callers: the deployed detect-fraud handler, the local runner and the
 * backtest must compute the same feature vector for the same transaction. Each scores the same
 * transactions with a probe model whose score depends on every feature (a non-zero weight each,
 * standardised with the vectors' own mean and spread, so no term saturates): equal scores to four
 * decimals and equal reasons mean equal vectors.
 */
import { expect } from "chai";
import { runBacktest } from "../../local/backtest/run";
import { seededRandom } from "../../local/faults";
import { makeMerchantRiskStore } from "../../local/merchant-risk-store";
import { makeTransactionCodec } from "../../pipeline/runtime/contract/codec";
import { ITEM_ATTRIBUTES } from "../../pipeline/runtime/contract/item";
import type { Transaction } from "../../pipeline/runtime/contract/transaction";
import { DEFAULT_RULES_CONFIG } from "../../pipeline/runtime/detect/config";
import { FEATURE_NAMES } from "../../pipeline/runtime/detect/features/registry";
import { makeDetectHandler } from "../../pipeline/runtime/detect/handler";
import { type FraudModel, parseFraudModel } from "../../pipeline/runtime/detect/model/format";
import { memoryAlerts, memoryLog, memoryMetrics, memoryVerdicts } from "../helpers/detect";
import { postJson, useTestPipelines } from "../helpers/local";
import { insertRecord, streamEvent } from "../helpers/streams";
import { lambdaContext } from "../helpers/transactions";

const MINUTE_MS = 60_000;
const BATCH_SIZE = 7;

/** 60 transactions of 3 accounts at 4 merchants over the last two days, in event-time order. */
function transactions(now: number): Transaction[] {
  const random = seededRandom(7);
  const places = [
    { latitude: 40.71, longitude: -74.0, country: "US" },
    { latitude: 51.51, longitude: -0.13, country: "GB" },
  ];
  let at = now - 2 * 24 * 60 * MINUTE_MS;
  return Array.from({ length: 60 }, (_, i) => {
    at += Math.floor(random() * 90 * MINUTE_MS);
    const place = places[random() < 0.2 ? 1 : 0];
    return {
      transaction_id: `parity-${i}`,
      account_id: `acct-${i % 3}`,
      amount: random() < 0.1 ? 1_00 : 5_00 + Math.floor(random() * 200_00),
      currency: "USD",
      timestamp: Math.min(at, now - MINUTE_MS),
      merchant_id: `merchant-${Math.floor(random() * 4)}`,
      location: { latitude: place.latitude, longitude: place.longitude },
      country: place.country,
    };
  });
}

/** A model with a distinct non-zero weight per feature, standardised on `vectors`. */
function probeModel(vectors: readonly Float64Array[]): FraudModel {
  const n = FEATURE_NAMES.length;
  const mean = FEATURE_NAMES.map((_, i) => vectors.reduce((sum, v) => sum + v[i], 0) / vectors.length);
  const scale = FEATURE_NAMES.map((_, i) => {
    const variance = vectors.reduce((sum, v) => sum + (v[i] - mean[i]) ** 2, 0) / vectors.length;
    return variance > 0 ? Math.sqrt(variance) : 1;
  });
  const weights = FEATURE_NAMES.map((_, i) => (i % 2 === 0 ? 1 : -1) * (0.05 + i / (10 * n)));
  const document = {
    format: "fraud-model",
    version: 1,
    kind: "logistic-regression",
    features: FEATURE_NAMES,
    mean,
    scale,
    weights,
    intercept: -1,
    threshold: 50,
    training: { from: "", until: "", rows: 0, frauds: 0, labelDelayDays: 7, seed: 1 },
    validation: { from: "", until: "", rows: 0, frauds: 0, rocAuc: null, averagePrecision: null },
  };
  return parseFraudModel(JSON.stringify(document), FEATURE_NAMES);
}

/** The deployed handler over in-memory ports that behave like the table, its index and the merchant-risk table. */
async function detectScores(txs: readonly Transaction[], model: FraudModel) {
  const stored: Transaction[] = [];
  const verdicts = memoryVerdicts();
  const merchants = makeMerchantRiskStore({ now: Date.now() });
  const handler = makeDetectHandler({
    history: {
      async recentForAccount(accountId, since, until, limit) {
        return stored
          .filter((tx) => tx.account_id === accountId && tx.timestamp >= since && tx.timestamp <= until)
          .sort((a, b) => b.timestamp - a.timestamp)
          .slice(0, limit);
      },
    },
    verdicts: verdicts.port,
    alerts: memoryAlerts().port,
    merchantProfiles: merchants,
    merchantCounts: merchants,
    config: DEFAULT_RULES_CONFIG,
    model,
    codec: makeTransactionCodec(),
    now: Date.now,
    log: memoryLog().port,
    metrics: memoryMetrics().port,
  });
  for (let i = 0; i < txs.length; i += BATCH_SIZE) {
    const batch = txs.slice(i, i + BATCH_SIZE);
    // The table holds a batch's items before its stream records reach the function.
    stored.push(...batch);
    const response = await handler(streamEvent(batch.map((tx) => insertRecord(tx))), lambdaContext());
    expect(response).to.deep.equal({ batchItemFailures: [] });
  }
  return new Map(
    verdicts.written.map((w) => [
      w.key.transaction_id,
      { score: w.verdict.score, reasons: w.verdict.reasons },
    ]),
  );
}

describe("Parity: detect-fraud, the local runner and the backtest", () => {
  const pipelines = useTestPipelines();

  it("compute identical feature vectors for the same transactions", async () => {
    // Prepare
    const txs = transactions(Date.now());
    const warmUp = await runBacktest(txs, { keepFeatures: true });
    const model = probeModel(warmUp.scored.map((row) => row.features as Float64Array));

    // Act
    const backtest = await runBacktest(txs, { model, keepRows: true });
    const detect = await detectScores(txs, model);
    const local = await pipelines.start({ model });
    for (const tx of txs) {
      expect((await postJson(local.url, "/transactions", tx)).status).to.equal(201);
      await local.idle();
    }

    // Assess
    const scores = backtest.scored.map((row) => row.assessment.score);
    expect(new Set(scores).size > txs.length / 2, "the probe model tells the transactions apart").to.be.ok;
    for (const row of backtest.scored) {
      const id = row.tx.transaction_id;
      const expected = { score: row.assessment.score, reasons: row.assessment.reasons };
      expect(detect.get(id), `detect-fraud, ${id}`).to.deep.equal(expected);
      const item = local.table.get({ transaction_id: id, timestamp: row.tx.timestamp });
      expect(
        { score: item?.[ITEM_ATTRIBUTES.score], reasons: item?.[ITEM_ATTRIBUTES.reasons] },
        `local runner, ${id}`,
      ).to.deep.equal(expected);
    }
  });
});
