/**
 * AlertQueue over SQS SendMessageBatch (AWS SDK v3). Partial failure is an outcome, not an
 * exception: the caller (detect-fraud) reports the failed transactions back to its event source.
 */
import {
  SendMessageBatchCommand,
  type SendMessageBatchRequestEntry,
  type SQSClient,
} from "@aws-sdk/client-sqs";
import type { FraudAlert } from "../contract/transaction";
import type { AlertQueue } from "../ports";

/** SQS accepts at most 10 entries per SendMessageBatch. */
const MAX_BATCH_ENTRIES = 10;

interface SqsAlertQueueOptions {
  readonly client: SQSClient;
  readonly queueUrl: string;
}

/**
 * The alert as a message body SQS accepts. SQS allows only #x9 | #xA | #xD | #x20-#xD7FF |
 * #xE000-#xFFFD | #x10000-#x10FFFF and rejects (InvalidMessageContents) or replaces anything else.
 * JSON.stringify already escapes control characters and lone surrogates; the noncharacters U+FFFE
 * and U+FFFF, which a client may put in `merchant_id`, are escaped here. JSON.parse restores them.
 */
function messageBody(alert: FraudAlert): string {
  return JSON.stringify(alert).replace(/[\uFFFE\uFFFF]/g, (char) => `\\u${char.charCodeAt(0).toString(16)}`);
}

/** Transaction ids of `chunk` that SQS did not report as sent. */
async function sendChunk(
  client: SQSClient,
  queueUrl: string,
  chunk: readonly FraudAlert[],
): Promise<string[]> {
  // Entry ids must be unique within a batch and match [A-Za-z0-9_-]{1,80}; the position is.
  const entries: SendMessageBatchRequestEntry[] = chunk.map((alert, index) => ({
    Id: `m${index}`,
    MessageBody: messageBody(alert),
  }));
  try {
    const result = await client.send(new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: entries }));
    const sent = new Set((result.Successful ?? []).map((entry) => entry.Id));
    return chunk.filter((_, index) => !sent.has(`m${index}`)).map((alert) => alert.transaction_id);
  } catch {
    // The whole call failed (throttled, network, permissions): none of the chunk was sent.
    return chunk.map((alert) => alert.transaction_id);
  }
}

/**
 * AlertQueue that sends one JSON message per alert, in batches of 10 sent concurrently. Resolves
 * with the transaction ids that were not sent: entries SQS lists as `Failed` (or omits from
 * `Successful`) and every entry of a call that was rejected outright. It never throws.
 * IAM: `sqs:SendMessage` on the queue (SendMessageBatch is authorised by it), plus
 * `kms:GenerateDataKey` and `kms:Decrypt` on the queue's key.
 *
 * @example
 * const queue = makeSqsAlertQueue({ client: new SQSClient({}), queueUrl });
 * const { failed } = await queue.sendAlerts(alerts); // ["tx-7"] when one entry failed
 */
function makeSqsAlertQueue({ client, queueUrl }: SqsAlertQueueOptions): AlertQueue {
  return {
    async sendAlerts(alerts) {
      const chunks: FraudAlert[][] = [];
      for (let start = 0; start < alerts.length; start += MAX_BATCH_ENTRIES) {
        chunks.push(alerts.slice(start, start + MAX_BATCH_ENTRIES));
      }
      const failedPerChunk = await Promise.all(chunks.map((chunk) => sendChunk(client, queueUrl, chunk)));
      return { failed: failedPerChunk.flat() };
    },
  };
}

export type { SqsAlertQueueOptions };
export { makeSqsAlertQueue };
