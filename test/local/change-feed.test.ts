import type { DynamoDBRecord, DynamoDBStreamEvent } from "aws-lambda";
import { expect } from "chai";
import sinon from "sinon";
import { makeChangeFeed } from "../../local/change-feed";
import type { TableChange } from "../../local/memory-table";

function insert(id: string): TableChange {
  const item = { transaction_id: id, timestamp: 1, account_id: "a1" };
  return { eventName: "INSERT", keys: { transaction_id: id, timestamp: 1 }, newImage: item };
}

function idsOf(records: readonly DynamoDBRecord[]): (string | undefined)[] {
  return records.map((record) => record.dynamodb?.NewImage?.transaction_id?.S);
}

describe("Function: makeChangeFeed", () => {
  let clock: sinon.SinonFakeTimers;

  beforeEach(() => {
    clock = sinon.useFakeTimers();
  });

  afterEach(() => {
    clock.restore();
  });

  /** Lets fake time run until the feed has nothing pending or in flight. */
  async function untilIdle(feed: { isIdle(): boolean }): Promise<void> {
    while (!feed.isIdle()) await clock.tickAsync(1);
  }

  it("delivers marshalled INSERT records, drops what the filter rejects, and retries from the failed sequence number", async () => {
    // Prepare
    const feed = makeChangeFeed({
      tableName: "t",
      filter: { eventName: ["INSERT"] },
      pollIntervalMs: 1,
      maxRetries: 3,
    });
    const batches: DynamoDBStreamEvent[] = [];
    let failOnce = true;
    feed.start(async (event) => {
      batches.push(event);
      if (failOnce) {
        failOnce = false;
        return { batchItemFailures: [{ itemIdentifier: event.Records[1].dynamodb!.SequenceNumber! }] };
      }
      return { batchItemFailures: [] };
    });

    // Act
    feed.push(insert("t1"));
    feed.push({ ...insert("t1"), eventName: "MODIFY", oldImage: insert("t1").newImage });
    feed.push(insert("t2"));
    feed.push(insert("t3"));
    await untilIdle(feed);
    await feed.stop();

    // Assess
    expect(batches.map((b) => idsOf(b.Records))).to.deep.equal([
      ["t1", "t2", "t3"],
      ["t2", "t3"],
    ]);
    const record = batches[0].Records[0];
    expect(record.eventSource).to.equal("aws:dynamodb");
    expect(record.dynamodb?.StreamViewType).to.equal("NEW_AND_OLD_IMAGES");
    expect(record.dynamodb?.Keys).to.deep.equal({ transaction_id: { S: "t1" }, timestamp: { N: "1" } });
    expect(feed.delivered()).to.equal(3);
    expect(feed.deadLetters()).to.deep.equal([]);
  });

  it("dead-letters the rest of a batch once a thrown error exhausts the retries, then moves on", async () => {
    // Prepare
    const feed = makeChangeFeed({ tableName: "t", filter: {}, pollIntervalMs: 1, maxRetries: 1 });
    const handler = sinon.stub().rejects(new Error("boom"));
    feed.start(handler);

    // Act
    feed.push(insert("t1"));
    await untilIdle(feed);
    await feed.stop();

    // Assess
    expect(handler.callCount).to.equal(2);
    expect(feed.deadLetters().length).to.equal(1);
    expect(idsOf(feed.deadLetters()[0].records)).to.deep.equal(["t1"]);
    expect(feed.deadLetters()[0].reason).to.match(/boom/);
  });

  it("delivers a full batch at once instead of waiting for the batching window", async () => {
    // Prepare: a 10-minute batching window
    const feed = makeChangeFeed({
      tableName: "t",
      filter: {},
      pollIntervalMs: 600_000,
      batchSize: 3,
    });
    const batches: DynamoDBStreamEvent[] = [];
    feed.start(async (event) => {
      batches.push(event);
      return { batchItemFailures: [] };
    });

    // Act
    for (const id of ["t1", "t2", "t3", "t4"]) feed.push(insert(id));
    await clock.tickAsync(0);
    const atOnce = batches.map((b) => idsOf(b.Records));
    await clock.tickAsync(600_000);
    await feed.stop();

    // Assess: the first three went together without any time passing; the fourth waited for the window
    expect(atOnce).to.deep.equal([["t1", "t2", "t3"]]);
    expect(batches.map((b) => idsOf(b.Records))).to.deep.equal([["t1", "t2", "t3"], ["t4"]]);
    expect(feed.delivered()).to.equal(4);
  });
});
