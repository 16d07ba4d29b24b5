import assert from "node:assert/strict";
import * as path from "node:path";
import type { LocalPipeline } from "../../local/pipeline";
import { ITEM_ATTRIBUTES, toItem } from "../../pipeline/runtime/contract/item";
import { OUTCOME_ATTRIBUTES } from "../../pipeline/runtime/contract/outcome";
import type { Transaction } from "../../pipeline/runtime/contract/transaction";
import {
  dayOf,
  decodeMerchantProfile,
  type MerchantProfile,
} from "../../pipeline/runtime/detect/merchant-risk";
import { liveTransaction, postJson, useTestPipelines } from "../helpers/local";
import { OUTCOME_ROUTE } from "../helpers/outcomes";

/** The outcome body for a stored transaction. */
const outcomeFor = (tx: Transaction, outcome: string, extra: Record<string, unknown> = {}) => ({
  transaction_id: tx.transaction_id,
  timestamp: tx.timestamp,
  outcome,
  source: "chargeback",
  ...extra,
});

/** Day of the stored item's outcome_received_at: the bucket a fraud must be counted in. */
function receiveDay(local: LocalPipeline, tx: Transaction): number {
  const item = local.table.get({ transaction_id: tx.transaction_id, timestamp: tx.timestamp });
  return dayOf(Number(item?.[OUTCOME_ATTRIBUTES.receivedAt]));
}

function totals(profile: MerchantProfile) {
  const counts = [...profile.values()];
  return {
    transactions: counts.reduce((sum, c) => sum + c.transactions, 0),
    frauds: counts.reduce((sum, c) => sum + c.frauds, 0),
  };
}

async function profileOf(local: LocalPipeline, merchantId: string) {
  return decodeMerchantProfile((await local.merchantRisk.profiles([merchantId])).get(merchantId));
}

