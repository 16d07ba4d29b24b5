import type { SQSRecord } from "aws-lambda";
import { expect } from "chai";
import sinon from "sinon";
import { makeMemoryQueue } from "../../local/memory-queue";

// The stack's visibility timeout: fake timers let 300 s pass per redelivery without waiting.
const VISIBILITY_TIMEOUT_MS = 300_000;

describe("Function: makeMemoryQueue", () => {
  let clock: sinon.SinonFakeTimers;

  beforeEach(() => {
    clock = sinon.useFakeTimers();
  });

  afterEach(() => {
    clock.restore();
  });

  /** Lets fake time run until the queue has nothing visible or in flight. */
  async function untilIdle(queue: { isIdle(): boolean }): Promise<void> {
    while (!queue.isIdle()) await clock.tickAsync(1_000);
  }

  it("deletes succeeded messages, redelivers failed ones with a higher receive count, and dead-letters after maxReceiveCount", async () => {
    // Prepare
    const queue = makeMemoryQueue({
      queueName: "q",
      visibilityTimeoutMs: VISIBILITY_TIMEOUT_MS,
      maxReceiveCount: 2,
      pollIntervalMs: 1,
    });
    const received: SQSRecord[] = [];
    const receivedAt: number[] = [];
    queue.start(async (event) => {
      received.push(...event.Records);
      receivedAt.push(Date.now());
      const failing = event.Records.filter((r) => r.body === "bad").map((r) => ({
        itemIdentifier: r.messageId,
      }));
      return { batchItemFailures: failing };
    });

    // Act
    queue.send("good");
    queue.send("bad");
    await untilIdle(queue);
    await queue.stop();

    // Assess
    expect(received.map((r) => [r.body, r.attributes.ApproximateReceiveCount])).to.deep.equal([
      ["good", "1"],
      ["bad", "1"],
      ["bad", "2"],
    ]);
    expect(received[0].eventSource).to.equal("aws:sqs");
    // The failed message came back only once its visibility timeout had passed.
    expect(receivedAt.at(-1)! - receivedAt[0]).to.be.within(
      VISIBILITY_TIMEOUT_MS,
      VISIBILITY_TIMEOUT_MS + 1_000,
    );
    expect(queue.deadLetters().map((m) => [m.body, m.receiveCount])).to.deep.equal([["bad", 2]]);
    expect(queue.messages()).to.deep.equal([]);
  });

  it("keeps the whole batch when the handler throws or names a message not in the batch", async () => {
    // Prepare
    const queue = makeMemoryQueue({
      queueName: "q",
      visibilityTimeoutMs: VISIBILITY_TIMEOUT_MS,
      maxReceiveCount: 2,
      pollIntervalMs: 1,
    });
    const handler = sinon.stub();
    handler.onFirstCall().rejects(new Error("boom"));
    handler.onSecondCall().resolves({ batchItemFailures: [{ itemIdentifier: "unknown" }] });
    handler.resolves({ batchItemFailures: [] });
    queue.start(handler);

    // Act
    queue.send("m");
    await untilIdle(queue);
    await queue.stop();

    // Assess
    expect(handler.callCount).to.equal(2);
    expect(queue.deadLetters().map((m) => m.receiveCount)).to.deep.equal([2]);
  });
});
