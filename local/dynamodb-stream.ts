/**
 * Reads a table's stream through the DynamoDB Streams API and hands the records over in the shape
 * Lambda gives a stream-triggered function (`DynamoDBRecord`). The DynamoDB Local tests read every
 * record since the stream began; the local runner's `--dynamodb-endpoint` mode polls new records
 * (see `makeStreamPoller`).
 */
import { DescribeTableCommand, type DynamoDBClient } from "@aws-sdk/client-dynamodb";
import {
  DescribeStreamCommand,
  type DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type ShardIteratorType,
  type _Record as StreamsRecord,
} from "@aws-sdk/client-dynamodb-streams";
import type { DynamoDBRecord } from "aws-lambda";
import type { StreamHandler } from "./change-feed";

/**
 * The ARN of the table's current stream.
 *
 * @example
 * const streamArn = await latestStreamArn(dynamodb, "dynamodb-transactions-local");
 * @throws Error naming the table when it has no stream.
 */
async function latestStreamArn(client: DynamoDBClient, tableName: string): Promise<string> {
  const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
  if (Table?.LatestStreamArn === undefined) throw new Error(`Table ${tableName} has no stream`);
  return Table.LatestStreamArn;
}

/**
 * A Streams API record as Lambda delivers it: the same fields, the creation time in epoch seconds
 * and the stream's ARN as the event source ARN.
 *
 * @example
 * const event = { Records: records.map((record) => toLambdaRecord(record, streamArn)) };
 */
function toLambdaRecord(record: StreamsRecord, streamArn: string): DynamoDBRecord {
  const { ApproximateCreationDateTime, ...stream } = record.dynamodb ?? {};
  return {
    eventID: record.eventID,
    eventName: record.eventName,
    eventVersion: record.eventVersion,
    eventSource: record.eventSource,
    awsRegion: record.awsRegion,
    eventSourceARN: streamArn,
    dynamodb: {
      ...(stream as NonNullable<DynamoDBRecord["dynamodb"]>),
      ...(ApproximateCreationDateTime !== undefined && {
        ApproximateCreationDateTime: Math.floor(ApproximateCreationDateTime.getTime() / 1000),
      }),
    },
  };
}

/** The ids of the stream's shards. */
async function shardIds(streams: DynamoDBStreamsClient, streamArn: string): Promise<string[]> {
  const { StreamDescription } = await streams.send(new DescribeStreamCommand({ StreamArn: streamArn }));
  return (StreamDescription?.Shards ?? []).map((shard) => shard.ShardId ?? "").filter((id) => id !== "");
}

async function shardIterator(
  streams: DynamoDBStreamsClient,
  streamArn: string,
  shardId: string,
  type: ShardIteratorType,
): Promise<string | undefined> {
  const { ShardIterator } = await streams.send(
    new GetShardIteratorCommand({ StreamArn: streamArn, ShardId: shardId, ShardIteratorType: type }),
  );
  return ShardIterator;
}

/**
 * Every record the stream holds, shard by shard from the oldest, as Lambda records.
 *
 * @example
 * const records = await readStream(streams, streamArn);
 */
async function readStream(streams: DynamoDBStreamsClient, streamArn: string): Promise<DynamoDBRecord[]> {
  const records: DynamoDBRecord[] = [];
  for (const shardId of await shardIds(streams, streamArn)) {
    let iterator = await shardIterator(streams, streamArn, shardId, "TRIM_HORIZON");
    // An open shard always returns a next iterator: stop at the first empty page.
    while (iterator !== undefined) {
      const page = await streams.send(new GetRecordsCommand({ ShardIterator: iterator }));
      const batch = page.Records ?? [];
      records.push(...batch.map((record) => toLambdaRecord(record, streamArn)));
      iterator = batch.length === 0 ? undefined : page.NextShardIterator;
    }
  }
  return records;
}

/** A batch the poller gave up on after its retries (the stream-failure DLQ's share). */
export interface PolledDeadLetter {
  readonly records: readonly DynamoDBRecord[];
  readonly attempts: number;
}

export interface StreamPollerOptions {
  readonly streams: DynamoDBStreamsClient;
  readonly streamArn: string;
  /** The event source mapping's filter: records it rejects are never delivered. */
  readonly filter: (record: DynamoDBRecord) => boolean;
  readonly pollIntervalMs: number;
  readonly batchSize?: number;
  /** Retries of a failing batch before it is dead-lettered (Lambda's MaximumRetryAttempts). */
  readonly maxRetries?: number;
  readonly onError?: (error: unknown) => void;
}

