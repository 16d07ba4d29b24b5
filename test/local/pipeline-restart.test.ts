import assert from "node:assert/strict";
import * as path from "node:path";
import type { LocalPipeline } from "../../local/pipeline";
import { ITEM_ATTRIBUTES } from "../../pipeline/runtime/contract/item";
import { liveTransaction, postJson, useTestPipelines } from "../helpers/local";

describe("Function: startLocalPipeline (--data)", () => {
  const pipelines = useTestPipelines();
  let local: LocalPipeline;

  it("keeps stored items and their verdicts across a restart", async () => {
    // Prepare
    const dataDir = path.join(pipelines.dir, "data");
    local = await pipelines.start({ dataDir });
    const tx = liveTransaction({ transaction_id: "tx-kept" });
    await postJson(local.url, "/transactions", tx);
    await local.idle();
    await local.stop();

    // Act
    local = await pipelines.start({ dataDir });
    const retry = await postJson(local.url, "/transactions", tx);

    // Assess
    assert.equal(local.table.size(), 1);
    assert.equal(local.resumed, 0);
    assert.equal(
      local.table.get({ transaction_id: "tx-kept", timestamp: tx.timestamp })?.[ITEM_ATTRIBUTES.verdict],
      "cleared",
    );
    assert.equal(retry.status, 200);
  });

  it("resumes detection after a restart for items stored without a verdict", async () => {
    // Prepare
    const dataDir = path.join(pipelines.dir, "data");
    local = await pipelines.start({
      dataDir,
      streamMaxRetries: 0,
      faults: { rates: { verdictWrite: 1 } },
    });
    const tx = liveTransaction({ transaction_id: "tx-unassessed" });
    await postJson(local.url, "/transactions", tx);
    await local.idle();
    await local.stop();

    // Act
    local = await pipelines.start({ dataDir });
    await local.idle();

    // Assess
    assert.equal(local.resumed, 1);
    assert.equal(
      local.table.get({ transaction_id: "tx-unassessed", timestamp: tx.timestamp })?.[
        ITEM_ATTRIBUTES.verdict
      ],
      "cleared",
    );
  });
});
