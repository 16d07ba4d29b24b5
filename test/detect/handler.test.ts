import { KmsAccessDenied, SendMessageBatchCommand, SQSClient } from "@aws-sdk/client-sqs";
import { expect } from "chai";
import { makeSqsAlertQueue } from "../../pipeline/runtime/aws/sqs";
import { makeTransactionCodec } from "../../pipeline/runtime/contract/codec";
import type { Transaction } from "../../pipeline/runtime/contract/transaction";
import { DEFAULT_RULES_CONFIG } from "../../pipeline/runtime/detect/config";
import { DETECT_METRICS, makeDetectHandler } from "../../pipeline/runtime/detect/handler";
import { dayOf } from "../../pipeline/runtime/detect/merchant-risk";
import type { AlertQueue, VerdictStore } from "../../pipeline/runtime/ports";
import { useClientMock } from "../helpers/aws-mocks";
import {
  memoryAlerts,
  memoryHistory,
  memoryLog,
  memoryMerchants,
  memoryMetrics,
  memoryVerdicts,
  rulesOnlyConfig,
  series,
} from "../helpers/detect";
import { insertRecord, modifyRecord, removeRecord, streamEvent, streamRecord } from "../helpers/streams";
import { FIXED_NOW, lambdaContext, validTransaction } from "../helpers/transactions";

const DETECTED_AT = FIXED_NOW + 2_000;
/** The handler's mechanics are easiest to read when a score is the sum of the rules that fired. */
const RULES_ONLY = rulesOnlyConfig();
const context = lambdaContext({ functionName: "lambda-detect-fraud-dev" });

/** A transaction of `account` at FIXED_NOW minus `agoMs`. */
function tx(id: string, options: Partial<Transaction> & { agoMs?: number } = {}): Transaction {
  const { agoMs = 0, ...overrides } = options;
  return validTransaction({ transaction_id: id, timestamp: FIXED_NOW - agoMs, ...overrides });
}

/** Twice the USD limit: high-amount scores 80, above the default threshold of 60. */
const FRAUDULENT_AMOUNT = 2 * DEFAULT_RULES_CONFIG.rules.highAmount.limits.USD;

function setup(
  options: {
    stored?: readonly Transaction[];
    failingAccounts?: readonly string[];
    failingAlerts?: readonly string[];
    alertsReject?: boolean;
    failingVerdicts?: readonly string[];
    merchantItems?: Record<string, unknown>;
    merchantsReject?: boolean;
    countsReject?: boolean;
    /** Replaces the recording verdict store (whose writes `verdicts.written` then does not see). */
    verdictStore?: VerdictStore;
    /** Replaces the recording alert queue. */
    alertQueue?: AlertQueue;
  } = {},
) {
  const history = memoryHistory(options.stored ?? [], { failing: options.failingAccounts });
  const alerts = memoryAlerts({ failing: options.failingAlerts, rejects: options.alertsReject });
  const verdicts = memoryVerdicts({ failing: options.failingVerdicts });
  const log = memoryLog();
  const metrics = memoryMetrics();
  const merchants = memoryMerchants({
    items: options.merchantItems,
    readRejects: options.merchantsReject,
    writeRejects: options.countsReject,
  });
  const handler = makeDetectHandler({
    history: history.port,
    alerts: options.alertQueue ?? alerts.port,
    verdicts: options.verdictStore ?? verdicts.port,
    merchantProfiles: merchants.reader,
    merchantCounts: merchants.writer,
    log: log.port,
    metrics: metrics.port,
    config: RULES_ONLY,
    codec: makeTransactionCodec(),
    now: () => DETECTED_AT,
  });
  return { handler, history, alerts, verdicts, log, metrics, merchants };
}

const sequenceOf = (record: { dynamodb?: { SequenceNumber?: string } }) => record.dynamodb?.SequenceNumber;
const verdictIds = (written: readonly { key: { transaction_id: string } }[]) =>
  written.map((w) => w.key.transaction_id).sort();

