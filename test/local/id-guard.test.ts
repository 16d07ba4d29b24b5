import * as path from "node:path";
import { expect } from "chai";
import { matchesFilter } from "../../local/event-filter";
import { makeMemoryTable } from "../../local/memory-table";
import { readOutbox } from "../../local/outbox-topic";
import { decodeTransaction, makeTransactionCodec } from "../../pipeline/runtime/contract/codec";
import { ID_GUARD, idGuardItem, toItem } from "../../pipeline/runtime/contract/item";
import { decodeOutcome, makeOutcomeCodec } from "../../pipeline/runtime/contract/outcome-codec";
import { LIMITS } from "../../pipeline/runtime/contract/transaction";
import { TRANSACTION_STREAM_FILTER } from "../../pipeline/runtime/table-definitions";
import { liveTransaction, postJson, useTestPipelines } from "../helpers/local";

/** Every transaction is flagged, so each stored record would send an alert. */
const FLAG_ALL = { threshold: 0.01, rules: { highAmount: { limits: { USD: 1 }, defaultLimit: 1 } } };

describe("Local runner: one transaction id, one transaction", () => {
  const pipelines = useTestPipelines();

  it("stores one record and sends one alert for 50 posts of one id with 50 timestamps", async () => {
    // Prepare
    const local = await pipelines.start({ rulesConfig: FLAG_ALL });
    const base = liveTransaction({ transaction_id: "tx-restamped" }, -120_000);

    // Act
    const statuses: number[] = [];
    for (let i = 0; i < 50; i++) {
      const response = await postJson(local.url, "/transactions", { ...base, timestamp: base.timestamp + i });
      statuses.push(response.status);
    }
    await local.idle();

    // Assess
    expect(statuses[0]).to.equal(201);
    expect(new Set(statuses.slice(1))).to.deep.equal(new Set([409]));
    expect(local.table.size()).to.equal(1);
    expect(local.feed.delivered()).to.equal(1);
    expect(readOutbox(local.outbox).map((entry) => entry.transaction_id)).to.deep.equal(["tx-restamped"]);
  });

  it("answers 409 in the house error shape for a known id at another timestamp, 200 for an exact retry", async () => {
    // Prepare
    const local = await pipelines.start();
    const tx = liveTransaction({ transaction_id: "tx-once" });
    await postJson(local.url, "/transactions", tx);

    // Act
    const restamped = await postJson(local.url, "/transactions", { ...tx, timestamp: tx.timestamp + 1000 });
    const retry = await postJson(local.url, "/transactions", tx);

    // Assess
    expect(restamped.status).to.equal(409);
    expect(Object.keys(restamped.body)).to.deep.equal([
      "error",
      "message",
      "request_id",
      "transaction_id",
      "timestamp",
    ]);
    expect(restamped.body.error).to.equal("conflict");
    expect(String(restamped.body.message)).to.match(/different timestamp/);
    expect(retry.status).to.equal(200);
    expect(retry.body.status).to.equal("duplicate");
  });

  it("keeps the guard across a restart, without resuming it as a transaction or counting it", async () => {
    // Prepare
    const dataDir = path.join(pipelines.dir, "data");
    let local = await pipelines.start({ dataDir });
    const tx = liveTransaction({ transaction_id: "tx-durable" });
    await postJson(local.url, "/transactions", tx);
    await local.idle();
    await local.stop();

    // Act
    local = await pipelines.start({ dataDir });
    const restamped = await postJson(local.url, "/transactions", { ...tx, timestamp: tx.timestamp - 1000 });

    // Assess
    expect(restamped.status).to.equal(409);
    expect(local.resumed).to.equal(0);
    expect(local.table.size()).to.equal(1);
    expect(local.table.scan().map((item) => item.transaction_id)).to.deep.equal(["tx-durable"]);
    expect(local.merchantRisk.size()).to.equal(1);
  });
});

