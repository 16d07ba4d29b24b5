/**
 * Fixture factories for fraud alerts and the SQS events that carry them, plus plain in-memory
 * fakes of the ports notify-team uses (ledger, notifier, log).
 */
import { createHash } from "node:crypto";
import type { SQSEvent, SQSRecord } from "aws-lambda";
import type { FraudAlert, TransactionKey } from "../../pipeline/runtime/contract/transaction";
import { CLAIM_OUTCOMES, type ClaimOutcome, type Log, type Notification } from "../../pipeline/runtime/ports";
import { FIXED_NOW } from "./transactions";

/** ARN of the fraud-alerts queue in SQS records. */
const ALERT_QUEUE_ARN = "arn:aws:sqs:us-east-1:123456789012:sqs-fraud-alerts-dev";

/**
 * A valid alert for a flagged transaction detected at `FIXED_NOW`, with two rule hits.
 *
 * @example
 * const alert = fraudAlert({ transaction_id: "tx-9" });
 */
function fraudAlert(overrides: Partial<FraudAlert> = {}): FraudAlert {
  return {
    transaction_id: "tx-0001",
    account_id: "acc-00015678",
    timestamp: FIXED_NOW - 60_000,
    amount: 4_999_99,
    currency: "USD",
    merchant_id: "merchant-0001",
    score: 85,
    rules: [
      { rule: "amount-spike", score: 50, reason: "amount is 12.5x the account's 30-day median" },
      { rule: "velocity", score: 35, reason: "6 transactions in the last 10 minutes" },
    ],
    reasons: ["amount 12.5x this account's 30 days average of 400.00 USD (20 transactions)"],
    detected_at: FIXED_NOW,
    ...overrides,
  };
}

/**
 * An SQS record as Lambda delivers it from the fraud-alerts queue, with every real field.
 * `body` is sent as is when it is a string, otherwise JSON-encoded.
 *
 * @example
 * const record = sqsRecord(fraudAlert(), { messageId: "msg-2" });
 */
function sqsRecord(body: unknown, overrides: Partial<SQSRecord> = {}): SQSRecord {
  const text = typeof body === "string" ? body : JSON.stringify(body);
  const messageId = overrides.messageId ?? "059f36b4-87a3-44ab-83d2-661975830a7d";
  return {
    messageId,
    receiptHandle: `AQEBwJnKyrHigUMZj6rYigCgxlaS3SLy0a${messageId}`,
    body: text,
    attributes: {
      ApproximateReceiveCount: "1",
      SentTimestamp: String(FIXED_NOW),
      SenderId: "AIDAIENQZJOLO23YVJ4VO",
      ApproximateFirstReceiveTimestamp: String(FIXED_NOW + 5),
    },
    messageAttributes: {},
    md5OfBody: createHash("md5").update(text).digest("hex"),
    eventSource: "aws:sqs",
    eventSourceARN: ALERT_QUEUE_ARN,
    awsRegion: "us-east-1",
    ...overrides,
  };
}

/**
 * An SQS event with one record per body; message ids are `msg-1`, `msg-2`, ...
 *
 * @example
 * const event = sqsEvent([fraudAlert(), "not json"]);
 */
function sqsEvent(bodies: readonly unknown[]): SQSEvent {
  return { Records: bodies.map((body, index) => sqsRecord(body, { messageId: `msg-${index + 1}` })) };
}

interface LedgerEntry {
  notifiedAt?: number;
  leaseUntil?: number;
}

/**
 * An in-memory NotificationLedger with the DynamoDB ledger's semantics, and the calls it received.
 * Every key exists unless listed in `missing`.
 *
 * @example
 * const ledger = memoryLedger();
 * await ledger.claim(key, FIXED_NOW, 120_000); // "claimed"
 */
function memoryLedger() {
  const entries = new Map<string, LedgerEntry>();
  const calls: { op: "claim" | "confirm" | "release"; transactionId: string }[] = [];
  const id = (key: TransactionKey) => `${key.transaction_id}@${key.timestamp}`;
  const entry = (key: TransactionKey) => {
    const found = entries.get(id(key)) ?? {};
    entries.set(id(key), found);
    return found;
  };
  return {
    calls,
    entry,
    async claim(key: TransactionKey, now: number, leaseMs: number): Promise<ClaimOutcome> {
      calls.push({ op: "claim", transactionId: key.transaction_id });
      const current = entry(key);
      if (current.notifiedAt !== undefined) return CLAIM_OUTCOMES.alreadyNotified;
      if (current.leaseUntil !== undefined && current.leaseUntil >= now) return CLAIM_OUTCOMES.inProgress;
      current.leaseUntil = now + leaseMs;
      return CLAIM_OUTCOMES.claimed;
    },
    async confirm(key: TransactionKey, now: number) {
      calls.push({ op: "confirm", transactionId: key.transaction_id });
      const current = entry(key);
      current.notifiedAt = now;
      current.leaseUntil = undefined;
    },
    async release(key: TransactionKey) {
      calls.push({ op: "release", transactionId: key.transaction_id });
      entry(key).leaseUntil = undefined;
    },
  };
}

/**
 * A Notifier that records what it published and rejects for the transaction ids in `failFor`.
 *
 * @example
 * const notifier = recordingNotifier({ failFor: ["tx-2"] });
 */
function recordingNotifier(options: { failFor?: readonly string[] } = {}) {
  const published: Notification[] = [];
  return {
    published,
    async publish(notification: Notification) {
      if (options.failFor?.includes(notification.transactionId)) {
        throw Object.assign(new Error("Service unavailable"), { name: "InternalErrorException" });
      }
      published.push(notification);
    },
  };
}

/**
 * A Log that keeps every entry, so tests can assert what was (and was not) logged.
 *
 * @example
 * const log = recordingLog();
 * expect(log.entries.some((entry) => entry.attributes.messageId === "msg-2"));
 */
function recordingLog() {
  const entries: {
    level: "info" | "warn" | "error";
    message: string;
    attributes: Record<string, unknown>;
  }[] = [];
  const at =
    (level: "info" | "warn" | "error") =>
    (message: string, attributes: Record<string, unknown> = {}) =>
      entries.push({ level, message, attributes });
  const log: Log & { entries: typeof entries } = {
    entries,
    info: at("info"),
    warn: at("warn"),
    error: at("error"),
  };
  return log;
}

export { ALERT_QUEUE_ARN, fraudAlert, memoryLedger, recordingLog, recordingNotifier, sqsEvent, sqsRecord };
