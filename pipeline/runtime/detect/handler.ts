/**
 * The detect-fraud stream-batch handler over ports: decode, fetch history once per account,
 * assess in stream order, send one batch of alerts, write verdicts, report partial failures.
 *
 * Retried records are safe to process again: verdict writes overwrite, and notify-team claims
 * each transaction once, so a re-sent alert notifies nobody twice.
 */
import type { Context, DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from "aws-lambda";
import { decodeTransaction, type TransactionCodec } from "../contract/codec";
import type { Assessment, Transaction } from "../contract/transaction";
import type { AccountHistory, AlertQueue, Clock, Log, MetricsSink, VerdictStore } from "../ports";
import { assessTransaction, toAlert, toVerdict } from "./assess";
import type { RulesConfig } from "./config";
import { decodeRecord, errorText, keyTransactionId } from "./decode-record";
import { planHistoryQueries, selectHistory } from "./history";

interface DetectDeps {
  readonly history: AccountHistory;
  readonly verdicts: VerdictStore;
  readonly alerts: AlertQueue;
  readonly config: RulesConfig;
  readonly codec: TransactionCodec;
  readonly now: Clock;
  readonly log: Log;
  readonly metrics: MetricsSink;
}

/** Metric names emitted once per invocation. */
const DETECT_METRICS = { flagged: "FlaggedTransactions", failedRecords: "FailedRecords" } as const;

interface Entry {
  readonly record: DynamoDBRecord;
  readonly transaction: Transaction;
}

interface Assessed extends Entry {
  readonly assessment: Assessment;
}

/** Records that failed, in stream order, with why; logged and reported as batch item failures. */
function makeFailures(log: Log) {
  const failed = new Map<DynamoDBRecord, string>();
  return {
    add(record: DynamoDBRecord, reason: string, transactionId = keyTransactionId(record)): void {
      failed.set(record, reason);
      log.error("Record failed", {
        eventId: record.eventID,
        sequenceNumber: record.dynamodb?.SequenceNumber,
        transactionId,
        reason,
      });
    },
    has: (record: DynamoDBRecord): boolean => failed.has(record),
    size: (): number => failed.size,
    response: (records: readonly DynamoDBRecord[]): DynamoDBBatchResponse => ({
      batchItemFailures: records
        .filter((record) => failed.has(record))
        // Without a sequence number a record cannot be named; an empty identifier makes Lambda
        // retry the whole batch, which loses nothing.
        .map((record) => ({ itemIdentifier: record.dynamodb?.SequenceNumber ?? "" })),
    }),
  };
}

type Failures = ReturnType<typeof makeFailures>;

/** Each account's index items, or the reason its query failed. One query per account. */
async function fetchHistories(deps: DetectDeps, entries: readonly Entry[]) {
  const queries = planHistoryQueries(
    entries.map((entry) => entry.transaction),
    deps.config,
  );
  const settled = await Promise.allSettled(
    queries.map(async (q) => deps.history.recentForAccount(q.accountId, q.since, q.until, q.limit)),
  );
  const histories = new Map<string, Transaction[] | string>();
  queries.forEach((query, i) => {
    const outcome = settled[i];
    const value =
      outcome.status === "fulfilled"
        ? decodeHistory(deps, query.accountId, outcome.value)
        : `history query failed: ${errorText(outcome.reason)}`;
    histories.set(query.accountId, value);
  });
  return histories;
}

/**
 * Index items through the contract's codec: an item another writer stored malformed must not
 * feed bad values into every later assessment of its account, so it is left out and counted.
 */
function decodeHistory(deps: DetectDeps, accountId: string, items: readonly unknown[]): Transaction[] {
  const valid: Transaction[] = [];
  for (const item of items) {
    const decoded = decodeTransaction(deps.codec, item);
    if (decoded.ok) valid.push(decoded.value);
  }
  const skipped = items.length - valid.length;
  if (skipped > 0) deps.log.warn("Skipped undecodable history items", { accountId, skipped });
  return valid;
}

/** Assesses in stream order; each record also sees the earlier records of its account in the batch. */
function assessAll(
  entries: readonly Entry[],
  histories: Map<string, Transaction[] | string>,
  config: RulesConfig,
  failures: Failures,
): Assessed[] {
  const earlier = new Map<string, Transaction[]>();
  const assessed: Assessed[] = [];
  for (const entry of entries) {
    const tx = entry.transaction;
    const fromIndex = histories.get(tx.account_id) ?? [];
    const inBatch = earlier.get(tx.account_id) ?? [];
    earlier.set(tx.account_id, [...inBatch, tx]);
    if (typeof fromIndex === "string") {
      failures.add(entry.record, fromIndex, tx.transaction_id);
      continue;
    }
    try {
      const history = selectHistory(tx, [...fromIndex, ...inBatch], config);
      assessed.push({ ...entry, assessment: assessTransaction(tx, history, config) });
    } catch (error) {
      failures.add(entry.record, `assessment failed: ${errorText(error)}`, tx.transaction_id);
    }
  }
  return assessed;
}

/** Sends one batch of alerts; flagged records whose alert was not sent fail. */
async function sendAlerts(deps: DetectDeps, flagged: readonly Assessed[], at: number, failures: Failures) {
  if (flagged.length === 0) return;
  let failedIds: ReadonlySet<string>;
  let reason = "alert not sent";
  try {
    const alerts = flagged.map((f) => toAlert(f.transaction, f.assessment, at));
    failedIds = new Set((await deps.alerts.sendAlerts(alerts)).failed);
  } catch (error) {
    failedIds = new Set(flagged.map((f) => f.transaction.transaction_id));
    reason = `alert batch failed: ${errorText(error)}`;
  }
  for (const f of flagged) {
    if (failedIds.has(f.transaction.transaction_id)) {
      failures.add(f.record, reason, f.transaction.transaction_id);
    }
  }
}

/** Writes the verdict of every record still in good standing; a failed write fails its record. */
async function recordVerdicts(
  deps: DetectDeps,
  assessed: readonly Assessed[],
  at: number,
  failures: Failures,
) {
  const pending = assessed.filter((a) => !failures.has(a.record));
  const settled = await Promise.allSettled(
    pending.map(async ({ transaction: tx, assessment }) =>
      deps.verdicts.recordVerdict(
        { transaction_id: tx.transaction_id, timestamp: tx.timestamp },
        toVerdict(assessment, at),
      ),
    ),
  );
  settled.forEach((outcome, i) => {
    if (outcome.status === "rejected") {
      const { record, transaction } = pending[i];
      failures.add(record, `verdict write failed: ${errorText(outcome.reason)}`, transaction.transaction_id);
    }
  });
}

/**
 * Builds the detect-fraud handler. Failures are per record (`batchItemFailures` with the
 * record's sequence number): an undecodable record, a failed history query (that account's
 * records), an unsent alert, a failed verdict write. The others are still processed.
 *
 * @example
 * const handler = makeDetectHandler({ history, verdicts, alerts, config, codec, now: Date.now, log, metrics });
 * const { batchItemFailures } = await handler(event, context);
 */
function makeDetectHandler(deps: DetectDeps) {
  return async (event: DynamoDBStreamEvent, _context: Context): Promise<DynamoDBBatchResponse> => {
    const failures = makeFailures(deps.log);
    try {
      const at = deps.now();
      const entries: Entry[] = [];
      let skipped = 0;
      for (const record of event.Records) {
        const decoded = decodeRecord(record, deps.codec);
        if (decoded.kind === "skipped") skipped += 1;
        else if (decoded.kind === "malformed") failures.add(record, decoded.reason);
        else entries.push({ record, transaction: decoded.transaction });
      }
      const histories = await fetchHistories(deps, entries);
      const assessed = assessAll(entries, histories, deps.config, failures);
      const flagged = assessed.filter((a) => a.assessment.flagged);
      await sendAlerts(deps, flagged, at, failures);
      await recordVerdicts(deps, assessed, at, failures);
      // Only flagged transactions fully handled (alert sent, verdict written): a failed one is retried.
      const done = flagged.filter((f) => !failures.has(f.record)).length;
      deps.metrics.count(DETECT_METRICS.flagged, done);
      deps.metrics.count(DETECT_METRICS.failedRecords, failures.size());
      deps.log.info("Batch assessed", {
        records: event.Records.length,
        skipped,
        assessed: assessed.length,
        flagged: flagged.length,
        flaggedDone: done,
        failed: failures.size(),
      });
      return failures.response(event.Records);
    } finally {
      deps.metrics.flush();
    }
  };
}

export type { DetectDeps };
export { DETECT_METRICS, makeDetectHandler };