describe("Function: makeMemoryTable (id guards)", () => {
  const tx = liveTransaction({ transaction_id: "tx-g", account_id: "acct-g" });

  it("inserts the item and its guard together, or neither when one key exists", () => {
    // Prepare
    const table = makeMemoryTable();
    const first = table.putAllIfAbsent([toItem(tx, 1), idGuardItem(tx, 1)]);
    const later = { ...tx, timestamp: tx.timestamp + 1 };

    // Act
    const second = table.putAllIfAbsent([toItem(later, 2), idGuardItem(later, 2)]);

    // Assess
    expect(first).to.deep.equal({ created: true });
    expect(second.created).to.equal(false);
    expect(second.created === false && second.existing[0]).to.equal(undefined);
    expect(second.created === false && second.existing[1]).to.include({ guarded_timestamp: tx.timestamp });
    expect(table.get({ transaction_id: "tx-g", timestamp: later.timestamp })).to.equal(undefined);
  });

  it("keeps the guard out of the account index, scan, size and the stream filter", () => {
    // Prepare
    const table = makeMemoryTable();
    const changes: Record<string, unknown>[] = [];
    table.onChange((change) =>
      changes.push({ eventName: change.eventName, dynamodb: { NewImage: change.newImage } }),
    );

    // Act
    table.putAllIfAbsent([toItem(tx, 1), idGuardItem(tx, 1)]);

    // Assess
    expect(table.queryAccount("acct-g", 0, Number.MAX_SAFE_INTEGER, 10)).to.have.length(1);
    expect(table.queryAccount("undefined", -10, Number.MAX_SAFE_INTEGER, 10)).to.deep.equal([]);
    expect(table.size()).to.equal(1);
    expect(table.scan()).to.have.length(1);
    expect(changes).to.have.length(2);
  });
});

describe("Function: matchesFilter (the stack's stream filter)", () => {
  const tx = liveTransaction();
  const record = (eventName: string, image: Record<string, unknown>) => ({
    eventName,
    dynamodb: {
      NewImage: Object.fromEntries(
        Object.entries(image).map(([k, v]) => [
          k,
          typeof v === "number" ? { N: String(v) } : { S: String(v) },
        ]),
      ),
    },
  });

  it("passes the INSERT of a transaction", () => {
    expect(matchesFilter(TRANSACTION_STREAM_FILTER, record("INSERT", { ...toItem(tx, 1) }))).to.equal(true);
  });

  it("drops a verdict write-back (MODIFY)", () => {
    expect(matchesFilter(TRANSACTION_STREAM_FILTER, record("MODIFY", { ...toItem(tx, 1) }))).to.equal(false);
  });

  it("drops the INSERT of an id guard, which has no account_id", () => {
    expect(matchesFilter(TRANSACTION_STREAM_FILTER, record("INSERT", idGuardItem(tx, 1)))).to.equal(false);
  });

  it("drops an event without a dynamodb section", () => {
    expect(matchesFilter(TRANSACTION_STREAM_FILTER, { eventName: "INSERT" })).to.equal(false);
  });
});

describe("Constant: ID_GUARD", () => {
  it("uses a timestamp no transaction or outcome can carry, so the guard never collides with one", () => {
    // Prepare
    const codec = makeTransactionCodec();
    const outcomeCodec = makeOutcomeCodec();
    const tx = liveTransaction();

    // Act
    const asTransaction = decodeTransaction(codec, { ...tx, timestamp: ID_GUARD.timestamp });
    const asOutcome = decodeOutcome(outcomeCodec, {
      transaction_id: tx.transaction_id,
      timestamp: ID_GUARD.timestamp,
      outcome: "fraud",
      source: "chargeback",
    });

    // Assess
    expect(ID_GUARD.timestamp).to.be.below(LIMITS.timestampMin);
    expect(asTransaction.ok).to.equal(false);
    expect(asOutcome.ok).to.equal(false);
  });
});