describe("Local: POST /transactions/outcomes", () => {
  const pipelines = useTestPipelines();

  it("records, repeats, contradicts and misses like the deployed endpoint, counting the fraud once", async () => {
    // Prepare
    const local = await pipelines.start();
    const tx = liveTransaction({ transaction_id: "tx-outcome-1", merchant_id: "merchant-outcomes" });
    assert.equal((await postJson(local.url, "/transactions", tx)).status, 201);
    await local.idle();

    // Act
    const recorded = await postJson(
      local.url,
      OUTCOME_ROUTE,
      outcomeFor(tx, "fraud", { reported_at: Date.now() }),
    );
    const repeat = await postJson(local.url, OUTCOME_ROUTE, outcomeFor(tx, "fraud", { source: "dispute" }));
    const contradicting = await postJson(local.url, OUTCOME_ROUTE, outcomeFor(tx, "legitimate"));
    const unknown = await postJson(
      local.url,
      OUTCOME_ROUTE,
      outcomeFor({ ...tx, transaction_id: "tx-never-posted" }, "fraud"),
    );

    // Assess
    assert.equal(recorded.status, 201);
    assert.deepEqual(recorded.body, {
      transaction_id: tx.transaction_id,
      timestamp: tx.timestamp,
      outcome: "fraud",
      status: "recorded",
    });
    assert.equal(repeat.status, 200);
    assert.equal(repeat.body.status, "duplicate");
    assert.equal(contradicting.status, 409);
    assert.equal(contradicting.body.recorded_outcome, "fraud");
    assert.equal(unknown.status, 404);
    assert.deepEqual(
      [unknown.body.transaction_id, unknown.body.timestamp],
      ["tx-never-posted", tx.timestamp],
    );
    assert.ok(recorded.headers.get("x-amzn-requestid"));

    const item = local.table.get({ transaction_id: tx.transaction_id, timestamp: tx.timestamp });
    assert.equal(item?.[OUTCOME_ATTRIBUTES.outcome], "fraud");
    assert.equal(item?.[OUTCOME_ATTRIBUTES.source], "chargeback");
    const profile = await profileOf(local, "merchant-outcomes");
    assert.equal(totals(profile).frauds, 1);
    assert.equal(profile.get(receiveDay(local, tx))?.frauds, 1);
  });

  it("answers the gateway's 400 naming the fields the model rejects, and the handler's for a future reported_at", async () => {
    // Prepare
    const local = await pipelines.start();
    const tx = liveTransaction({ transaction_id: "tx-outcome-2" });
    await postJson(local.url, "/transactions", tx);

    // Act
    const byModel = await postJson(local.url, OUTCOME_ROUTE, {
      transaction_id: "tx outcome",
      timestamp: tx.timestamp,
      outcome: "stolen",
      note: "x",
    });
    const byHandler = await postJson(
      local.url,
      OUTCOME_ROUTE,
      outcomeFor(tx, "fraud", { reported_at: Date.now() + 3_600_000 }),
    );

    // Assess
    assert.equal(byModel.status, 400);
    assert.equal(byModel.body.error, "invalid_request");
    for (const field of ["transaction_id", "outcome", "source", "note"]) {
      assert.match(String(byModel.body.message), new RegExp(`"${field}"`));
    }
    assert.equal(byHandler.status, 400);
    assert.deepEqual(
      (byHandler.body.fields as { field: string }[]).map((f) => f.field),
      ["reported_at"],
    );
    const items = await local.merchantRisk.profiles([tx.merchant_id]);
    const days = [...decodeMerchantProfile(items.get(tx.merchant_id)).values()];
    assert.ok(
      days.every((day) => day.frauds === 0),
      "a rejected outcome counts no fraud",
    );
  });

  it("refuses an outcome without the matching x-api-key with API Gateway's 403 when a key is set", async () => {
    // Prepare
    const local = await pipelines.start({ apiKey: "local-secret" });
    const tx = liveTransaction({ transaction_id: "tx-outcome-3" });
    await postJson(local.url, "/transactions", tx, { "x-api-key": "local-secret" });

    // Act
    const missing = await postJson(local.url, OUTCOME_ROUTE, outcomeFor(tx, "fraud"));
    const right = await postJson(local.url, OUTCOME_ROUTE, outcomeFor(tx, "fraud"), {
      "x-api-key": "local-secret",
    });

    // Assess
    assert.equal(missing.status, 403);
    assert.deepEqual(missing.body, { message: "Forbidden" });
    assert.equal(right.status, 201);
  });

  it("rebuilds the merchant profiles from the table after a restart with --data", async () => {
    // Prepare: items stored with a verdict, whatever detection does with them meanwhile
    const dataDir = path.join(pipelines.dir, "data");
    let local = await pipelines.start({ dataDir });
    const fraud = liveTransaction({ transaction_id: "tx-kept-fraud", merchant_id: "merchant-kept" });
    const cleared = liveTransaction({ transaction_id: "tx-kept-ok", merchant_id: "merchant-kept" }, -30_000);
    for (const tx of [fraud, cleared]) {
      local.table.putIfAbsent({ ...toItem(tx, Date.now()), [ITEM_ATTRIBUTES.verdict]: "cleared" });
    }
    await postJson(local.url, OUTCOME_ROUTE, outcomeFor(fraud, "fraud"));
    await postJson(local.url, OUTCOME_ROUTE, outcomeFor(cleared, "legitimate"));
    const fraudsBefore = totals(await profileOf(local, "merchant-kept")).frauds;
    await local.idle();
    await local.stop();

    // Act
    local = await pipelines.start({ dataDir });
    const repeat = await postJson(local.url, OUTCOME_ROUTE, outcomeFor(fraud, "fraud"));

    // Assess
    assert.equal(fraudsBefore, 1);
    assert.equal(repeat.status, 200);
    const profile = await profileOf(local, "merchant-kept");
    assert.deepEqual(totals(profile), { transactions: 2, frauds: 1 });
    assert.equal(profile.get(receiveDay(local, fraud))?.frauds, 1);
    const eventDays = [fraud, cleared].map((tx) => dayOf(tx.timestamp));
    for (const day of new Set(eventDays)) {
      assert.equal(profile.get(day)?.transactions, eventDays.filter((d) => d === day).length);
    }
  });
});
