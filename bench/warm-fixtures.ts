/**
 * Realistic events and in-memory ports for the warm-handler figure. The ports answer at once
 * (the store accepts, the ledger grants the claim, the queue and topic take everything), so the
 * figure is the handler's own CPU; SDK round trips are added in the capacity figure.
 */

import type { APIGatewayProxyEvent, DynamoDBStreamEvent, SQSEvent } from "aws-lambda";
import { DEFAULT_LABEL_DELAY_DAYS, runBacktest } from "../local/backtest/run";
import { seededRandom } from "../local/faults";
import { DEFAULT_SEED, DEFAULT_VALIDATION_DAYS, train } from "../local/train/train";
import type { Transaction } from "../pipeline/runtime/contract/transaction";
import { FEATURE_NAMES } from "../pipeline/runtime/detect/features/registry";
import { type FraudModel, MODEL_KINDS, parseFraudModel } from "../pipeline/runtime/detect/model/format";
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
import { generateTransactions } from "./generate";

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
 * `transactions` is the history and the batch together, oldest first.
 *
 * @example
 * const { event, history } = streamBatch();
 */
function streamBatch(): {
  event: DynamoDBStreamEvent;
  history: AccountHistory;
  transactions: Transaction[];
} {
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
  const transactions = [...[...stored.values()].flat(), ...records].sort((a, b) => a.timestamp - b.timestamp);
  return { event: streamEvent(records.map((tx) => insertRecord(tx))), history, transactions };
}

/** Generated rows the trees model of the warm figure is trained on, and their seed. */
const TREES_TRAINING = { rows: 20_000, seed: 2 } as const;

/**
 * A logistic-regression model over every feature for the stream batch (as test/detect/parity.test.ts's probe model):
 * a distinct non-zero weight per feature, standardised with the mean and spread of the fixture's
 * own feature vectors (the history and the batch replayed by the backtest), so every term counts
 * and none saturates. Scoring costs the same whatever the weights, so the figure holds for a
 * trained model too.
 *
 * @example
 * const model = await streamBatchModel(streamBatch().transactions);
 */
async function streamBatchModel(transactions: readonly Transaction[]): Promise<FraudModel> {
  const { scored } = await runBacktest(transactions, { keepFeatures: true });
  const vectors = scored.map((row) => row.features).filter((v): v is Float64Array => v !== undefined);
  if (vectors.length === 0) throw new Error("The stream batch fixture gave no feature vectors");
  const n = FEATURE_NAMES.length;
  const mean = FEATURE_NAMES.map((_, i) => vectors.reduce((sum, v) => sum + v[i], 0) / vectors.length);
  const scale = FEATURE_NAMES.map((_, i) => {
    const variance = vectors.reduce((sum, v) => sum + (v[i] - mean[i]) ** 2, 0) / vectors.length;
    return variance > 0 ? Math.sqrt(variance) : 1;
  });
  const document = {
    format: "fraud-model",
    version: 1,
    kind: "logistic-regression",
    features: FEATURE_NAMES,
    mean,
    scale,
    weights: FEATURE_NAMES.map((_, i) => (i % 2 === 0 ? 1 : -1) * (0.05 + i / (10 * n))),
    intercept: -1,
    threshold: 50,
    training: { from: "", until: "", rows: 0, frauds: 0, labelDelayDays: 7, seed: 1 },
    validation: { from: "", until: "", rows: 0, frauds: 0, rocAuc: null, averagePrecision: null },
  };
  return parseFraudModel(JSON.stringify(document), FEATURE_NAMES);
}

/**
 * A gradient-boosted trees model as `npm run train -- --kind gradient-boosted-trees` makes it
 * (its default trees, depth and bins), trained by the train module on 20,000 generated rows:
 * scoring walks every tree, so its cost depends on the trees' shapes, which a trained model has.
 *
 * @example
 * const model = await trainedTreesModel();
 */
async function trainedTreesModel(): Promise<FraudModel> {
  const { text } = await train(generateTransactions(TREES_TRAINING), {
    labelDelayDays: DEFAULT_LABEL_DELAY_DAYS,
    validationDays: DEFAULT_VALIDATION_DAYS,
    seed: DEFAULT_SEED,
    kind: MODEL_KINDS.gradientBoostedTrees,
  });
  return parseFraudModel(text, FEATURE_NAMES);
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
  streamBatchModel,
  TREES_TRAINING,
  trainedTreesModel,
};
