import { expect } from "chai";
import { readOutbox } from "../../local/outbox-topic";
import type { LocalPipeline } from "../../local/pipeline";
import { ITEM_ATTRIBUTES } from "../../pipeline/runtime/contract/item";
import { VERDICTS } from "../../pipeline/runtime/contract/transaction";
import { DETECT_METRICS } from "../../pipeline/runtime/detect/handler";
import { NOTIFY_METRICS } from "../../pipeline/runtime/notify/handler";
import { liveTransaction, postJson, useTestPipelines } from "../helpers/local";

/** Above the default USD limit twice over: high-amount alone flags it. */
const FLAGGED_AMOUNT = 2_000_000;

describe("Function: startLocalPipeline (fault injection)", () => {
  const pipelines = useTestPipelines();
  let local: LocalPipeline;

  it("retries a failed publish after the visibility timeout and notifies exactly once", async () => {
    // Prepare
    local = await pipelines.start({
      visibilityTimeoutMs: 50,
      maxReceiveCount: 3,
      faults: { failFirst: { publish: 1 } },
    });
    const tx = liveTransaction({ transaction_id: "tx-retry", amount: FLAGGED_AMOUNT });

    // Act
    await postJson(local.url, "/transactions", tx);
    await local.idle();

    // Assess
    expect(local.faults.injected().publish).to.equal(1);
    expect(readOutbox(local.outbox).map((entry) => entry.transaction_id)).to.deep.equal(["tx-retry"]);
    expect(local.queue.deadLetters()).to.deep.equal([]);
    const item = local.table.get({ transaction_id: "tx-retry", timestamp: tx.timestamp });
    expect(typeof item?.[ITEM_ATTRIBUTES.notifiedAt]).to.equal("number");
  });

  it("dead-letters a notification whose publish keeps failing after maxReceiveCount receives", async () => {
    // Prepare
    local = await pipelines.start({
      visibilityTimeoutMs: 30,
      maxReceiveCount: 3,
      faults: { rates: { publish: 1 } },
    });
    const tx = liveTransaction({ transaction_id: "tx-doomed", amount: FLAGGED_AMOUNT });

    // Act
    await postJson(local.url, "/transactions", tx);
    await local.idle();

    // Assess
    const dead = local.queue.deadLetters();
    expect(dead.length).to.equal(1);
    expect(dead[0].receiveCount).to.equal(3);
    expect(JSON.parse(dead[0].body).transaction_id).to.equal("tx-doomed");
    expect(local.faults.injected().publish).to.equal(3);
    expect(readOutbox(local.outbox)).to.deep.equal([]);
    const item = local.table.get({ transaction_id: "tx-doomed", timestamp: tx.timestamp });
    expect(item?.[ITEM_ATTRIBUTES.verdict]).to.equal("flagged");
    expect(item?.[ITEM_ATTRIBUTES.notifiedAt]).to.equal(undefined);
    expect(item?.[ITEM_ATTRIBUTES.notifyLeaseUntil]).to.equal(undefined);
  });

  it("sends a stream batch whose verdict write keeps failing to the stream DLQ after the retries", async () => {
    // Prepare
    local = await pipelines.start({ streamMaxRetries: 2, faults: { rates: { verdictWrite: 1 } } });
    const tx = liveTransaction({ transaction_id: "tx-stuck" });

    // Act
    const response = await postJson(local.url, "/transactions", tx);
    await local.idle();

    // Assess
    expect(response.status).to.equal(201);
    const dead = local.feed.deadLetters();
    expect(dead.length).to.equal(1);
    expect(dead[0].attempts).to.equal(3);
    expect(dead[0].records.map((record) => record.dynamodb?.Keys?.transaction_id?.S)).to.deep.equal([
      "tx-stuck",
    ]);
    expect(local.faults.injected().verdictWrite).to.equal(3);
  });

  it("answers 503 with Retry-After when the table write fails", async () => {
    // Prepare
    local = await pipelines.start({ faults: { failFirst: { tableWrite: 1 } } });
    const tx = liveTransaction({ transaction_id: "tx-throttled" });

    // Act
    const first = await postJson(local.url, "/transactions", tx);
    const retry = await postJson(local.url, "/transactions", tx);

    // Assess
    expect(first.status).to.equal(503);
    expect(first.headers.get("retry-after")).to.equal("1");
    expect(retry.status).to.equal(201);
  });

  it("counts each flagged and each emailed transaction once under 10% faults at every step", async () => {
    // Prepare: own account and merchant per transaction, so a retried record is assessed alike
    local = await pipelines.start({
      visibilityTimeoutMs: 20,
      maxReceiveCount: 10,
      faults: {
        rates: { historyQuery: 0.1, verdictWrite: 0.1, queueSend: 0.1, publish: 0.1 },
        seed: 11,
      },
    });
    const sent = Array.from({ length: 60 }, (_, i) =>
      liveTransaction({
        transaction_id: `tx-${i}`,
        account_id: `acct-${i}`,
        merchant_id: `merchant-${i}`,
        amount: i % 2 === 0 ? FLAGGED_AMOUNT : 25_00,
      }),
    );

    // Act
    for (const tx of sent) await postJson(local.url, "/transactions", tx);
    await local.idle();

    // Assess
    const flagged = local.table.scan().filter((item) => item[ITEM_ATTRIBUTES.verdict] === VERDICTS.flagged);
    const emailed = new Set(readOutbox(local.outbox).map((entry) => entry.transaction_id));
    const counters = local.metrics.counters();
    const injected = local.faults.injected();
    expect(injected.verdictWrite + injected.queueSend + injected.historyQuery).to.be.greaterThan(0);
    expect(flagged.length).to.be.greaterThan(0);
    expect(counters[DETECT_METRICS.flagged]).to.equal(flagged.length);
    expect(counters[NOTIFY_METRICS.published]).to.equal(emailed.size);
    expect(counters[DETECT_METRICS.failedRecords]).to.be.greaterThan(0);
  });
});
