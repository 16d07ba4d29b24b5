import * as fs from "node:fs";
import * as path from "node:path";
import { expect } from "chai";
import { openJournal } from "../../local/journal";
import { readOutbox } from "../../local/outbox-topic";
import { ITEM_ATTRIBUTES } from "../../pipeline/runtime/contract/item";
import type { Transaction } from "../../pipeline/runtime/contract/transaction";
import { captureOutput, liveTransaction, postJson, useTestPipelines } from "../helpers/local";

/** Twice the default USD limit: high-amount alone flags it. */
const FLAGGED_AMOUNT = 2_000_000;

describe("Function: startLocalPipeline (--data) after a kill between the email and its record", () => {
  const pipelines = useTestPipelines();
  let dataDir: string;
  let outbox: string;
  let tx: Transaction;

  /**
   * Notifies `tx` in a first run, then rewrites the data directory as a SIGKILL right after the
   * outbox line would leave it: claimed (lease until `leaseUntil`), `notified_at` not yet stored.
   */
  async function crashAfterPublishing(leaseUntil: number): Promise<void> {
    const local = await pipelines.start({ dataDir, outbox });
    await postJson(local.url, "/transactions", tx);
    await local.idle();
    await local.stop();
    const journal = openJournal(dataDir);
    journal.close();
    const lines = journal.recovered.map((item) => {
      const { [ITEM_ATTRIBUTES.notifiedAt]: _sent, ...rest } = item;
      return `${JSON.stringify({ ...rest, [ITEM_ATTRIBUTES.notifyLeaseUntil]: leaseUntil })}\n`;
    });
    fs.writeFileSync(path.join(dataDir, "snapshot.jsonl"), lines.join(""));
  }

  /** Starts again on the same data and outbox and waits for the pipeline to settle. */
  async function restartUntilIdle(visibilityTimeoutMs: number) {
    const local = await pipelines.start({ dataDir, outbox, visibilityTimeoutMs });
    await local.idle();
    return local;
  }

  beforeEach(() => {
    dataDir = path.join(pipelines.dir, "data");
    outbox = path.join(pipelines.dir, "outbox.jsonl");
    tx = liveTransaction({ transaction_id: "tx-killed", amount: FLAGGED_AMOUNT });
  });

  it("records the email the outbox shows instead of sending it again", async () => {
    // Prepare
    await crashAfterPublishing(Date.now() + 100);

    // Act
    const run = await captureOutput(() => restartUntilIdle(50));

    // Assess
    expect(readOutbox(outbox).map((entry) => entry.transaction_id)).to.deep.equal(["tx-killed"]);
    const item = run.result.table.get({ transaction_id: tx.transaction_id, timestamp: tx.timestamp });
    expect(item?.[ITEM_ATTRIBUTES.notifiedAt]).to.equal(Date.parse(readOutbox(outbox)[0].published_at));
    expect(item?.[ITEM_ATTRIBUTES.notifyLeaseUntil]).to.equal(undefined);
    expect(run.result.resumed).to.equal(0);
    expect(run.stderr).to.match(
      /1 notification\(s\) claimed before the last stop .* recorded as sent; 0 will/,
    );
  });

  it("sends the alert once, without waiting for the lease, when the outbox has no line for the claim", async () => {
    // Prepare: the kill came before the outbox line; the lease would hold a retry for a minute.
    await crashAfterPublishing(Date.now() + 60_000);
    fs.rmSync(outbox);

    // Act
    const run = await captureOutput(() => restartUntilIdle(60_000));

    // Assess
    expect(readOutbox(outbox).map((entry) => entry.transaction_id)).to.deep.equal(["tx-killed"]);
    const item = run.result.table.get({ transaction_id: tx.transaction_id, timestamp: tx.timestamp });
    expect(typeof item?.[ITEM_ATTRIBUTES.notifiedAt]).to.equal("number");
    expect(run.stderr).to.match(/0 notification\(s\) claimed .*; 1 will be sent again/);
  });
});
