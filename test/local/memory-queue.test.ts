import type { SQSRecord } from "aws-lambda";
import { expect } from "chai";
import { makeMemoryQueue } from "../../local/memory-queue";

async function untilIdle(queue: { isIdle(): boolean }): Promise<void> {
  while (!queue.isIdle()) await new Promise((resolve) => setTimeout(resolve, 2));
}

describe("Function: makeMemoryQueue", () => {
  it("deletes succeeded messages, redelivers failed ones with a higher receive count, and dead-letters after maxReceiveCount", async () => {
    // Prepare
    const queue = makeMemoryQueue({
      queueName: "q",
      visibilityTimeoutMs: 10,
      maxReceiveCount: 2,
      pollIntervalMs: 1,
    });
    const received: SQSRecord[] = [];
    queue.start(async (event) => {
      received.push(...event.Records);
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
    expect(queue.deadLetters().map((m) => [m.body, m.receiveCount])).to.deep.equal([["bad", 2]]);
    expect(queue.messages()).to.deep.equal([]);
  });

  it("keeps the whole batch when the handler throws or names a message not in the batch", async () => {
    // Prepare
    const queue = makeMemoryQueue({
      queueName: "q",
      visibilityTimeoutMs: 5,
      maxReceiveCount: 2,
      pollIntervalMs: 1,
    });
    let calls = 0;
    queue.start(async () => {
      calls += 1;
      if (calls === 1) throw new Error("boom");
      if (calls === 2) return { batchItemFailures: [{ itemIdentifier: "unknown" }] };
      return { batchItemFailures: [] };
    });

    // Act
    queue.send("m");
    await untilIdle(queue);
    await queue.stop();

    // Assess
    expect(calls).to.equal(2);
    expect(queue.deadLetters().map((m) => m.receiveCount)).to.deep.equal([2]);
  });
});
