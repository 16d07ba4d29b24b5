import * as path from "node:path";
import { expect } from "chai";
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
    expect(local.table.size()).to.equal(1);
    expect(local.resumed).to.equal(0);
    expect(
      local.table.get({ transaction_id: "tx-kept", timestamp: tx.timestamp })?.[ITEM_ATTRIBUTES.verdict],
    ).to.equal("cleared");
    expect(retry.status).to.equal(200);
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
    expect(local.resumed).to.equal(1);
    expect(
      local.table.get({ transaction_id: "tx-unassessed", timestamp: tx.timestamp })?.[
        ITEM_ATTRIBUTES.verdict
      ],
    ).to.equal("cleared");
  });
});
