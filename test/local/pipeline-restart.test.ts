import assert from "node:assert/strict";
import * as path from "node:path";
import { ITEM_ATTRIBUTES } from "../../pipeline/runtime/contract/item";
import type { LocalPipeline } from "../../local/pipeline";
import { liveTransaction, postJson, removeDir, startTestPipeline, tempDir } from "../helpers/local";

describe("Function: startLocalPipeline (--data)", () => {
  let dir: string;
  let local: LocalPipeline | undefined;

  beforeEach(() => {
    dir = tempDir();
  });

  afterEach(async () => {
    await local?.stop();
    local = undefined;
    removeDir(dir);
  });

  it("keeps stored items and their verdicts across a restart", async () => {
    // Prepare
    const dataDir = path.join(dir, "data");
    local = await startTestPipeline(dir, { dataDir });
    const tx = liveTransaction({ transaction_id: "tx-kept" });
    await postJson(local.url, "/transactions", tx);
    await local.idle();
    await local.stop();

    // Act
    local = await startTestPipeline(dir, { dataDir });
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
    const dataDir = path.join(dir, "data");
    local = await startTestPipeline(dir, {
      dataDir,
      streamMaxRetries: 0,
      faults: { rates: { verdictWrite: 1 } },
    });
    const tx = liveTransaction({ transaction_id: "tx-unassessed" });
    await postJson(local.url, "/transactions", tx);
    await local.idle();
    await local.stop();

    // Act
    local = await startTestPipeline(dir, { dataDir });
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
