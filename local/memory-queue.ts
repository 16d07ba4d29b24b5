/**
 * The embedded fraud-alerts queue with its Lambda event source mapping: messages stay invisible
 * for the visibility timeout after each receive, carry a receive count, and move to the DLQ when
 * received more than `maxReceiveCount` times (SQS redrive). The consumer delivers SQS-shaped
 * batches; with ReportBatchItemFailures semantics the listed messages stay (visible again after
 * the timeout), the others are deleted; a thrown error keeps the whole batch.
 */
import { createHash, randomUUID } from "node:crypto";
import type { SQSBatchResponse, SQSEvent, SQSRecord } from "aws-lambda";
import type { FraudAlert } from "../pipeline/runtime/contract/transaction";
import type { AlertNotSent, AlertQueue } from "../pipeline/runtime/ports";
import type { Faults } from "./faults";
import { LOCAL_ACCOUNT, LOCAL_REGION } from "./lambda-context";

export type QueueHandler = (event: SQSEvent) => Promise<SQSBatchResponse | undefined>;

export interface MemoryQueueOptions {
  readonly queueName: string;
  readonly visibilityTimeoutMs: number;
  readonly maxReceiveCount: number;
  readonly batchSize?: number;
  /** Batching window after a send. */
  readonly pollIntervalMs: number;
  readonly onError?: (error: unknown) => void;
  /** Told of each message moved to the DLQ, when it moves. */
  readonly onDeadLetter?: (message: QueuedMessage) => void;
}

/** A message as the queue holds it. */
export interface QueuedMessage {
  readonly messageId: string;
  readonly body: string;
  readonly sentAt: number;
  receiveCount: number;
  firstReceivedAt?: number;
  visibleAt: number;
  receiptHandle?: string;
}

export interface MemoryQueue {
  send(body: string): string;
  start(handler: QueueHandler): void;
  /** True when the queue holds no message (visible or not) and no batch is in flight. */
  isIdle(): boolean;
  /** True when no batch is in flight and no message is visible now. */
  isQuiet(): boolean;
  messages(): readonly QueuedMessage[];
  deadLetters(): readonly QueuedMessage[];
  /** Moves every DLQ message back to the queue with a fresh receive count (an SQS DLQ redrive); returns how many. */
  redrive(): number;
  stop(): Promise<void>;
}

function toRecord(message: QueuedMessage, queueName: string): SQSRecord {
  return {
    messageId: message.messageId,
    receiptHandle: message.receiptHandle!,
    body: message.body,
    attributes: {
      ApproximateReceiveCount: String(message.receiveCount),
      SentTimestamp: String(message.sentAt),
      SenderId: "local-detect-fraud",
      ApproximateFirstReceiveTimestamp: String(message.firstReceivedAt),
    },
    messageAttributes: {},
    md5OfBody: createHash("md5").update(message.body).digest("hex"),
    eventSource: "aws:sqs",
    eventSourceARN: `arn:aws:sqs:${LOCAL_REGION}:${LOCAL_ACCOUNT}:${queueName}`,
    awsRegion: LOCAL_REGION,
  };
}

/**
 * Builds the queue. The consumer is event-driven: a send, the end of a batch and the next
 * visibility expiry each schedule a receive.
 *
 * @example
 * const queue = makeMemoryQueue({ queueName: "sqs-fraud-alerts-local", visibilityTimeoutMs: 30_000,
 *   maxReceiveCount: 5, pollIntervalMs: 20 });
 * queue.start((event) => notify(event, lambdaContext("lambda-notify-team-local", 50_000)));
 */