export interface StreamPoller {
  /** Positions every shard at its latest record (like the stack's `LATEST`); call before writes. */
  open(): Promise<void>;
  /** Starts delivering new records to `handler`, in order, shard by shard. */
  start(handler: StreamHandler): void;
  /** Resolves after a poll that began after this call found nothing new and nothing is in flight. */
  settled(): Promise<void>;
  deadLetters(): readonly PolledDeadLetter[];
  /** Number of records delivered successfully. */
  delivered(): number;
  /** Stops polling after the round in flight, which it awaits. */
  stop(): Promise<void>;
}

/**
 * Polls the stream through the Streams API the way the stack's event source mapping feeds
 * detect-fraud: the mapping's filter applied, batches in order, ReportBatchItemFailures (delivery
 * resumes at the lowest failed record; a thrown error retries the whole batch), and after
 * `maxRetries` retries the rest of the batch is dead-lettered and the shard moves on. Shards that
 * appear later (DynamoDB rolls them over) are read from their start.
 *
 * @example
 * const poller = makeStreamPoller({ streams, streamArn, filter, pollIntervalMs: 20 });
 * await poller.open();
 * poller.start((event) => detect(event, context));
 */
function makeStreamPoller(options: StreamPollerOptions): StreamPoller {
  const batchSize = options.batchSize ?? 100;
  const maxRetries = options.maxRetries ?? 3;
  const iterators = new Map<string, string>();
  const finished = new Set<string>();
  const dead: PolledDeadLetter[] = [];
  const waiters: { since: number; resolve: () => void }[] = [];
  let handler: StreamHandler | undefined;
  let delivered = 0;
  let stopped = false;
  let round: Promise<void> | undefined;
  let timer: NodeJS.Timeout | undefined;
  let rounds = 0;

  /** Delivers `records` until they succeed or run out of retries. */
  const deliver = async (records: DynamoDBRecord[]) => {
    let pending = records;
    for (let attempt = 1; pending.length > 0; attempt++) {
      let failedAt = 0;
      try {
        const response = await handler!({ Records: pending });
        const failed = (response?.batchItemFailures ?? []).map((failure) =>
          pending.findIndex((record) => record.dynamodb?.SequenceNumber === failure.itemIdentifier),
        );
        // Lambda treats an unknown item identifier as a failure of the whole batch.
        failedAt = failed.length === 0 ? pending.length : failed.includes(-1) ? 0 : Math.min(...failed);
      } catch (error) {
        options.onError?.(error);
      }
      delivered += failedAt;
      pending = pending.slice(failedAt);
      if (pending.length > 0 && attempt > maxRetries) {
        dead.push({ records: pending, attempts: attempt });
        return;
      }
      if (pending.length > 0) await new Promise((resolve) => setTimeout(resolve, options.pollIntervalMs));
    }
  };

  const discoverShards = async (type: ShardIteratorType) => {
    for (const shardId of await shardIds(options.streams, options.streamArn)) {
      if (iterators.has(shardId) || finished.has(shardId)) continue;
      const iterator = await shardIterator(options.streams, options.streamArn, shardId, type);
      if (iterator === undefined) finished.add(shardId);
      else iterators.set(shardId, iterator);
    }
  };

  /** One pass over every shard; true when it found records. */
  const poll = async (): Promise<boolean> => {
    let found = false;
    await discoverShards("TRIM_HORIZON");
    for (const [shardId, iterator] of iterators) {
      const page = await options.streams.send(
        new GetRecordsCommand({ ShardIterator: iterator, Limit: batchSize }),
      );
      const records = (page.Records ?? []).map((record) => toLambdaRecord(record, options.streamArn));
      found ||= records.length > 0;
      const wanted = records.filter(options.filter);
      if (wanted.length > 0) await deliver(wanted);
      if (page.NextShardIterator === undefined) {
        iterators.delete(shardId);
        finished.add(shardId);
      } else iterators.set(shardId, page.NextShardIterator);
    }
    return found;
  };

  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(() => {
      timer = undefined;
      const started = ++rounds;
      round = poll()
        .then(
          (found) => {
            if (found) return;
            for (const waiter of waiters.splice(0)) {
              if (waiter.since < started) waiter.resolve();
              else waiters.push(waiter);
            }
          },
          (error: unknown) => options.onError?.(error),
        )
        .finally(() => {
          round = undefined;
          schedule();
        });
    }, options.pollIntervalMs);
  };

  return {
    async open() {
      await discoverShards("LATEST");
    },
    start(h) {
      handler = h;
      schedule();
    },
    settled() {
      return new Promise((resolve) => waiters.push({ since: rounds, resolve }));
    },
    deadLetters: () => dead,
    delivered: () => delivered,
    async stop() {
      stopped = true;
      if (timer !== undefined) clearTimeout(timer);
      await round;
      for (const waiter of waiters.splice(0)) waiter.resolve();
    },
  };
}

export { latestStreamArn, makeStreamPoller, readStream, toLambdaRecord };
