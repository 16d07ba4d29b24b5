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

export { latestStreamArn, readStream, shardIds, shardIterator, toLambdaRecord };
