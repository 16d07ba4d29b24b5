/**
 * The table's stream and its Lambda event source mapping, in one shard: every table change gets a
 * sequence number and becomes a DynamoDB stream record (NEW_AND_OLD_IMAGES, marshalled); records
 * the mapping's filter rejects are dropped (as Lambda event filtering does); the rest are delivered
 * in order, in batches, to the handler. With ReportBatchItemFailures semantics: records before the
 * lowest failed sequence number are checkpointed, delivery retries from it; a thrown error retries
 * the whole batch; after `maxRetries` retries the rest of the batch goes to the on-failure
 * destination (the stream-failure DLQ) and the shard moves on.
 */
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from "aws-lambda";
import { compileFilter, type FilterPattern } from "./event-filter";
import { LOCAL_ACCOUNT, LOCAL_REGION } from "./lambda-context";
import type { TableChange } from "./memory-table";
import { imageSize, streamImage } from "./stream-image";

export type StreamHandler = (event: DynamoDBStreamEvent) => Promise<DynamoDBBatchResponse | undefined>;

export interface ChangeFeedOptions {
  readonly tableName: string;
  /** The mapping's filter pattern: records it rejects are never delivered. */
  readonly filter: FilterPattern;
  readonly batchSize?: number;
  /** Retries of a failing batch before it is sent to the DLQ (Lambda's MaximumRetryAttempts). */
  readonly maxRetries?: number;
  /** Batching window, and the delay before a retry. */
  readonly pollIntervalMs: number;
  readonly onError?: (error: unknown) => void;
  /** Told of each batch sent to the DLQ, when it goes. */
  readonly onDeadLetter?: (letter: StreamDeadLetter) => void;
}

/** A batch given up on, as the on-failure destination receives it. */
export interface StreamDeadLetter {
  readonly records: readonly DynamoDBRecord[];
  readonly attempts: number;
  readonly reason: string;
}

export interface ChangeFeed {
  /** Appends a table change to the stream. */
  push(change: TableChange): void;
  /** Starts delivering to `handler`; records pushed before are delivered too. */
  start(handler: StreamHandler): void;
  /** True when nothing is pending or in flight. */
  isIdle(): boolean;
  deadLetters(): readonly StreamDeadLetter[];
  /** Delivers the dead-lettered records again, after those pending; returns how many. */
  redrive(): number;
  /** Number of records delivered successfully. */
  delivered(): number;
  /** Stops scheduling deliveries after the batch in flight, which it awaits. */
  stop(): Promise<void>;
}

/** The stream's ARN, which every record of the table carries. */
function streamArn(tableName: string): string {
  return `arn:aws:dynamodb:${LOCAL_REGION}:${LOCAL_ACCOUNT}:table/${tableName}/stream/local`;
}

/** The stream record of a change without its `dynamodb` part (the marshalled images). */
function recordShell(change: TableChange, sequenceNumber: string, sourceArn: string): DynamoDBRecord {
  return {
    eventID: `local-${sequenceNumber}`,
    eventName: change.eventName,
    eventVersion: "1.1",
    eventSource: "aws:dynamodb",
    awsRegion: LOCAL_REGION,
    eventSourceARN: sourceArn,
  };
}

/** The shell with its `dynamodb` part: the marshalled keys and images. */
function withImages(shell: DynamoDBRecord, change: TableChange, sequenceNumber: string): DynamoDBRecord {
  const newImage = streamImage(change.newImage);
  const oldImage = change.oldImage === undefined ? undefined : streamImage(change.oldImage);
  const keys = streamImage(change.keys);
  shell.dynamodb = {
    ApproximateCreationDateTime: Math.floor(Date.now() / 1000),
    Keys: keys as never,
    NewImage: newImage as never,
    ...(oldImage === undefined ? {} : { OldImage: oldImage as never }),
    SequenceNumber: sequenceNumber,
    SizeBytes: imageSize(keys) + imageSize(newImage) + (oldImage === undefined ? 0 : imageSize(oldImage)),
    StreamViewType: "NEW_AND_OLD_IMAGES",
  };
  return shell;
}

/** Maps a table change to the stream record Lambda would receive. */
function toStreamRecord(change: TableChange, sequence: number, tableName: string): DynamoDBRecord {
  const sequenceNumber = String(sequence).padStart(21, "0");
  return withImages(recordShell(change, sequenceNumber, streamArn(tableName)), change, sequenceNumber);
}

/** The parts of a record's `dynamodb` that hold images, and where a change keeps each. */
const IMAGE_PARTS = { Keys: "keys", NewImage: "newImage", OldImage: "oldImage" } as const;

type ImagePart = keyof typeof IMAGE_PARTS;

function isImagePart(name: string): name is ImagePart {
  return Object.hasOwn(IMAGE_PARTS, name);
}

/**
 * Builds what marshals, of a change, only the image attributes `pattern` (a record's `dynamodb`
 * part) names: the filter reads nothing else, so it decides on that exactly as on the whole record.
 */
function namedAttributesOf(pattern: FilterPattern) {
  const parts = Object.entries(pattern).map(([part, attributes]) => ({
    part,
    from: IMAGE_PARTS[part as ImagePart],
    names: Object.keys(attributes),
  }));
  return (change: TableChange): Record<string, unknown> => {
    const probe: Record<string, unknown> = {};
    for (const { part, from, names } of parts) {
      const image = change[from] as Readonly<Record<string, unknown>> | undefined;
      if (image === undefined) continue;
      const named: Record<string, unknown> = {};
      for (const name of names) if (Object.hasOwn(image, name)) named[name] = image[name];
      probe[part] = streamImage(named);
    }
    return probe;
  };
}

