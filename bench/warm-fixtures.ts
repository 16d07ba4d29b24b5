/**
 * Realistic events and in-memory ports for the warm-handler figure. The ports answer at once
 * (the store accepts, the ledger grants the claim, the queue and topic take everything), so the
 * figure is the handler's own CPU; SDK round trips are added in the capacity figure.
 */

import type { APIGatewayProxyEvent, DynamoDBStreamEvent, SQSEvent } from "aws-lambda";
import { seededRandom } from "../local/faults";
import type { Transaction } from "../pipeline/runtime/contract/transaction";
import {
  type AccountHistory,
  type AlertQueue,
  CLAIM_OUTCOMES,
  type Log,
  type MerchantRiskReader,
  type MerchantRiskWriter,
  type MetricsSink,
  type NotificationLedger,
  type Notifier,
  PUT_OUTCOMES,
  type TransactionStore,
  type VerdictStore,
} from "../pipeline/runtime/ports";
import { fraudAlert, sqsEvent } from "../test/helpers/alerts";
import { insertRecord, streamEvent } from "../test/helpers/streams";
import { apiGatewayEvent, FIXED_NOW, fullTransaction } from "../test/helpers/transactions";

/** Records per stream batch and per SQS batch, as the stack's event source mappings set them. */
const BATCH_SIZES = { stream: 100, queue: 10 } as const;

/** Accounts in a stream batch (4 records each), and stored transactions per account. */
const BATCH_ACCOUNTS = 25;
const HISTORY_PER_ACCOUNT = 30;

const HOUR_MS = 3_600_000;

const noop = () => undefined;

/** A Log and MetricsSink that drop everything (Lambda would write them to stdout). */
const QUIET_LOG: Log = { info: noop, warn: noop, error: noop };
const QUIET_METRICS: MetricsSink = { count: noop, flush: noop };

const ACCEPTING_STORE: TransactionStore = { putTransaction: async () => PUT_OUTCOMES.created };
const ACCEPTING_VERDICTS: VerdictStore = { recordVerdict: async () => ({ first: true }) };
const ACCEPTING_QUEUE: AlertQueue = { sendAlerts: async () => ({ failed: [] }) };
/** No merchant has a profile yet, and counts are accepted. */
const EMPTY_MERCHANTS: MerchantRiskReader = { profiles: async () => new Map() };
const ACCEPTING_MERCHANT_COUNTS: MerchantRiskWriter = { addToBuckets: async () => undefined };
const ACCEPTING_NOTIFIER: Notifier = { publish: async () => undefined };
const GRANTING_LEDGER: NotificationLedger = {
  claim: async () => CLAIM_OUTCOMES.claimed,
  confirm: async () => undefined,
  release: async () => undefined,
};

/**
 * `count` POST /transactions events, each with a distinct transaction id and every optional field.
 *
 * @example
 * const events = apiEvents(1024);
 */
function apiEvents(count: number): APIGatewayProxyEvent[] {
  return Array.from({ length: count }, (_, i) =>
    apiGatewayEvent(
      fullTransaction({ transaction_id: `bench-tx-${i}`, account_id: `acct-${i % 500}`, amount: 1_000 + i }),
    ),
  );
}

/**
 * A stream batch of 100 INSERT records over 25 accounts, and each account's stored history
 * (newest first, as the index query returns it). Five accounts get an amount far above their
 * usual ones, so the batch also exercises the flagged path (alerts, several rule hits).
 *
 * @example
 * const { event, history } = streamBatch();
 */
function streamBatch(): { event: DynamoDBStreamEvent; history: AccountHistory } {
  const random = seededRandom(42);
  const stored = new Map<string, Transaction[]>();
  const records: Transaction[] = [];
  for (let a = 0; a < BATCH_ACCOUNTS; a++) {
    const accountId = `acct-${a}`;
    const typical = 1_000 + Math.floor(random() * 9_000);
    stored.set(
      accountId,
      Array.from({ length: HISTORY_PER_ACCOUNT }, (_, i) =>
        fullTransaction({
          transaction_id: `hist-${a}-${i}`,
          account_id: accountId,
          amount: Math.round(typical * (0.5 + random())),
          merchant_id: `merchant-${Math.floor(random() * 40)}`,
          timestamp: FIXED_NOW - (i + 1) * 4 * HOUR_MS,
        }),
      ),
    );
    for (let r = 0; r < BATCH_SIZES.stream / BATCH_ACCOUNTS; r++) {
      const spike = a < 5 && r === 3;
      records.push(
        fullTransaction({
          transaction_id: `batch-${a}-${r}`,
          account_id: accountId,
          amount: spike ? typical * 40 : Math.round(typical * (0.5 + random())),
          merchant_id: `merchant-${Math.floor(random() * 40)}`,
          timestamp: FIXED_NOW - 60_000 + r * 1_000,
        }),
      );
    }
  }
  const history: AccountHistory = {
    recentForAccount: async (accountId, _since, _until, limit) =>
      (stored.get(accountId) ?? []).slice(0, limit),
  };
  return { event: streamEvent(records.map((tx) => insertRecord(tx))), history };
}

/**
 * An SQS batch of 10 fraud alerts with distinct transaction ids.
 *
 * @example
 * const event = alertBatch();
 */
function alertBatch(): SQSEvent {
  return sqsEvent(
    Array.from({ length: BATCH_SIZES.queue }, (_, i) => fraudAlert({ transaction_id: `alert-tx-${i}` })),
  );
}

export {
  ACCEPTING_MERCHANT_COUNTS,
  ACCEPTING_NOTIFIER,
  ACCEPTING_QUEUE,
  ACCEPTING_STORE,
  ACCEPTING_VERDICTS,
  alertBatch,
  apiEvents,
  BATCH_SIZES,
  EMPTY_MERCHANTS,
  GRANTING_LEDGER,
  QUIET_LOG,
  QUIET_METRICS,
  streamBatch,
};
