import { expect } from "chai";
import { readOutbox } from "../../local/outbox-topic";
import { ITEM_ATTRIBUTES } from "../../pipeline/runtime/contract/item";
import { fraudAlert } from "../helpers/alerts";
import { liveTransaction, postJson, useTestPipelines } from "../helpers/local";

/** Keeps the CPU busy for `ms`, as a descheduled process or a long GC pause would. */
function stall(ms: number): void {
  const until = Date.now() + ms;
  while (Date.now() < until);
}

describe("Function: startLocalPipeline (notify-team's claim on a slow machine)", () => {
  const pipelines = useTestPipelines();

  it("notifies once when the machine stalls longer than the lease while a claim is held", async () => {
    // Prepare: a 40 ms visibility timeout gives notify-team a 20 ms lease; the process then stalls
    // 30 ms right after each claim, between the claims of two copies of one alert in one batch.
    const local = await pipelines.start({ visibilityTimeoutMs: 40, pollIntervalMs: 20 });
    const tx = liveTransaction({ transaction_id: "tx-slow" });
    await postJson(local.url, "/transactions", tx);
    await local.idle();
    local.table.onChange((change) => {
      const claimed = change.newImage[ITEM_ATTRIBUTES.notifyLeaseUntil] !== undefined;
      if (claimed && change.oldImage?.[ITEM_ATTRIBUTES.notifyLeaseUntil] === undefined) stall(30);
    });
    const alert = JSON.stringify(
      fraudAlert({ transaction_id: tx.transaction_id, timestamp: tx.timestamp, account_id: tx.account_id }),
    );

    // Act
    local.queue.send(alert);
    local.queue.send(alert);
    await local.idle();

    // Assess
    expect(readOutbox(local.outbox).map((entry) => entry.transaction_id)).to.deep.equal(["tx-slow"]);
    const item = local.table.get({ transaction_id: tx.transaction_id, timestamp: tx.timestamp });
    expect(typeof item?.[ITEM_ATTRIBUTES.notifiedAt]).to.equal("number");
  });
});
