/**
 * Fixture factories for DynamoDB stream events as Lambda receives them from the transactions
 * table (NEW_AND_OLD_IMAGES, images marshalled with the SDK's own `marshall`).
 */
import { marshall } from "@aws-sdk/util-dynamodb";
import type { AttributeValue, DynamoDBRecord, DynamoDBStreamEvent } from "aws-lambda";
import { ITEM_ATTRIBUTES, toItem } from "../../pipeline/runtime/contract/item";
import type { Transaction } from "../../pipeline/runtime/contract/transaction";

type StreamImage = Record<string, AttributeValue>;
type EventName = NonNullable<DynamoDBRecord["eventName"]>;

interface RecordOptions {
  /** Defaults to the next of a module-wide increasing sequence. */
  readonly sequenceNumber?: string;
  readonly receivedAt?: number;
}

const TABLE_STREAM_ARN =
  "arn:aws:dynamodb:us-east-1:123456789012:table/dynamodb-transactions-dev/stream/2025-01-01T00:00:00.000";

let lastSequence = 100_000_000_000_000_000_000n;

/** The next stream sequence number (21 decimal digits, increasing, as DynamoDB Streams issues them). */
function nextSequenceNumber(): string {
  lastSequence += 1n;
  return lastSequence.toString();
}

/**
 * An item marshalled into the aws-lambda stream image type. The SDK's AttributeValue and
 * aws-lambda's describe the same JSON but are distinct TypeScript types.
 *
 * @example
 * const image = toStreamImage(toItem(validTransaction(), 1_764_000_000_000));
 */
function toStreamImage(item: Record<string, unknown>): StreamImage {
  return marshall(item, { removeUndefinedValues: true }) as unknown as StreamImage;
}

function keysOf(item: Record<string, unknown>): StreamImage {
  return toStreamImage({ transaction_id: item.transaction_id, timestamp: item.timestamp });
}

/**
 * A stream record of any event for any item (valid or not), shaped like the real thing.
 *
 * @example
 * const broken = streamRecord("INSERT", { newItem: { transaction_id: "tx-1", timestamp: 1, amount: "x" } });
 */
function streamRecord(
  eventName: EventName,
  images: { readonly newItem?: Record<string, unknown>; readonly oldItem?: Record<string, unknown> },
  options: RecordOptions = {},
): DynamoDBRecord {
  const keySource = images.newItem ?? images.oldItem ?? {};
  const sequenceNumber = options.sequenceNumber ?? nextSequenceNumber();
  return {
    eventID: BigInt(sequenceNumber).toString(16).padStart(32, "0"),
    eventName,
    eventVersion: "1.1",
    eventSource: "aws:dynamodb",
    awsRegion: "us-east-1",
    eventSourceARN: TABLE_STREAM_ARN,
    dynamodb: {
      ApproximateCreationDateTime: 1_764_000_000,
      Keys: keysOf(keySource),
      ...(images.newItem === undefined ? {} : { NewImage: toStreamImage(images.newItem) }),
      ...(images.oldItem === undefined ? {} : { OldImage: toStreamImage(images.oldItem) }),
      SequenceNumber: sequenceNumber,
      SizeBytes: 256,
      StreamViewType: "NEW_AND_OLD_IMAGES",
    },
  };
}

/**
 * The INSERT record process-transaction's PutItem produces for `tx`.
 *
 * @example
 * const record = insertRecord(validTransaction({ amount: 4210 }), { sequenceNumber: "100" });
 */
function insertRecord(tx: Transaction, options: RecordOptions = {}): DynamoDBRecord {
  return streamRecord("INSERT", { newItem: toItem(tx, options.receivedAt ?? tx.timestamp) }, options);
}

/**
 * The MODIFY record detect-fraud's own verdict write-back produces for `tx`.
 *
 * @example
 * const record = modifyRecord(validTransaction());
 */
function modifyRecord(tx: Transaction, options: RecordOptions = {}): DynamoDBRecord {
  const oldItem = toItem(tx, options.receivedAt ?? tx.timestamp);
  const newItem = { ...oldItem, [ITEM_ATTRIBUTES.verdict]: "cleared", [ITEM_ATTRIBUTES.score]: 0 };
  return streamRecord("MODIFY", { oldItem, newItem }, options);
}

/**
 * The REMOVE record of a deleted item (e.g. a TTL expiry).
 *
 * @example
 * const record = removeRecord(validTransaction());
 */
function removeRecord(tx: Transaction, options: RecordOptions = {}): DynamoDBRecord {
  return streamRecord("REMOVE", { oldItem: toItem(tx, options.receivedAt ?? tx.timestamp) }, options);
}

/**
 * A stream event carrying `records` in order.
 *
 * @example
 * const event = streamEvent([insertRecord(a), insertRecord(b)]);
 */
function streamEvent(records: readonly DynamoDBRecord[]): DynamoDBStreamEvent {
  return { Records: [...records] };
}

export type { RecordOptions, StreamImage };
export {
  insertRecord,
  modifyRecord,
  nextSequenceNumber,
  removeRecord,
  streamEvent,
  streamRecord,
  toStreamImage,
};
