import { AuthorizationErrorException } from "@aws-sdk/client-sns";
import { expect } from "chai";
import { makeAlertCodec } from "../../pipeline/runtime/notify/alert-codec";
import { makeNotifyHandler, NOTIFY_METRICS } from "../../pipeline/runtime/notify/handler";
import type { NotificationLedger } from "../../pipeline/runtime/ports";
import { fraudAlert, memoryLedger, recordingLog, recordingNotifier, sqsEvent } from "../helpers/alerts";
import { memoryMetrics } from "../helpers/detect";
import { FIXED_NOW, lambdaContext } from "../helpers/transactions";

const LEASE_MS = 120_000;

function setup(options: { failFor?: string[]; ledger?: NotificationLedger; now?: () => number } = {}) {
  const ledger = memoryLedger();
  const notifier = recordingNotifier({ failFor: options.failFor });
  const log = recordingLog();
  const metrics = memoryMetrics();
  const handler = makeNotifyHandler({
    notifier,
    ledger: options.ledger ?? ledger,
    codec: makeAlertCodec(),
    now: options.now ?? (() => FIXED_NOW),
    log,
    metrics: metrics.port,
    leaseMs: LEASE_MS,
  });
  return { handler, ledger, notifier, log, metrics };
}

describe("Function: makeNotifyHandler", () => {
  it("publishes one notification per alert and confirms each", async () => {
    // Prepare
    const { handler, ledger, notifier } = setup();
    const event = sqsEvent([fraudAlert({ transaction_id: "tx-1" }), fraudAlert({ transaction_id: "tx-2" })]);

    // Act
    const response = await handler(event, lambdaContext());

    // Assess
    expect(response).to.deep.equal({ batchItemFailures: [] });
    expect(notifier.published.map((n) => n.transactionId).sort()).to.deep.equal(["tx-1", "tx-2"]);
    expect(
      ledger.calls
        .filter((call) => call.op === "confirm")
        .map((call) => call.transactionId)
        .sort(),
    ).to.deep.equal(["tx-1", "tx-2"]);
  });

  it("publishes a redelivered alert only once", async () => {
    // Prepare
    const { handler, notifier, log } = setup();
    const event = sqsEvent([fraudAlert()]);

    // Act
    const first = await handler(event, lambdaContext());
    const second = await handler(event, lambdaContext());

    // Assess
    expect(first.batchItemFailures).to.deep.equal([]);
    expect(second.batchItemFailures).to.deep.equal([]);
    expect(notifier.published.length).to.equal(1);
    expect(log.entries.some((entry) => /already notified/.test(entry.message))).to.be.ok;
  });

  it("fails a record whose claim another invocation holds, without publishing", async () => {
    // Prepare
    const { handler, ledger, notifier } = setup();
    const alert = fraudAlert();
    ledger.entry({ transaction_id: alert.transaction_id, timestamp: alert.timestamp }).leaseUntil =
      FIXED_NOW + 1000;

    // Act
    const response = await handler(sqsEvent([alert]), lambdaContext());

    // Assess
    expect(response.batchItemFailures).to.deep.equal([{ itemIdentifier: "msg-1" }]);
    expect(notifier.published.length).to.equal(0);
  });

  it("claims again once an abandoned lease has expired", async () => {
    // Prepare
    const { handler, ledger, notifier } = setup();
    const alert = fraudAlert();
    ledger.entry({ transaction_id: alert.transaction_id, timestamp: alert.timestamp }).leaseUntil =
      FIXED_NOW - 1;

    // Act
    const response = await handler(sqsEvent([alert]), lambdaContext());

    // Assess
    expect(response.batchItemFailures).to.deep.equal([]);
    expect(notifier.published.length).to.equal(1);
  });

  it("releases the claim and fails only the record whose publish failed", async () => {
    // Prepare
    const { handler, ledger, notifier } = setup({ failFor: ["tx-2"] });
    const event = sqsEvent([fraudAlert({ transaction_id: "tx-1" }), fraudAlert({ transaction_id: "tx-2" })]);

    // Act
    const response = await handler(event, lambdaContext());

    // Assess
    expect(response.batchItemFailures).to.deep.equal([{ itemIdentifier: "msg-2" }]);
    expect(notifier.published.map((n) => n.transactionId)).to.deep.equal(["tx-1"]);
    expect(ledger.calls.filter((call) => call.transactionId === "tx-2").map((call) => call.op)).to.deep.equal(
      ["claim", "release"],
    );
  });

  it("still fails the record when releasing after a failed publish also fails", async () => {
    // Prepare
    const base = memoryLedger();
    const ledger: NotificationLedger = {
      claim: base.claim,
      confirm: base.confirm,
      release: async () => {
        throw new Error("release failed");
      },
    };
    const { handler, log } = setup({ failFor: ["tx-0001"], ledger });

    // Act
    const response = await handler(sqsEvent([fraudAlert()]), lambdaContext());

    // Assess
    expect(response.batchItemFailures).to.deep.equal([{ itemIdentifier: "msg-1" }]);
    expect(log.entries.some((entry) => entry.level === "warn" && /expires on its own/.test(entry.message))).to
      .be.ok;
  });

  it("fails malformed records by message id, logs no body, and still processes the others", async () => {
    // Prepare
    const { handler, notifier, log } = setup();
    const secretish = { ...fraudAlert({ transaction_id: "tx-bad" }), amount: "a lot" };
    const event = sqsEvent(["{not json", secretish, fraudAlert({ transaction_id: "tx-good" })]);

    // Act
    const response = await handler(event, lambdaContext());

    // Assess
    expect(response.batchItemFailures.map((failure) => failure.itemIdentifier).sort()).to.deep.equal([
      "msg-1",
      "msg-2",
    ]);
    expect(notifier.published.map((n) => n.transactionId)).to.deep.equal(["tx-good"]);
    const logged = JSON.stringify(log.entries);
    expect(log.entries.some((entry) => entry.attributes.messageId === "msg-1" && entry.level === "warn")).to
      .be.ok;
    expect(log.entries.some((entry) => entry.attributes.messageId === "msg-2" && entry.level === "warn")).to
      .be.ok;
    expect(logged.includes("{not json")).to.equal(false);
    expect(logged.includes("a lot")).to.equal(false);
  });

  it("fails the record when claiming throws, and logs the error name", async () => {
    // Prepare
    const throttled = Object.assign(new Error("DynamoDB throttled"), { name: "StorageThrottledError" });
    const ledger: NotificationLedger = {
      claim: async () => {
        throw throttled;
      },
      confirm: async () => undefined,
      release: async () => undefined,
    };
    const { handler, notifier, log } = setup({ ledger });

    // Act
    const response = await handler(sqsEvent([fraudAlert()]), lambdaContext());

    // Assess
    expect(response.batchItemFailures).to.deep.equal([{ itemIdentifier: "msg-1" }]);
    expect(notifier.published.length).to.equal(0);
    expect(
      log.entries.some(
        (entry) => entry.level === "error" && entry.attributes.error === "StorageThrottledError",
      ),
    ).to.be.ok;
  });

  it("counts a published alert as done even when confirming it fails", async () => {
    // Prepare
    const base = memoryLedger();
    const ledger: NotificationLedger = {
      claim: base.claim,
      release: base.release,
      confirm: async () => {
        throw new Error("confirm failed");
      },
    };
    const { handler, notifier } = setup({ ledger });

    // Act
    const response = await handler(sqsEvent([fraudAlert()]), lambdaContext());

    // Assess
    expect(response.batchItemFailures).to.deep.equal([]);
    expect(notifier.published.length).to.equal(1);
  });

  it("retries a failed confirm once, so one transient failure still records the notification", async () => {
    // Prepare
    const base = memoryLedger();
    let confirmCalls = 0;
    const ledger: NotificationLedger = {
      claim: base.claim,
      release: base.release,
      confirm: async (key, at) => {
        confirmCalls += 1;
        if (confirmCalls === 1) throw new Error("throttled");
        await base.confirm(key, at);
      },
    };
    const { handler, notifier } = setup({ ledger });
    const alert = fraudAlert();

    // Act
    await handler(sqsEvent([alert]), lambdaContext());
    const redelivery = await handler(sqsEvent([alert]), lambdaContext());

    // Assess
    expect(confirmCalls).to.equal(2);
    expect(redelivery.batchItemFailures).to.deep.equal([]);
    expect(notifier.published.length, "the redelivery finds the confirmed notification").to.equal(1);
  });

  it("processes a batch larger than its concurrency bound completely", async () => {
    // Prepare
    const { handler, notifier } = setup({ failFor: ["tx-7", "tx-23"] });
    const alerts = Array.from({ length: 25 }, (_, i) => fraudAlert({ transaction_id: `tx-${i}` }));

    // Act
    const response = await handler(sqsEvent(alerts), lambdaContext());

    // Assess
    expect(notifier.published.length).to.equal(23);
    expect(response.batchItemFailures.map((failure) => failure.itemIdentifier).sort()).to.deep.equal([
      "msg-24",
      "msg-8",
    ]);
  });

  it("logs a batch summary with the request id and outcome counts", async () => {
    // Prepare
    const { handler, log } = setup();

    // Act
    await handler(sqsEvent([fraudAlert(), "nope"]), lambdaContext({ awsRequestId: "req-7" }));

    // Assess
    const summary = log.entries.find((entry) => entry.message === "Alert batch processed");
    expect(summary?.attributes).to.deep.equal({
      requestId: "req-7",
      records: 2,
      published: 1,
      skipped: 0,
      failed: 1,
    });
  });

  it("counts published alerts once per transaction and failed records per attempt, flushing once per invocation", async () => {
    // Prepare
    const { handler, metrics } = setup({ failFor: ["tx-2"] });
    const event = sqsEvent([fraudAlert({ transaction_id: "tx-1" }), fraudAlert({ transaction_id: "tx-2" })]);

    // Act
    await handler(event, lambdaContext());
    await handler(event, lambdaContext());

    // Assess
    expect(metrics.counts.get(NOTIFY_METRICS.published)).to.equal(1);
    expect(metrics.counts.get(NOTIFY_METRICS.failedRecords)).to.equal(2);
    expect(metrics.state.flushes).to.equal(2);
  });

  it("logs the AWS error's name and HTTP status when publishing fails", async () => {
    // Prepare
    const log = recordingLog();
    const denied = new AuthorizationErrorException({
      $metadata: { httpStatusCode: 403 },
      message: "User is not authorized to perform SNS:Publish",
    });
    const failing = makeNotifyHandler({
      notifier: {
        publish: async () => {
          throw denied;
        },
      },
      ledger: memoryLedger(),
      codec: makeAlertCodec(),
      now: () => FIXED_NOW,
      log,
      metrics: memoryMetrics().port,
      leaseMs: LEASE_MS,
    });

    // Act
    const response = await failing(sqsEvent([fraudAlert({ transaction_id: "tx-9" })]), lambdaContext());

    // Assess
    expect(response.batchItemFailures).to.deep.equal([{ itemIdentifier: "msg-1" }]);
    const failure = log.entries.find((entry) => entry.level === "error");
    expect(failure?.attributes).to.include({
      transactionId: "tx-9",
      errorName: "AuthorizationErrorException",
      httpStatusCode: 403,
    });
  });
});
