import * as path from "node:path";
import { expect } from "chai";
import sinon from "sinon";
import { makeFaults } from "../../local/faults";
import { makeMemoryTable } from "../../local/memory-table";
import { makeLocalOutcomeStore } from "../../local/outcome-store";
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
    expect((await postJson(local.url, "/transactions", tx)).status).to.equal(201);
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
    expect(recorded.status).to.equal(201);
    expect(recorded.body).to.deep.equal({
      transaction_id: tx.transaction_id,
      timestamp: tx.timestamp,
      outcome: "fraud",
      status: "recorded",
    });
    expect(repeat.status).to.equal(200);
    expect(repeat.body.status).to.equal("duplicate");
    expect(contradicting.status).to.equal(409);
    expect(contradicting.body.recorded_outcome).to.equal("fraud");
    expect(unknown.status).to.equal(404);
    expect([unknown.body.transaction_id, unknown.body.timestamp]).to.deep.equal([
      "tx-never-posted",
      tx.timestamp,
    ]);
    expect(recorded.headers.get("x-amzn-requestid")).to.be.ok;

    const item = local.table.get({ transaction_id: tx.transaction_id, timestamp: tx.timestamp });
    expect(item?.[OUTCOME_ATTRIBUTES.outcome]).to.equal("fraud");
    expect(item?.[OUTCOME_ATTRIBUTES.source]).to.equal("chargeback");
    const profile = await profileOf(local, "merchant-outcomes");
    expect(totals(profile).frauds).to.equal(1);
    expect(profile.get(receiveDay(local, tx))?.frauds).to.equal(1);
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
    expect(byModel.status).to.equal(400);
    expect(byModel.body.error).to.equal("invalid_request");
    for (const field of ["transaction_id", "outcome", "source", "note"]) {
      expect(String(byModel.body.message)).to.match(new RegExp(`"${field}"`));
    }
    expect(byHandler.status).to.equal(400);
    expect((byHandler.body.fields as { field: string }[]).map((f) => f.field)).to.deep.equal(["reported_at"]);
    const items = await local.merchantRisk.profiles([tx.merchant_id]);
    const days = [...decodeMerchantProfile(items.get(tx.merchant_id)).values()];
    expect(
      days.every((day) => day.frauds === 0),
      "a rejected outcome counts no fraud",
    ).to.be.ok;
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
    expect(missing.status).to.equal(403);
    expect(missing.body).to.deep.equal({ message: "Forbidden" });
    expect(right.status).to.equal(201);
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
    expect(fraudsBefore).to.equal(1);
    expect(repeat.status).to.equal(200);
    const profile = await profileOf(local, "merchant-kept");
    expect(totals(profile)).to.deep.equal({ transactions: 2, frauds: 1 });
    expect(profile.get(receiveDay(local, fraud))?.frauds).to.equal(1);
    const eventDays = [fraud, cleared].map((tx) => dayOf(tx.timestamp));
    for (const day of new Set(eventDays)) {
      expect(profile.get(day)?.transactions).to.equal(eventDays.filter((d) => d === day).length);
    }
  });
});

describe("Local: the outcome store under concurrent reports", () => {
  it("answers reports for one transaction in flight at once as if they came one by one, counting the fraud once", async () => {
    // Prepare
    const table = makeMemoryTable();
    const merchantRisk = { profiles: sinon.stub(), addToBuckets: sinon.stub().resolves() };
    const store = makeLocalOutcomeStore(table, merchantRisk, makeFaults());
    const tx = liveTransaction({ transaction_id: "tx-outcome-race", merchant_id: "merchant-race" });
    table.putIfAbsent(toItem(tx, Date.now()));
    const report = (outcome: "fraud" | "legitimate") => ({
      transaction_id: tx.transaction_id,
      timestamp: tx.timestamp,
      outcome,
      source: "chargeback" as const,
    });

    // Act: two frauds and a contradiction, none awaited before the next starts
    const results = await Promise.all([
      store.recordOutcome(report("fraud"), Date.now()),
      store.recordOutcome(report("fraud"), Date.now()),
      store.recordOutcome(report("legitimate"), Date.now()),
    ]);

    // Assess
    expect(results).to.deep.equal(["recorded", "duplicate", "conflict"]);
    const stored = table.get({ transaction_id: tx.transaction_id, timestamp: tx.timestamp });
    expect(stored?.[OUTCOME_ATTRIBUTES.outcome]).to.equal("fraud");
    expect(merchantRisk.addToBuckets.callCount).to.equal(1);
  });
});