/**
 * A filter that decides before the images are marshalled whole: on the record's shell plus the
 * image attributes the pattern names, so the records it rejects (MODIFYs, id guards) never cost a
 * marshalling. A pattern on other `dynamodb` fields is tried on the whole record.
 */
function makeRecordFilter(pattern: FilterPattern, tableName: string) {
  const matches = compileFilter(pattern);
  const images = (pattern.dynamodb ?? {}) as FilterPattern;
  const namedAttributes = Object.keys(images).every(isImagePart) ? namedAttributesOf(images) : undefined;
  const sourceArn = streamArn(tableName);
  return (change: TableChange, sequence: number): DynamoDBRecord | undefined => {
    const sequenceNumber = String(sequence).padStart(21, "0");
    const shell = recordShell(change, sequenceNumber, sourceArn);
    if (namedAttributes === undefined) {
      const record = withImages(shell, change, sequenceNumber);
      return matches(record) ? record : undefined;
    }
    shell.dynamodb = namedAttributes(change);
    return matches(shell) ? withImages(shell, change, sequenceNumber) : undefined;
  };
}

/**
 * Builds the feed. Deliveries are event-driven: a push schedules one after the batching window,
 * or at once when a full batch is pending.
 *
 * @example
 * const feed = makeChangeFeed({ tableName, filter: { eventName: ["INSERT"] }, pollIntervalMs: 20 });
 * table.onChange(feed.push);
 * feed.start((event) => detect(event, lambdaContext("lambda-detect-fraud-local", 60_000)));
 */
function makeChangeFeed(options: ChangeFeedOptions): ChangeFeed {
  const batchSize = options.batchSize ?? 100;
  const recordOf = makeRecordFilter(options.filter, options.tableName);
  const maxRetries = options.maxRetries ?? 3;
  const pending: DynamoDBRecord[] = [];
  const dead: StreamDeadLetter[] = [];
  let sequence = 0;
  let delivered = 0;
  let handler: StreamHandler | undefined;
  let timer: NodeJS.Timeout | undefined;
  let timerIsImmediate = false;
  let inFlight: Promise<void> | undefined;
  let stopped = false;
  let failing: { sequenceNumber: string; attempts: number } | undefined;

  const schedule = () => {
    if (stopped || handler === undefined || inFlight !== undefined || pending.length === 0) return;
    // The batching window only gathers a partial batch; a full one goes at once, as the stream
    // mapping does when its batch size is reached before its window closes.
    const full = pending.length >= batchSize;
    if (timer !== undefined) {
      if (!full || timerIsImmediate) return;
      clearTimeout(timer);
    }
    timerIsImmediate = full;
    timer = setTimeout(
      () => {
        timer = undefined;
        inFlight = deliver().finally(() => {
          inFlight = undefined;
          schedule();
        });
      },
      full ? 0 : options.pollIntervalMs,
    );
  };

  /** Handles a failure from `index` in the current batch: retry later, or dead-letter the rest. */
  const fail = (batch: DynamoDBRecord[], index: number, reason: string) => {
    pending.splice(0, index);
    delivered += index;
    const sequenceNumber = batch[index].dynamodb!.SequenceNumber!;
    const attempts = failing?.sequenceNumber === sequenceNumber ? failing.attempts + 1 : 1;
    failing = { sequenceNumber, attempts };
    if (attempts > maxRetries) {
      const rest = pending.splice(0, batch.length - index);
      const letter = { records: rest, attempts, reason };
      dead.push(letter);
      options.onDeadLetter?.(letter);
      failing = undefined;
    }
  };

  const deliver = async () => {
    const batch = pending.slice(0, batchSize);
    let response: DynamoDBBatchResponse | undefined;
    try {
      response = await handler!({ Records: batch });
    } catch (error) {
      options.onError?.(error);
      fail(batch, 0, `handler error: ${error instanceof Error ? error.message : String(error)}`);
      return;
    }
    const failures = response?.batchItemFailures ?? [];
    if (failures.length === 0) {
      pending.splice(0, batch.length);
      delivered += batch.length;
      failing = undefined;
      return;
    }
    const positions = failures.map((f) =>
      batch.findIndex((r) => r.dynamodb?.SequenceNumber === f.itemIdentifier),
    );
    // Lambda treats an unknown or empty itemIdentifier as a failure of the whole batch.
    const index = positions.includes(-1) ? 0 : Math.min(...positions);
    fail(batch, index, "batchItemFailures");
  };

  return {
    push(change) {
      sequence += 1;
      const record = recordOf(change, sequence);
      if (record === undefined) return;
      pending.push(record);
      schedule();
    },
    start(h) {
      handler = h;
      schedule();
    },
    isIdle: () => pending.length === 0 && inFlight === undefined,
    deadLetters: () => dead,
    redrive() {
      const records = dead.splice(0).flatMap((letter) => letter.records);
      pending.push(...records);
      schedule();
      return records.length;
    },
    delivered: () => delivered,
    async stop() {
      stopped = true;
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
      await inFlight;
    },
  };
}

export { makeChangeFeed, toStreamRecord };
