/**
 * AlertQueue over SQS SendMessageBatch (AWS SDK v3). A refused entry is an outcome, not an
 * exception: the caller (detect-fraud) reports the failed transactions back to its event source. A
 * refused call is an exception that keeps SQS's error as its cause, so its code reaches the logs.
 */
import {
  SendMessageBatchCommand,
  type SendMessageBatchRequestEntry,
  type SQSClient,
} from "@aws-sdk/client-sqs";
import type { FraudAlert } from "../contract/transaction";
import type { AlertNotSent, AlertQueue } from "../ports";

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

/**
 * The alerts of `chunk` that SQS did not report as sent, with the entry's error code (an entry
 * missing from both lists has none: `NotReported`). A call SQS refuses outright rejects.
 */
async function sendChunk(
  client: SQSClient,
  queueUrl: string,
  chunk: readonly FraudAlert[],
): Promise<AlertNotSent[]> {
  // Entry ids must be unique within a batch and match [A-Za-z0-9_-]{1,80}; the position is.
  const entries: SendMessageBatchRequestEntry[] = chunk.map((alert, index) => ({
    Id: `m${index}`,
    MessageBody: messageBody(alert),
  }));
  const result = await client.send(new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: entries }));
  const sent = new Set((result.Successful ?? []).map((entry) => entry.Id));
  const codes = new Map((result.Failed ?? []).map((entry) => [entry.Id, entry.Code]));
  return chunk
    .map((alert, index) => ({ alert, id: `m${index}` }))
    .filter(({ id }) => !sent.has(id))
    .map(({ alert, id }) => ({ transactionId: alert.transaction_id, code: codes.get(id) ?? "NotReported" }));
}

/**
 * AlertQueue that sends one JSON message per alert, in batches of 10 sent concurrently. Resolves
 * with the alerts SQS did not send from calls it accepted: entries it lists as `Failed` (with their
 * `Code`) or omits from `Successful`. When any call is refused outright (AccessDenied, a KMS key
 * that is disabled or not usable by the function, throttling past the SDK's retries, the network),
 * it rejects once every call has settled, naming how many calls failed, with the first SDK error as
 * the `cause`: the caller cannot tell which alerts of the batch arrived, so it retries them all
 * (notify-team emails each transaction once). IAM: `sqs:SendMessage` on the queue (SendMessageBatch
 * is authorised by it), plus `kms:GenerateDataKey` and `kms:Decrypt` on the queue's key.
 *
 * @example
 * const queue = makeSqsAlertQueue({ client: new SQSClient({}), queueUrl });
 * const { failed } = await queue.sendAlerts(alerts); // [{ transactionId: "tx-7", code: "InternalError" }]
 * @throws Error naming the refused calls and the queue, the SDK's error as its `cause`.
 */
function makeSqsAlertQueue({ client, queueUrl }: SqsAlertQueueOptions): AlertQueue {
  return {
    async sendAlerts(alerts) {
      const chunks: FraudAlert[][] = [];
      for (let start = 0; start < alerts.length; start += MAX_BATCH_ENTRIES) {
        chunks.push(alerts.slice(start, start + MAX_BATCH_ENTRIES));
      }
      const settled = await Promise.allSettled(chunks.map((chunk) => sendChunk(client, queueUrl, chunk)));
      const refused = settled.filter((result) => result.status === "rejected");
      if (refused.length > 0) {
        const cause: unknown = refused[0].reason;
        const reason = cause instanceof Error ? cause.name : "unknown error";
        throw new Error(
          `SQS SendMessageBatch refused ${refused.length} of ${chunks.length} calls to ${queueUrl} (${reason})`,
          { cause },
        );
      }
      return { failed: settled.flatMap((result) => (result.status === "fulfilled" ? result.value : [])) };
    },
  };
}

export type { SqsAlertQueueOptions };
export { makeSqsAlertQueue };
