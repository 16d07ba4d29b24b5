/**
 * The detect-fraud stream-batch handler over ports: decode, fetch history once per account and
 * the merchants' risk profiles once per batch, assess in stream order, send one batch of alerts,
 * write verdicts, count first verdicts in the merchant profiles, report partial failures.
 *
 * Retried records are safe to process again: verdict writes overwrite, only a first verdict
 * counts its transaction at its merchant, and notify-team claims each transaction once, so a
 * re-sent alert notifies nobody twice.
 */
import type { Context, DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from "aws-lambda";
import { decodeTransaction, type TransactionCodec } from "../contract/codec";
import type { Assessment, Transaction } from "../contract/transaction";
import { type ErrorCode, errorCode } from "../errors";
import type {
  AccountHistory,
  AlertQueue,
  Clock,
  Log,
  MerchantRiskReader,
  MerchantRiskWriter,
  MetricsSink,
  VerdictStore,
} from "../ports";
import { assessTransaction, toAlert, toVerdict } from "./assess";
import type { RulesConfig } from "./config";
import { decodeRecord, errorText, keyTransactionId } from "./decode-record";
import { planHistoryQueries, selectHistory } from "./history";
import { type BatchProfiles, makeBatchProfiles } from "./merchant-batch";
import { dayOf } from "./merchant-risk";
import type { FraudModel } from "./model/format";
import { type PreparedModel, prepareModel } from "./scoring/score";

interface DetectDeps {
  readonly history: AccountHistory;
  readonly verdicts: VerdictStore;
  readonly alerts: AlertQueue;
  readonly merchantProfiles: MerchantRiskReader;
  readonly merchantCounts: MerchantRiskWriter;
  readonly config: RulesConfig;
  /** The trained model; the label-free default score without one. */
  readonly model?: FraudModel;
  readonly codec: TransactionCodec;
  readonly now: Clock;
  readonly log: Log;
  readonly metrics: MetricsSink;
}

/** Metric names emitted once per invocation. */
const DETECT_METRICS = {
  /** Flagged transactions whose verdict was written for the first time: each counts once, retries never. */
  flagged: "FlaggedTransactions",
  /** Records reported back as failed by this invocation: a record that fails on 3 attempts counts 3. */
  failedRecords: "FailedRecords",
  /** Transactions whose merchant count could not be written (they stay uncounted, never doubled). */
  uncountedTransactions: "UncountedTransactions",
} as const;

interface Entry {
  readonly record: DynamoDBRecord;
  readonly transaction: Transaction;
}

interface Assessed extends Entry {
  readonly assessment: Assessment;
}

/** Why a step failed for some records, and the error behind it (its AWS code goes to the log). */
interface StepFailure {
  readonly reason: string;
  readonly cause: unknown;
}

function stepFailure(what: string, cause: unknown): StepFailure {
  return { reason: `${what}: ${errorText(cause)}`, cause };
}

/** Records that failed, in stream order, with why; logged and reported as batch item failures. */
function makeFailures(log: Log) {
  const failed = new Map<DynamoDBRecord, string>();
  return {
    add(
      record: DynamoDBRecord,
      reason: string,
      transactionId = keyTransactionId(record),
      code: ErrorCode = {},
    ): void {
      failed.set(record, reason);
      log.error("Record failed", {
        eventId: record.eventID,
        sequenceNumber: record.dynamodb?.SequenceNumber,
        transactionId,
        reason,
        ...code,
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
  const histories = new Map<string, Transaction[] | StepFailure>();
  queries.forEach((query, i) => {
    const outcome = settled[i];
    const value =
      outcome.status === "fulfilled"
        ? decodeHistory(deps, query.accountId, outcome.value)
        : stepFailure("history query failed", outcome.reason);
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

/** The batch's merchant profiles, or why they could not be read (every record then fails). */
async function fetchProfiles(
  deps: DetectDeps,
  entries: readonly Entry[],
): Promise<BatchProfiles | StepFailure> {
  const merchantIds = [...new Set(entries.map((entry) => entry.transaction.merchant_id))];
  try {
    return makeBatchProfiles(await deps.merchantProfiles.profiles(merchantIds));
  } catch (error) {
    return stepFailure("merchant profiles read failed", error);
  }
}

/**
 * Assesses in stream order; each record also sees the earlier records of its account in the
 * batch, and its merchant's profile with the earlier records of the batch counted, as the backtest
 * replays them.
 */
function assessAll(
  deps: DetectDeps,
  model: PreparedModel | undefined,
  entries: readonly Entry[],
  histories: Map<string, Transaction[] | StepFailure>,
  profiles: BatchProfiles | StepFailure,
  failures: Failures,
): Assessed[] {
  const { config } = deps;
  const earlier = new Map<string, Transaction[]>();
  const assessed: Assessed[] = [];
  for (const entry of entries) {
    const tx = entry.transaction;
    const fromIndex = histories.get(tx.account_id) ?? [];
    const inBatch = earlier.get(tx.account_id) ?? [];
    earlier.set(tx.account_id, [...inBatch, tx]);
    if (!Array.isArray(fromIndex)) {
      failures.add(entry.record, fromIndex.reason, tx.transaction_id, errorCode(fromIndex.cause));
      continue;
    }
    if ("reason" in profiles) {
      failures.add(entry.record, profiles.reason, tx.transaction_id, errorCode(profiles.cause));
      continue;
    }
    try {
      const history = selectHistory(tx, [...fromIndex, ...inBatch], config);
      const assessment = assessTransaction(tx, history, config, profiles.profileOf(tx.merchant_id), model);
      profiles.count(tx);
      assessed.push({ ...entry, assessment });
    } catch (error) {
      failures.add(
        entry.record,
        `assessment failed: ${errorText(error)}`,
        tx.transaction_id,
        errorCode(error),
      );
    }
  }
  return assessed;
}

/**
 * Sends one batch of alerts; flagged records whose alert was not sent fail: the ones the queue
 * refused (logged with the queue's code), or all of them when the send itself was refused (logged
 * with the AWS error's code).
 */
async function sendAlerts(deps: DetectDeps, flagged: readonly Assessed[], at: number, failures: Failures) {
  if (flagged.length === 0) return;
  try {
    const alerts = flagged.map((f) => toAlert(f.transaction, f.assessment, at));
    const notSent = new Map(
      (await deps.alerts.sendAlerts(alerts)).failed.map((f) => [f.transactionId, f.code]),
    );
    for (const f of flagged) {
      const code = notSent.get(f.transaction.transaction_id);
      if (code !== undefined) {
        failures.add(f.record, `alert not sent (${code})`, f.transaction.transaction_id, { errorName: code });
      }
    }
  } catch (error) {
    const failure = stepFailure("alert batch failed", error);
    for (const f of flagged) {
      failures.add(f.record, failure.reason, f.transaction.transaction_id, errorCode(error));
    }
  }
}

/**
 * Writes the verdict of every record still in good standing; a failed write fails its record.
 * Resolves with the records whose verdict was their transaction's first: the ones to count, once.
 */
async function recordVerdicts(
  deps: DetectDeps,
  assessed: readonly Assessed[],
  at: number,
  failures: Failures,
): Promise<Assessed[]> {
  const pending = assessed.filter((a) => !failures.has(a.record));
  const settled = await Promise.allSettled(
    pending.map(async ({ transaction: tx, assessment }) =>
      deps.verdicts.recordVerdict(
        { transaction_id: tx.transaction_id, timestamp: tx.timestamp },
        toVerdict(assessment, at),
      ),
    ),
  );
  const firsts: Assessed[] = [];
  settled.forEach((outcome, i) => {
    const { record, transaction } = pending[i];
    if (outcome.status === "rejected") {
      const failure = stepFailure("verdict write failed", outcome.reason);
      failures.add(record, failure.reason, transaction.transaction_id, errorCode(outcome.reason));
    } else if (outcome.value.first) firsts.push(pending[i]);
  });
  return firsts;
}

/**
 * Counts first-verdict transactions in their merchants' day buckets. A failure is logged and
 * measured but fails no record: the verdicts are written, and a retry would not count them again
 * (their verdict is no longer the first), so a lost count is the price of never counting twice.
 */
async function countAtMerchants(deps: DetectDeps, firsts: readonly Transaction[], at: number): Promise<void> {
  if (firsts.length === 0) return;
  try {
    await deps.merchantCounts.addToBuckets(
      firsts.map((tx) => ({
        merchantId: tx.merchant_id,
        day: dayOf(tx.timestamp),
        transactions: 1,
        frauds: 0,
      })),
      at,
    );
  } catch (error) {
    deps.metrics.count(DETECT_METRICS.uncountedTransactions, firsts.length);
    deps.log.error("Merchant counts not written", {
      transactions: firsts.length,
      reason: errorText(error),
      ...errorCode(error),
    });
  }
}

/**
 * Builds the detect-fraud handler. Failures are per record (`batchItemFailures` with the
 * record's sequence number): an undecodable record, a failed history query (that account's
 * records), a failed merchant-profile read (every record), an unsent alert, a failed verdict
 * write. The others are still processed.
 *
 * @example
 * const handler = makeDetectHandler({ history, verdicts, alerts, merchantProfiles, merchantCounts, config, codec, now: Date.now, log, metrics });
 * const { batchItemFailures } = await handler(event, context);
 */
function makeDetectHandler(deps: DetectDeps) {
  // Once per handler (a cold start), not per record: a trees model's flat form is built, not shipped.
  const model = deps.model === undefined ? undefined : prepareModel(deps.model);
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
      const [histories, profiles] = await Promise.all([
        fetchHistories(deps, entries),
        fetchProfiles(deps, entries),
      ]);
      const assessed = assessAll(deps, model, entries, histories, profiles, failures);
      const flagged = assessed.filter((a) => a.assessment.flagged);
      await sendAlerts(deps, flagged, at, failures);
      const firsts = await recordVerdicts(deps, assessed, at, failures);
      await countAtMerchants(
        deps,
        firsts.map((first) => first.transaction),
        at,
      );
      // A flagged transaction counts when its verdict is first written, which happens after its
      // alert was sent: a retried batch finds the verdict there and counts nothing again.
      const done = firsts.filter((first) => first.assessment.flagged).length;
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
