import * as path from "node:path";
import { expect } from "chai";
import { openJournal } from "../../local/journal";
import { readOutbox } from "../../local/outbox-topic";
import type { LocalPipeline } from "../../local/pipeline";
import { ITEM_ATTRIBUTES, isIdGuard } from "../../pipeline/runtime/contract/item";
import type { Transaction } from "../../pipeline/runtime/contract/transaction";
import { liveTransaction, postJson, removeDir, startTestPipeline, tempDir } from "../helpers/local";
import { type LocalProcess, rawRequest, runPool, startLocalProcess } from "../helpers/resilience";

/** Twice the default USD limit: high-amount alone flags it. */
const FLAGGED_AMOUNT = 2_000_000;

/** Resolves once `ready()` holds, checking every 10 ms; rejects naming `what` after `limitMs`. */
async function waitFor(what: string, ready: () => boolean, limitMs = 15_000): Promise<void> {
  const deadline = Date.now() + limitMs;
  while (!ready()) {
    if (Date.now() > deadline) throw new Error(`Gave up waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe("Resilience: startLocalPipeline restarts with --data", () => {
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

  it("re-sends the alert of a flagged transaction whose notification was lost with the in-memory queue", async () => {
    // Prepare: A is notified in a first run; B is flagged in a second run whose publishes all fail.
    const dataDir = path.join(dir, "data");
    const a = liveTransaction({
      transaction_id: "tx-notified",
      account_id: "acct-a",
      amount: FLAGGED_AMOUNT,
    });
    const b = liveTransaction({ transaction_id: "tx-unsent", account_id: "acct-b", amount: FLAGGED_AMOUNT });
    const c = liveTransaction({ transaction_id: "tx-cleared", account_id: "acct-c" });
    local = await startTestPipeline(dir, { dataDir });
    await postJson(local.url, "/transactions", a);
    await postJson(local.url, "/transactions", c);
    await local.idle();
    await local.stop();
    local = await startTestPipeline(dir, {
      dataDir,
      visibilityTimeoutMs: 60_000,
      faults: { rates: { publish: 1 } },
    });
    await postJson(local.url, "/transactions", b);
    const running = local;
    await waitFor("the failed publish of tx-unsent", () => running.faults.injected().publish === 1);
    await local.stop();

    // Act
    local = await startTestPipeline(dir, { dataDir });
    await local.idle();

    // Assess
    expect(local.resumed).to.equal(1);
    expect(readOutbox(local.outbox).map((entry) => entry.transaction_id)).to.deep.equal([
      "tx-notified",
      "tx-unsent",
    ]);
    const item = local.table.get({ transaction_id: "tx-unsent", timestamp: b.timestamp });
    expect(item?.[ITEM_ATTRIBUTES.verdict]).to.equal("flagged");
    expect(typeof item?.[ITEM_ATTRIBUTES.notifiedAt]).to.equal("number");
  });
});

describe("Resilience: npm start killed with SIGKILL and started again on the same --data", () => {
  const COUNT = 400;
  let dir: string;
  let child: LocalProcess | undefined;

  beforeEach(() => {
    dir = tempDir();
  });

  afterEach(async () => {
    if (child !== undefined && child.child.exitCode === null && child.child.signalCode === null) {
      child.child.kill("SIGKILL");
      await child.exited;
    }
    child = undefined;
    removeDir(dir);
  });

  it("keeps every accepted transaction, resumes detection and notifies every flagged one", async function () {
    this.timeout(60_000);
    // Prepare
    const dataDir = path.join(dir, "data");
    const outbox = path.join(dir, "outbox.jsonl");
    const args = ["--port", "0", "--data", dataDir, "--outbox", outbox, "--log-level", "silent"];
    const flags = [...args, "--visibility-timeout-ms", "200"];
    const txs: Transaction[] = Array.from({ length: COUNT }, (_, i) =>
      liveTransaction({
        transaction_id: `kill-${i}`,
        account_id: `acct-${i % 40}`,
        merchant_id: `m-${i}`,
        amount: i % 10 === 3 ? FLAGGED_AMOUNT : 1_000 + i,
        timestamp: Date.now() - (i + 1) * 3_600_000 * 0.4,
      }),
    );
    const planted = new Set(txs.filter((tx) => tx.amount === FLAGGED_AMOUNT).map((tx) => tx.transaction_id));
    const first = await startLocalProcess(flags);
    child = first;
    const before = new Map<string, number | string>();

    // Act: kill the process while requests are in flight, then start it again.
    let killed = false;
    await runPool(txs, 16, async (tx) => {
      const outcome = await rawRequest(first.port, JSON.stringify(tx));
      before.set(tx.transaction_id, outcome.ok ? outcome.response.status : "no answer");
      if (!killed && [...before.values()].filter((s) => s === 201).length >= COUNT / 2) {
        killed = true;
        first.child.kill("SIGKILL");
      }
    });
    expect(await first.exited).to.equal(null);
    child = await startLocalProcess(flags);
    const restarted = child;
    const after = new Map<string, number>();
    await runPool(txs, 16, async (tx) => {
      const outcome = await rawRequest(restarted.port, JSON.stringify(tx));
      after.set(tx.transaction_id, outcome.ok ? outcome.response.status : 0);
    });
    await waitFor("a notification for every flagged transaction", () => {
      const sent = new Set(readOutbox(outbox).map((entry) => entry.transaction_id));
      return [...planted].every((id) => sent.has(id));
    });
    child.child.kill("SIGTERM");
    const code = await child.exited;

    // Assess
    expect(code).to.equal(0);
    const acceptedBefore = txs
      .filter((tx) => before.get(tx.transaction_id) === 201)
      .map((tx) => tx.transaction_id);
    expect(acceptedBefore.length >= COUNT / 2).to.be.ok;
    for (const id of acceptedBefore) expect(after.get(id), `${id} was accepted, then lost`).to.equal(200);
    expect(
      [...after.values()].filter((status) => status !== 200 && status !== 201),
      "after the restart every transaction is accepted or a duplicate",
    ).to.deep.equal([]);
    // The journal holds each transaction's id guard too; only transactions are counted.
    const items = openJournal(dataDir).recovered.filter((item) => !isIdGuard(item));
    expect(items.length).to.equal(COUNT);
    const flagged = items.filter((item) => item[ITEM_ATTRIBUTES.verdict] === "flagged");
    const cleared = items.filter((item) => item[ITEM_ATTRIBUTES.verdict] === "cleared");
    expect(flagged.length + cleared.length, "every stored transaction carries a verdict").to.equal(COUNT);
    expect(flagged.map((item) => String(item.transaction_id)).sort()).to.deep.equal([...planted].sort());
    for (const item of flagged) expect(typeof item[ITEM_ATTRIBUTES.notifiedAt]).to.equal("number");
    const notified = readOutbox(outbox).map((entry) => entry.transaction_id);
    expect(
      notified.filter((id) => !planted.has(id)),
      "no cleared transaction notified",
    ).to.deep.equal([]);
    console.log(
      `      restart: accepted before kill=${acceptedBefore.length} unanswered (in flight at the kill or sent after it)=` +
        `${[...before.values()].filter((s) => s === "no answer").length} stored=${items.length}` +
        ` flagged=${flagged.length} notifications=${notified.length} (distinct ${new Set(notified).size})`,
    );
  });
});
