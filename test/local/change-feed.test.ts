import type { DynamoDBRecord, DynamoDBStreamEvent } from "aws-lambda";
import { expect } from "chai";
import sinon from "sinon";
import { makeChangeFeed, toStreamRecord } from "../../local/change-feed";
import { type FilterPattern, matchesFilter } from "../../local/event-filter";
import type { TableChange } from "../../local/memory-table";
import { TRANSACTION_STREAM_FILTER } from "../../pipeline/runtime/table-definitions";

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

  it("delivers exactly the records, and the same records, that the filter passes on whole records", async () => {
    // Prepare: inserts and a modify of an item and of an id guard (no account), under patterns on
    // the event, on named image attributes, and on a field that is not an image
    const item = { transaction_id: "t1", timestamp: 1, account_id: "a1", amount: 5, rules: ["velocity"] };
    const guard = { transaction_id: "t1", timestamp: 0, guarded_timestamp: 1 };
    const changes: TableChange[] = [
      { eventName: "INSERT", keys: { transaction_id: "t1", timestamp: 1 }, newImage: item },
      { eventName: "INSERT", keys: { transaction_id: "t1", timestamp: 0 }, newImage: guard },
      {
        eventName: "MODIFY",
        keys: { transaction_id: "t1", timestamp: 1 },
        oldImage: item,
        newImage: { ...item, verdict: "flagged" },
      },
    ];
    const patterns: FilterPattern[] = [
      TRANSACTION_STREAM_FILTER,
      { dynamodb: { NewImage: { account_id: { S: [{ exists: false }] } } } },
      { dynamodb: { OldImage: { verdict: { S: [{ exists: false }] } }, Keys: { timestamp: { N: ["1"] } } } },
      { dynamodb: { StreamViewType: ["NEW_AND_OLD_IMAGES"] } },
    ];

    for (const filter of patterns) {
      const feed = makeChangeFeed({ tableName: "t", filter, pollIntervalMs: 1 });
      const delivered: DynamoDBRecord[] = [];
      feed.start(async (event) => {
        delivered.push(...event.Records);
        return { batchItemFailures: [] };
      });

      // Act
      for (const change of changes) feed.push(change);
      await untilIdle(feed);
      await feed.stop();

      // Assess: what the filter passes when it sees each whole record, in sequence
      const expected = changes
        .map((change, i) => toStreamRecord(change, i + 1, "t"))
        .filter((record) => matchesFilter(filter, record));
      expect(delivered, JSON.stringify(filter)).to.deep.equal(expected);
    }
  });
});
