/**
 * notify-team's handler over ports: for each fraud-alerts message, decode it, claim the right to
 * notify (SQS delivers at least once), publish, confirm. Failed records are reported back as
 * partial batch failures so SQS redelivers only them, and after maxReceiveCount dead-letters them.
 */
import type { Context, SQSBatchItemFailure, SQSBatchResponse, SQSEvent, SQSRecord } from "aws-lambda";
import type { FraudAlert, TransactionKey } from "../contract/transaction";
import { errorCode } from "../errors";
import {
  CLAIM_OUTCOMES,
  type Clock,
  type Log,
  type MetricsSink,
  type NotificationLedger,
  type Notifier,
} from "../ports";
import type { AlertCodec } from "./alert-codec";
import { formatAlert } from "./format";

/**
 * Records processed at the same time. Records are independent, so they run concurrently and one
 * slow publish does not hold up the rest; the bound keeps a large batch from opening hundreds of
 * connections to DynamoDB and SNS at once.
 */
const MAX_CONCURRENT_RECORDS = 10;

/** What happened to one record; `failed` records go back to SQS. */
const RECORD_OUTCOMES = {
  published: "published",
  skipped: "skipped",
  failed: "failed",
} as const;

type RecordOutcome = (typeof RECORD_OUTCOMES)[keyof typeof RECORD_OUTCOMES];

/** Metric names emitted once per invocation. */
const NOTIFY_METRICS = {
  /**
   * Alerts emailed. Only the invocation holding a transaction's claim publishes, so a redelivered
   * message counts nothing again; a second email after a failed confirm is a real one and counts.
   */
  published: "AlertsPublished",
  /** Records reported back to SQS as failed by this invocation: a message failing 3 receives counts 3. */
  failedRecords: "FailedRecords",
} as const;

interface NotifyHandlerDeps {
  readonly notifier: Notifier;
  readonly ledger: NotificationLedger;
  readonly codec: AlertCodec;
  readonly now: Clock;
  readonly log: Log;
  readonly metrics: MetricsSink;
  /** How long a claim stays exclusive; longer than the function timeout, shorter than the visibility timeout. */
  readonly leaseMs: number;
}

type NotifyHandler = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse>;

/**
 * Log attributes for a caught error: its name and message (SDK messages carry no payloads), and
 * the name and HTTP status of the AWS error behind it.
 */
function errorAttributes(error: unknown): Record<string, unknown> {
  const described =
    error instanceof Error
      ? { error: error.name, detail: error.message }
      : { error: typeof error, detail: String(error) };
  return { ...described, ...errorCode(error) };
}

/** Runs `work` over `items` with at most `limit` in flight; `work` must not reject. */
async function forEachBounded<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>) {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next];
      next += 1;
      await work(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/** Tries to record "notified" after a publish before giving up on it. */
const CONFIRM_ATTEMPTS = 2;

/**
 * Builds the notify-team handler. Each record is handled on its own: a malformed body, a claim
 * held by another invocation, or a failed publish fails only that record.
 *
 * - unparseable or invalid body: failure, logged by messageId (never the body);
 * - already notified: success (a redelivery; nothing is published twice);
 * - claim held by another invocation: failure, retried after the visibility timeout;
 * - claimed: publish, then confirm; a failed publish releases the claim (best effort) and fails.
 *
 * @example
 * const handler = makeNotifyHandler({ notifier, ledger, codec: makeAlertCodec(), now: Date.now, log, metrics, leaseMs: 120_000 });
 * const { batchItemFailures } = await handler(sqsEvent, context);
 */
function makeNotifyHandler(deps: NotifyHandlerDeps): NotifyHandler {
  const { notifier, ledger, codec, now, log, metrics, leaseMs } = deps;

  async function publishClaimed(messageId: string, key: TransactionKey, alert: FraudAlert) {
    const ids = { messageId, transactionId: key.transaction_id };
    try {
      await notifier.publish(formatAlert(alert));
    } catch (err) {
      log.error("Publishing the alert failed; releasing the claim", { ...ids, ...errorAttributes(err) });
      try {
        await ledger.release(key);
      } catch (releaseErr) {
        log.warn("Releasing the claim failed; it expires on its own", {
          ...ids,
          ...errorAttributes(releaseErr),
        });
      }
      return RECORD_OUTCOMES.failed;
    }
    // The team has the email: failing the record would publish it again once the lease expires,
    // so a failed confirm is retried once and then only logged (a later duplicate alert for this
    // transaction could then be emailed again).
    for (let attempt = 1; attempt <= CONFIRM_ATTEMPTS; attempt++) {
      try {
        await ledger.confirm(key, now());
        break;
      } catch (err) {
        log.warn("Alert published but confirming it failed", { ...ids, attempt, ...errorAttributes(err) });
      }
    }
    log.info("Alert published", ids);
    return RECORD_OUTCOMES.published;
  }

  async function processRecord(record: SQSRecord): Promise<RecordOutcome> {
    const { messageId } = record;
    let body: unknown;
    try {
      body = JSON.parse(record.body);
    } catch {
      log.warn("Alert message is not JSON", { messageId });
      return RECORD_OUTCOMES.failed;
    }
    const decoded = codec.decode(body);
    if (!decoded.ok) {
      log.warn("Alert message is not a valid fraud alert", { messageId, errors: decoded.errors });
      return RECORD_OUTCOMES.failed;
    }
    const alert = decoded.value;
    const key = { transaction_id: alert.transaction_id, timestamp: alert.timestamp };
    const ids = { messageId, transactionId: alert.transaction_id };
    try {
      const claim = await ledger.claim(key, now(), leaseMs);
      if (claim === CLAIM_OUTCOMES.alreadyNotified) {
        log.info("Alert already notified; skipping redelivery", ids);
        return RECORD_OUTCOMES.skipped;
      }
      if (claim === CLAIM_OUTCOMES.inProgress) {
        log.info("Another invocation holds the claim; retrying later", ids);
        return RECORD_OUTCOMES.failed;
      }
    } catch (err) {
      log.error("Claiming the notification failed", { ...ids, ...errorAttributes(err) });
      return RECORD_OUTCOMES.failed;
    }
    return publishClaimed(messageId, key, alert);
  }

  return async (event, context) => {
    const batchItemFailures: SQSBatchItemFailure[] = [];
    const tally = { published: 0, skipped: 0, failed: 0 };
    try {
      await forEachBounded(event.Records, MAX_CONCURRENT_RECORDS, async (record) => {
        let outcome: RecordOutcome;
        try {
          outcome = await processRecord(record);
        } catch (err) {
          log.error("Alert record failed unexpectedly", {
            messageId: record.messageId,
            ...errorAttributes(err),
          });
          outcome = RECORD_OUTCOMES.failed;
        }
        tally[outcome] += 1;
        if (outcome === RECORD_OUTCOMES.failed) batchItemFailures.push({ itemIdentifier: record.messageId });
      });
      metrics.count(NOTIFY_METRICS.published, tally.published);
      metrics.count(NOTIFY_METRICS.failedRecords, tally.failed);
      log.info("Alert batch processed", {
        requestId: context.awsRequestId,
        records: event.Records.length,
        ...tally,
      });
      return { batchItemFailures };
    } finally {
      metrics.flush();
    }
  };
}

export type { NotifyHandler, NotifyHandlerDeps };
export { makeNotifyHandler, NOTIFY_METRICS };
