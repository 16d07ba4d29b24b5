import assert from "node:assert/strict";
import * as http from "node:http";
import { readOutbox } from "../../local/outbox-topic";
import type { LocalPipeline } from "../../local/pipeline";
import { ITEM_ATTRIBUTES } from "../../pipeline/runtime/contract/item";
import { accountBurst, liveTransaction, postJson, useTestPipelines } from "../helpers/local";

/** Velocity fires from the 4th transaction in 10 minutes and alone reaches the threshold. */
const VELOCITY_RULES = { rules: { velocity: { maxCount: 3, baseScore: 60, maxScore: 80 } } };

describe("Function: startLocalPipeline", () => {
  const pipelines = useTestPipelines();
  let local: LocalPipeline;

  it("accepts, refuses and de-duplicates transactions and alerts exactly on the velocity burst", async () => {
    // Prepare
    local = await pipelines.start({ rulesConfig: VELOCITY_RULES });
    const single = liveTransaction({ transaction_id: "tx-single", account_id: "acct-quiet" });
    const burst = accountBurst("acct-busy", 5, Date.now() - 120_000);

    // Act
    const created = await postJson(local.url, "/transactions", single);
    const invalid = await postJson(local.url, "/transactions", {
      ...single,
      amount: "12.34",
      card_number: "4111",
    });
    const duplicate = await postJson(local.url, "/transactions", single);
    const conflict = await postJson(local.url, "/transactions", { ...single, amount: single.amount + 1 });
    const burstStatuses: number[] = [];
    for (const tx of burst) burstStatuses.push((await postJson(local.url, "/transactions", tx)).status);
    await local.idle();

    // Assess
    assert.equal(created.status, 201);
    assert.deepEqual(created.body, {
      transaction_id: "tx-single",
      timestamp: single.timestamp,
      status: "accepted",
    });
    assert.equal(invalid.status, 400);
    assert.deepEqual(Object.keys(invalid.body).sort(), ["error", "message", "request_id"]);
    assert.equal(invalid.body.error, "invalid_request");
    assert.match(String(invalid.body.message), /"amount": must be integer/);
    assert.match(String(invalid.body.message), /"card_number": is not an accepted property/);
    assert.equal(invalid.body.request_id, invalid.headers.get("x-amzn-requestid"));
    assert.equal(duplicate.status, 200);
    assert.equal(duplicate.body.status, "duplicate");
    assert.equal(conflict.status, 409);
    assert.deepEqual(burstStatuses, [201, 201, 201, 201, 201]);
    const items = local.table.scan();
    assert.equal(items.length, 6);
    assert.ok(items.every((item) => item[ITEM_ATTRIBUTES.verdict] !== undefined));
    const flagged = items
      .filter((item) => item[ITEM_ATTRIBUTES.verdict] === "flagged")
      .map((item) => item.transaction_id);
    assert.deepEqual(flagged.sort(), ["acct-busy-burst-4", "acct-busy-burst-5"]);
    const alerts = readOutbox(local.outbox).map((entry) => entry.transaction_id);
    assert.deepEqual(alerts.sort(), ["acct-busy-burst-4", "acct-busy-burst-5"]);
    assert.deepEqual(local.queue.deadLetters(), []);
    assert.deepEqual(local.feed.deadLetters(), []);
  });

  it("keeps the defaults for options passed as undefined (flags not given on the command line)", async () => {
    // Prepare
    local = await pipelines.start({ visibilityTimeoutMs: undefined, maxReceiveCount: undefined });
    const tx = liveTransaction({ transaction_id: "tx-default-options", amount: 2_000_000 });

    // Act
    await postJson(local.url, "/transactions", tx);
    await local.idle();

    // Assess
    assert.deepEqual(
      readOutbox(local.outbox).map((entry) => entry.transaction_id),
      ["tx-default-options"],
    );
    assert.deepEqual(local.queue.deadLetters(), []);
  });

  it("answers health, unknown paths, wrong methods and oversized bodies like a gateway", async () => {
    // Prepare
    local = await pipelines.start();

    // Act
    const health = await fetch(`${local.url}/health`);
    const unknown = await fetch(`${local.url}/nope`);
    const wrongMethod = await fetch(`${local.url}/transactions`);
    const oversized = await postJson(
      local.url,
      "/transactions",
      JSON.stringify({ pad: "x".repeat(64 * 1024) }),
    );

    // Assess
    assert.equal(health.status, 200);
    assert.deepEqual(await health.json(), { status: "ok" });
    assert.equal(unknown.status, 404);
    assert.equal(wrongMethod.status, 405);
    assert.equal(wrongMethod.headers.get("allow"), "POST");
    assert.equal(oversized.status, 413);
    assert.equal(oversized.body.error, "payload_too_large");
    assert.equal(local.table.size(), 0);
  });

  it("answers 413 to a chunked body as soon as it grows past the limit", async () => {
    // Prepare
    local = await pipelines.start();
    const { port } = local;

    // Act
    const status = await new Promise<number | undefined>((resolve, reject) => {
      const req = http.request({ host: "127.0.0.1", port, method: "POST", path: "/transactions" }, (res) => {
        res.resume();
        resolve(res.statusCode);
      });
      req.on("error", reject);
      for (let i = 0; i < 8; i++) req.write("x".repeat(4096));
      req.end();
    });

    // Assess
    assert.equal(status, 413);
    assert.equal(local.table.size(), 0);
  });

  it("refuses requests without the matching x-api-key with API Gateway's 403 when LOCAL_API_KEY is set", async () => {
    // Prepare
    local = await pipelines.start({ apiKey: "local-secret" });
    const tx = liveTransaction();

    // Act
    const missing = await postJson(local.url, "/transactions", tx);
    const wrong = await postJson(local.url, "/transactions", tx, { "x-api-key": "guess" });
    const right = await postJson(local.url, "/transactions", tx, { "x-api-key": "local-secret" });

    // Assess
    assert.equal(missing.status, 403);
    assert.deepEqual(missing.body, { message: "Forbidden" });
    assert.equal(wrong.status, 403);
    assert.equal(right.status, 201);
  });

  it("rejects a port in use and a bad rules config with one clear configuration error", async () => {
    // Prepare
    local = await pipelines.start();

    // Act
    const portInUse = pipelines.start({ port: local.port });
    const badRules = pipelines.start({ rulesConfig: '{"threshold": -1}' });

    // Assess
    await assert.rejects(portInUse, {
      name: "ConfigurationError",
      message: /127\.0\.0\.1:\d+ \(EADDRINUSE\): set PORT/,
    });
    await assert.rejects(badRules, { name: "ConfigurationError", message: /threshold/ });
  });
});
