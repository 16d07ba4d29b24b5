import * as http from "node:http";
import { expect } from "chai";
import { readOutbox } from "../../local/outbox-topic";
import type { LocalPipeline } from "../../local/pipeline";
import { ITEM_ATTRIBUTES } from "../../pipeline/runtime/contract/item";
import { matchesError, rejectionOf } from "../helpers/expect";
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
    expect(created.status).to.equal(201);
    expect(created.body).to.deep.equal({
      transaction_id: "tx-single",
      timestamp: single.timestamp,
      status: "accepted",
    });
    expect(invalid.status).to.equal(400);
    expect(Object.keys(invalid.body).sort()).to.deep.equal(["error", "message", "request_id"]);
    expect(invalid.body.error).to.equal("invalid_request");
    expect(String(invalid.body.message)).to.match(/"amount": must be integer/);
    expect(String(invalid.body.message)).to.match(/"card_number": is not an accepted property/);
    expect(invalid.body.request_id).to.equal(invalid.headers.get("x-amzn-requestid"));
    expect(duplicate.status).to.equal(200);
    expect(duplicate.body.status).to.equal("duplicate");
    expect(conflict.status).to.equal(409);
    expect(burstStatuses).to.deep.equal([201, 201, 201, 201, 201]);
    const items = local.table.scan();
    expect(items.length).to.equal(6);
    expect(items.every((item) => item[ITEM_ATTRIBUTES.verdict] !== undefined)).to.be.ok;
    const flagged = items
      .filter((item) => item[ITEM_ATTRIBUTES.verdict] === "flagged")
      .map((item) => item.transaction_id);
    expect(flagged.sort()).to.deep.equal(["acct-busy-burst-4", "acct-busy-burst-5"]);
    const alerts = readOutbox(local.outbox).map((entry) => entry.transaction_id);
    expect(alerts.sort()).to.deep.equal(["acct-busy-burst-4", "acct-busy-burst-5"]);
    expect(local.queue.deadLetters()).to.deep.equal([]);
    expect(local.feed.deadLetters()).to.deep.equal([]);
  });

  it("keeps the defaults for options passed as undefined (flags not given on the command line)", async () => {
    // Prepare
    local = await pipelines.start({ visibilityTimeoutMs: undefined, maxReceiveCount: undefined });
    const tx = liveTransaction({ transaction_id: "tx-default-options", amount: 2_000_000 });

    // Act
    await postJson(local.url, "/transactions", tx);
    await local.idle();

    // Assess
    expect(readOutbox(local.outbox).map((entry) => entry.transaction_id)).to.deep.equal([
      "tx-default-options",
    ]);
    expect(local.queue.deadLetters()).to.deep.equal([]);
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
    expect(health.status).to.equal(200);
    expect(await health.json()).to.deep.equal({ status: "ok" });
    expect(unknown.status).to.equal(404);
    expect(wrongMethod.status).to.equal(405);
    expect(wrongMethod.headers.get("allow")).to.equal("POST");
    expect(oversized.status).to.equal(413);
    expect(oversized.body.error).to.equal("payload_too_large");
    expect(local.table.size()).to.equal(0);
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
    expect(status).to.equal(413);
    expect(local.table.size()).to.equal(0);
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
    expect(missing.status).to.equal(403);
    expect(missing.body).to.deep.equal({ message: "Forbidden" });
    expect(wrong.status).to.equal(403);
    expect(right.status).to.equal(201);
  });

  it("rejects a port in use and a bad rules config with one clear configuration error", async () => {
    // Prepare
    local = await pipelines.start();

    // Act
    const portInUse = pipelines.start({ port: local.port });
    const badRules = pipelines.start({ rulesConfig: '{"threshold": -1}' });

    // Assess
    expect(await rejectionOf(portInUse)).to.satisfy(
      matchesError({
        name: "ConfigurationError",
        message: /127\.0\.0\.1:\d+ \(EADDRINUSE\): set PORT/,
      }),
    );
    expect(await rejectionOf(badRules)).to.satisfy(
      matchesError({ name: "ConfigurationError", message: /threshold/ }),
    );
  });
});