describe("Function: makeDetectHandler", () => {
  it("skips MODIFY and REMOVE records and assesses the INSERT", async () => {
    // Prepare
    const { handler, verdicts, history } = setup();
    const event = streamEvent([modifyRecord(tx("old")), removeRecord(tx("gone")), insertRecord(tx("new"))]);

    // Act
    const response = await handler(event, context);

    // Assess
    expect(response).to.deep.equal({ batchItemFailures: [] });
    expect(verdictIds(verdicts.written)).to.deep.equal(["new"]);
    expect(history.calls.map((c) => c.accountId)).to.deep.equal(["acc-0001"]);
  });

  it("reports a malformed record by sequence number and still processes the others", async () => {
    // Prepare
    const { handler, verdicts, log } = setup();
    const broken = streamRecord("INSERT", { newItem: { ...tx("broken"), amount: -5 } });
    const event = streamEvent([
      insertRecord(tx("a")),
      broken,
      insertRecord(tx("b", { account_id: "acc-0002" })),
    ]);

    // Act
    const response = await handler(event, context);

    // Assess
    expect(response).to.deep.equal({ batchItemFailures: [{ itemIdentifier: sequenceOf(broken) }] });
    expect(verdictIds(verdicts.written)).to.deep.equal(["a", "b"]);
    const failure = log.entries.find((e) => e.level === "error");
    expect(failure?.attributes?.eventId).to.equal(broken.eventID);
    expect(failure?.attributes?.sequenceNumber).to.equal(sequenceOf(broken));
    expect(failure?.attributes?.transactionId).to.equal("broken");
    expect(String(failure?.attributes?.reason)).to.match(/amount must be an integer/);
  });

  const stored = series(4, { amount: 5_00, stepMs: 30_000, endsBefore: 120_000 });
  const first = tx("batch-1", { agoMs: 60_000 });
  const second = tx("batch-2", { merchant_id: "merchant-0002" });
  for (const [lag, indexed] of [
    ["lags behind the batch", stored],
    ["already holds the first batch record", [...stored, first]],
    ["already holds both batch records", [...stored, first, second]],
  ] as const) {
    it(`merges the index history with earlier batch records when the index ${lag}`, async () => {
      // Prepare: 4 stored transactions within 10 minutes, then 2 in the batch.
      const { handler, history, verdicts } = setup({ stored: indexed });

      // Act
      await handler(streamEvent([insertRecord(first), insertRecord(second)]), context);

      // Assess
      expect(history.calls).to.deep.equal([
        {
          accountId: "acc-0001",
          since: first.timestamp - DEFAULT_RULES_CONFIG.history.windowMs,
          until: second.timestamp,
          limit: DEFAULT_RULES_CONFIG.history.limit + 2,
        },
      ]);
      const byId = new Map(verdicts.written.map((w) => [w.key.transaction_id, w.verdict]));
      expect(byId.get("batch-1")?.rules, "4 stored + itself = 5 transactions, at the limit").to.deep.equal(
        [],
      );
      expect(byId.get("batch-2")?.rules, "4 stored + batch-1 + itself = 6").to.deep.equal(["velocity"]);
      expect(byId.get("batch-2")?.score).to.equal(30);
    });
  }

  it("sends one alert batch for every flagged record, in stream order", async () => {
    // Prepare
    const { handler, alerts, verdicts } = setup();
    const event = streamEvent([
      insertRecord(tx("f1", { amount: FRAUDULENT_AMOUNT })),
      insertRecord(tx("ok")),
      insertRecord(tx("f2", { amount: FRAUDULENT_AMOUNT, account_id: "acc-0002" })),
    ]);

    // Act
    const response = await handler(event, context);

    // Assess
    expect(response).to.deep.equal({ batchItemFailures: [] });
    expect(alerts.calls.length).to.equal(1);
    expect(alerts.calls[0].map((a) => [a.transaction_id, a.score, a.detected_at])).to.deep.equal([
      ["f1", 80, DETECTED_AT],
      ["f2", 80, DETECTED_AT],
    ]);
    expect(alerts.calls[0][0].rules.map((r) => r.rule)).to.deep.equal(["high-amount"]);
    const flagged = verdicts.written
      .filter((w) => w.verdict.verdict === "flagged")
      .map((w) => w.key.transaction_id);
    expect(flagged.sort()).to.deep.equal(["f1", "f2"]);
    expect(verdicts.written.every((w) => w.verdict.decidedAt === DETECTED_AT)).to.be.ok;
  });

  it("sends no alerts when nothing is flagged", async () => {
    // Prepare
    const { handler, alerts } = setup();

    // Act
    await handler(streamEvent([insertRecord(tx("ok"))]), context);

    // Assess
    expect(alerts.calls.length).to.equal(0);
  });

  it("fails exactly the records whose alert was not sent and writes no verdict for them", async () => {
    // Prepare
    const { handler, verdicts, metrics } = setup({ failingAlerts: ["f2"] });
    const records = ["f1", "f2", "f3"].map((id) => insertRecord(tx(id, { amount: FRAUDULENT_AMOUNT })));
    const cleared = insertRecord(tx("ok"));

    // Act
    const response = await handler(streamEvent([...records, cleared]), context);

    // Assess
    expect(response).to.deep.equal({ batchItemFailures: [{ itemIdentifier: sequenceOf(records[1]) }] });
    expect(verdictIds(verdicts.written)).to.deep.equal(["f1", "f3", "ok"]);
    expect(metrics.counts.get(DETECT_METRICS.flagged)).to.equal(2);
  });

  it("fails every flagged record when the alert batch is rejected, and still clears the others", async () => {
    // Prepare
    const { handler, verdicts } = setup({ alertsReject: true });
    const f1 = insertRecord(tx("f1", { amount: FRAUDULENT_AMOUNT }));
    const f2 = insertRecord(tx("f2", { amount: FRAUDULENT_AMOUNT }));

    // Act
    const response = await handler(streamEvent([f1, insertRecord(tx("ok")), f2]), context);

    // Assess
    expect(response.batchItemFailures).to.deep.equal([
      { itemIdentifier: sequenceOf(f1) },
      { itemIdentifier: sequenceOf(f2) },
    ]);
    expect(verdictIds(verdicts.written)).to.deep.equal(["ok"]);
  });

  it("fails a record whose verdict cannot be written", async () => {
    // Prepare
    const { handler, verdicts, log } = setup({ failingVerdicts: ["b"] });
    const b = insertRecord(tx("b"));

    // Act
    const response = await handler(streamEvent([insertRecord(tx("a")), b, insertRecord(tx("c"))]), context);

    // Assess
    expect(response).to.deep.equal({ batchItemFailures: [{ itemIdentifier: sequenceOf(b) }] });
    expect(verdictIds(verdicts.written)).to.deep.equal(["a", "c"]);
    const failure = log.entries.find((e) => e.level === "error");
    expect(String(failure?.attributes?.reason)).to.match(
      /^verdict write failed: Error: ConditionalCheckFailed/,
    );
  });

  it("fails the records of an account whose history query fails, and only those", async () => {
    // Prepare
    const { handler, verdicts, history } = setup({ failingAccounts: ["acc-0002"] });
    const other = { account_id: "acc-0002" };
    const b1 = insertRecord(tx("b1", other));
    const b2 = insertRecord(tx("b2", other));

    // Act
    const response = await handler(streamEvent([b1, insertRecord(tx("a1")), b2]), context);

    // Assess
    expect(response.batchItemFailures).to.deep.equal([
      { itemIdentifier: sequenceOf(b1) },
      { itemIdentifier: sequenceOf(b2) },
    ]);
    expect(verdictIds(verdicts.written)).to.deep.equal(["a1"]);
    expect(history.calls.length).to.equal(2);
  });

  it("leaves undecodable index items out of the history and logs how many, by account", async () => {
    // Prepare: six items within the velocity window would fire velocity, but their currency breaks the contract
    const malformed = Array.from(
      { length: 6 },
      (_, i) => ({ ...tx(`bad-${i}`, { agoMs: (i + 1) * 30_000 }), currency: "usd" }) as Transaction,
    );
    const { handler, verdicts, log } = setup({ stored: malformed });

    // Act
    const response = await handler(streamEvent([insertRecord(tx("a1"))]), context);

    // Assess
    expect(response.batchItemFailures).to.deep.equal([]);
    expect(verdicts.written[0].verdict.rules).to.deep.equal([]);
    const warning = log.entries.find((e) => e.message === "Skipped undecodable history items");
    expect(warning?.attributes).to.deep.equal({ accountId: "acc-0001", skipped: 6 });
  });

  it("counts flagged transactions and flushes metrics once per invocation", async () => {
    // Prepare
    const { handler, metrics } = setup({ failingVerdicts: ["f2"] });
    const event = streamEvent([
      insertRecord(tx("f1", { amount: FRAUDULENT_AMOUNT })),
      insertRecord(tx("f2", { amount: FRAUDULENT_AMOUNT })),
      insertRecord(tx("ok")),
    ]);

    // Act
    await handler(event, context);

    // Assess
    expect(metrics.counts.get(DETECT_METRICS.flagged), "f2 failed and will be counted on retry").to.equal(1);
    expect(metrics.counts.get(DETECT_METRICS.failedRecords)).to.equal(1);
    expect(metrics.state.flushes).to.equal(1);
  });

  it("flushes metrics for an empty batch", async () => {
    // Prepare
    const { handler, metrics } = setup();

    // Act
    const response = await handler(streamEvent([]), context);

    // Assess
    expect(response).to.deep.equal({ batchItemFailures: [] });
    expect(metrics.counts.get(DETECT_METRICS.flagged)).to.equal(0);
    expect(metrics.state.flushes).to.equal(1);
  });

  it("logs a batch summary of counts and never amounts or locations", async () => {
    // Prepare
    const { handler, log } = setup({ failingAlerts: ["f1"] });
    const located = { location: { latitude: 48.8566, longitude: 2.3522 } };
    const event = streamEvent([
      modifyRecord(tx("m")),
      insertRecord(tx("f1", { amount: FRAUDULENT_AMOUNT + 4_321, ...located })),
      insertRecord(tx("ok", { amount: 987_65, ...located })),
      streamRecord("INSERT", { newItem: { ...tx("bad"), amount: 55_555 }, oldItem: undefined }),
    ]);
    event.Records[3].dynamodb!.NewImage!.currency = { S: "usd" };

    // Act
    await handler(event, context);

    // Assess
    const summary = log.entries.find((e) => e.level === "info");
    expect(summary?.attributes).to.deep.equal({
      records: 4,
      skipped: 1,
      assessed: 2,
      flagged: 1,
      flaggedDone: 0,
      failed: 2,
    });
    const logged = JSON.stringify(log.entries);
    for (const secret of [String(FRAUDULENT_AMOUNT + 4_321), "98765", "55555", "48.8566", "2.3522"]) {
      expect(!logged.includes(secret), `log contains ${secret}`).to.be.ok;
    }
  });

  it("fails every record when the merchant profiles cannot be read, and writes nothing", async () => {
    // Prepare
    const { handler, verdicts, alerts, merchants } = setup({ merchantsReject: true });
    const records = [insertRecord(tx("a")), insertRecord(tx("f", { amount: FRAUDULENT_AMOUNT }))];

    // Act
    const response = await handler(streamEvent(records), context);

    // Assess
    expect(response).to.deep.equal({
      batchItemFailures: records.map((r) => ({ itemIdentifier: sequenceOf(r) })),
    });
    expect(verdicts.written.length).to.equal(0);
    expect(alerts.calls.length).to.equal(0);
    expect(merchants.increments.length).to.equal(0);
  });

  it("reads the batch's merchants once and counts each transaction on its first verdict only", async () => {
    // Prepare
    const { handler, merchants } = setup();
    const first = insertRecord(tx("a"));
    const second = insertRecord(tx("b", { merchant_id: "merchant-0002" }));

    // Act
    await handler(streamEvent([first, second]), context);
    await handler(streamEvent([first]), context);

    // Assess
    expect(merchants.reads).to.deep.equal([["merchant-0001", "merchant-0002"], ["merchant-0001"]]);
    const day = dayOf(FIXED_NOW);
    expect(merchants.increments).to.deep.equal([
      { merchantId: "merchant-0001", day, transactions: 1, frauds: 0 },
      { merchantId: "merchant-0002", day, transactions: 1, frauds: 0 },
    ]);
  });

  it("fails no record when the merchant counts cannot be written, and measures and logs the loss", async () => {
    // Prepare
    const { handler, verdicts, metrics, log } = setup({ countsReject: true });

    // Act
    const response = await handler(streamEvent([insertRecord(tx("a")), insertRecord(tx("b"))]), context);

    // Assess
    expect(response).to.deep.equal({ batchItemFailures: [] });
    expect(verdicts.written.length).to.equal(2);
    expect(metrics.counts.get(DETECT_METRICS.uncountedTransactions)).to.equal(2);
    const error = log.entries.find((e) => e.level === "error");
    expect(error?.message).to.equal("Merchant counts not written");
    expect(error?.attributes?.transactions).to.equal(2);
  });

  it("counts a flagged transaction once however often its batch is delivered", async () => {
    // Prepare: the stream may deliver a batch again (a retry from a failed record, a redelivery)
    const { handler, metrics } = setup();
    const event = streamEvent([
      insertRecord(tx("f1", { amount: FRAUDULENT_AMOUNT })),
      insertRecord(tx("f2", { amount: FRAUDULENT_AMOUNT })),
      insertRecord(tx("ok")),
    ]);

    // Act
    await handler(event, context);
    await handler(event, context);
    await handler(event, context);

    // Assess
    expect(metrics.counts.get(DETECT_METRICS.flagged)).to.equal(2);
  });

  it("counts a flagged transaction on the delivery that first writes its verdict", async () => {
    // Prepare: f2's verdict write fails on the first delivery only
    const stored = memoryVerdicts();
    let f2Fails = true;
    const verdictStore: VerdictStore = {
      async recordVerdict(key, verdict) {
        if (key.transaction_id === "f2" && f2Fails) {
          f2Fails = false;
          throw new Error("ThrottlingException");
        }
        return stored.port.recordVerdict(key, verdict);
      },
    };
    const { handler, metrics } = setup({ verdictStore });
    const f1 = insertRecord(tx("f1", { amount: FRAUDULENT_AMOUNT }));
    const f2 = insertRecord(tx("f2", { amount: FRAUDULENT_AMOUNT }));

    // Act
    const first = await handler(streamEvent([f1, f2]), context);
    await handler(streamEvent([f1, f2]), context);

    // Assess
    expect(first.batchItemFailures).to.deep.equal([{ itemIdentifier: sequenceOf(f2) }]);
    expect(metrics.counts.get(DETECT_METRICS.flagged)).to.equal(2);
    expect(metrics.counts.get(DETECT_METRICS.failedRecords)).to.equal(1);
  });

  it("logs the queue's code with the transaction id of an alert the queue refused", async () => {
    // Prepare
    const { handler, log } = setup({ failingAlerts: ["f1"] });

    // Act
    await handler(streamEvent([insertRecord(tx("f1", { amount: FRAUDULENT_AMOUNT }))]), context);

    // Assess
    const failure = log.entries.find((e) => e.message === "Record failed");
    expect(failure?.attributes).to.include({
      transactionId: "f1",
      reason: "alert not sent (InternalError)",
      errorName: "InternalError",
    });
  });

  describe("over the SQS adapter", () => {
    const sqs = useClientMock(SQSClient);

    it("fails every flagged record when SQS refuses the send, logging the AWS error's name and status", async () => {
      // Prepare
      sqs()
        .on(SendMessageBatchCommand)
        .rejects(new KmsAccessDenied({ $metadata: { httpStatusCode: 400 }, message: "key not usable" }));
      const alertQueue = makeSqsAlertQueue({ client: new SQSClient({}), queueUrl: "https://sqs.example/q" });
      const { handler, log, metrics, verdicts } = setup({ alertQueue });
      const f1 = insertRecord(tx("f1", { amount: FRAUDULENT_AMOUNT }));
      const f2 = insertRecord(tx("f2", { amount: FRAUDULENT_AMOUNT }));

      // Act
      const response = await handler(streamEvent([f1, insertRecord(tx("ok")), f2]), context);

      // Assess
      expect(response.batchItemFailures).to.deep.equal([
        { itemIdentifier: sequenceOf(f1) },
        { itemIdentifier: sequenceOf(f2) },
      ]);
      expect(verdictIds(verdicts.written)).to.deep.equal(["ok"]);
      const failures = log.entries.filter((e) => e.message === "Record failed");
      expect(failures.map((e) => e.attributes?.transactionId)).to.deep.equal(["f1", "f2"]);
      for (const failure of failures) {
        expect(failure.attributes).to.include({ errorName: "KmsAccessDenied", httpStatusCode: 400 });
        expect(String(failure.attributes?.reason)).to.match(
          /^alert batch failed: Error: SQS SendMessageBatch refused 1 of 1 calls/,
        );
      }
      expect(metrics.counts.get(DETECT_METRICS.flagged)).to.equal(0);
      expect(metrics.counts.get(DETECT_METRICS.failedRecords)).to.equal(2);
    });
  });
});