function makeMemoryQueue(options: MemoryQueueOptions): MemoryQueue {
  const batchSize = options.batchSize ?? 10;
  const messages: QueuedMessage[] = [];
  const dead: QueuedMessage[] = [];
  let handler: QueueHandler | undefined;
  let timer: NodeJS.Timeout | undefined;
  let timerAt = Number.POSITIVE_INFINITY;
  let inFlight: Promise<void> | undefined;
  let stopped = false;

  const schedule = (delayMs: number) => {
    if (stopped || handler === undefined || inFlight !== undefined || messages.length === 0) return;
    const at = Date.now() + delayMs;
    if (timer !== undefined && timerAt <= at) return;
    if (timer !== undefined) clearTimeout(timer);
    timerAt = at;
    timer = setTimeout(() => {
      timer = undefined;
      timerAt = Number.POSITIVE_INFINITY;
      receive();
    }, delayMs);
  };

  const scheduleNextVisible = () => {
    if (messages.length === 0) return;
    const next = Math.min(...messages.map((m) => m.visibleAt));
    schedule(Math.max(0, next - Date.now()));
  };

  const receive = () => {
    const now = Date.now();
    const batch: QueuedMessage[] = [];
    for (const message of [...messages]) {
      if (batch.length === batchSize) break;
      if (message.visibleAt > now) continue;
      if (message.receiveCount >= options.maxReceiveCount) {
        messages.splice(messages.indexOf(message), 1);
        dead.push(message);
        options.onDeadLetter?.(message);
        continue;
      }
      message.receiveCount += 1;
      message.firstReceivedAt ??= now;
      message.visibleAt = now + options.visibilityTimeoutMs;
      message.receiptHandle = randomUUID();
      batch.push(message);
    }
    if (batch.length === 0) {
      scheduleNextVisible();
      return;
    }
    inFlight = consume(batch).finally(() => {
      inFlight = undefined;
      scheduleNextVisible();
    });
  };

  const remove = (message: QueuedMessage) => {
    const index = messages.indexOf(message);
    if (index >= 0) messages.splice(index, 1);
  };

  const consume = async (batch: QueuedMessage[]) => {
    const event: SQSEvent = { Records: batch.map((m) => toRecord(m, options.queueName)) };
    let response: SQSBatchResponse | undefined;
    try {
      response = await handler!(event);
    } catch (error) {
      options.onError?.(error);
      return;
    }
    const failed = new Set((response?.batchItemFailures ?? []).map((f) => f.itemIdentifier));
    // Lambda treats an identifier that is not in the batch as a failure of the whole batch.
    if ([...failed].some((id) => !batch.some((m) => m.messageId === id))) return;
    for (const message of batch) if (!failed.has(message.messageId)) remove(message);
  };

  return {
    send(body) {
      const message: QueuedMessage = {
        messageId: randomUUID(),
        body,
        sentAt: Date.now(),
        receiveCount: 0,
        visibleAt: 0,
      };
      messages.push(message);
      schedule(options.pollIntervalMs);
      return message.messageId;
    },
    start(h) {
      handler = h;
      scheduleNextVisible();
    },
    isIdle: () => messages.length === 0 && inFlight === undefined,
    isQuiet: () => inFlight === undefined && messages.every((m) => m.visibleAt > Date.now()),
    messages: () => messages,
    deadLetters: () => dead,
    redrive() {
      const moved = dead.splice(0);
      for (const message of moved) {
        message.receiveCount = 0;
        message.visibleAt = 0;
        messages.push(message);
      }
      scheduleNextVisible();
      return moved.length;
    },
    async stop() {
      stopped = true;
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
      await inFlight;
    },
  };
}

/**
 * The AlertQueue port over the embedded queue: one JSON message per alert, like the SQS adapter;
 * an injected `queueSend` fault reports that alert as not sent, with the code `InjectedFault`.
 *
 * @example
 * const alerts = makeQueueAlertSender(queue, makeFaults());
 * await alerts.sendAlerts([alert]); // { failed: [] }
 */
function makeQueueAlertSender(queue: MemoryQueue, faults: Faults): AlertQueue {
  return {
    async sendAlerts(alerts: readonly FraudAlert[]) {
      const failed: AlertNotSent[] = [];
      for (const alert of alerts) {
        if (faults.shouldFail("queueSend"))
          failed.push({ transactionId: alert.transaction_id, code: "InjectedFault" });
        else queue.send(JSON.stringify(alert));
      }
      return { failed };
    },
  };
}

export { makeMemoryQueue, makeQueueAlertSender };
