/**
 * Fixture factories for the detector: account histories, rule settings built through the real
 * parser, and in-memory fakes of the ports detect-fraud uses, recording every call.
 */
import type {
  FraudAlert,
  Transaction,
  TransactionKey,
  Verdict,
} from "../../pipeline/runtime/contract/transaction";
import { parseRulesConfig, type RulesConfig } from "../../pipeline/runtime/detect/config";
import type { MerchantIncrement } from "../../pipeline/runtime/detect/merchant-risk";
import { SIGNALS } from "../../pipeline/runtime/detect/scoring/signals";
import type {
  AccountHistory,
  AlertQueue,
  Log,
  MerchantRiskReader,
  MerchantRiskWriter,
  MetricsSink,
  VerdictStore,
} from "../../pipeline/runtime/ports";
import { FIXED_NOW, validTransaction } from "./transactions";

const MINUTE_MS = 60_000;

/**
 * Rule settings: the defaults with a partial override, through `parseRulesConfig`.
 *
 * @example
 * const config = rulesConfig({ rules: { velocity: { maxCount: 3 } } });
 */
function rulesConfig(override: Record<string, unknown> = {}): RulesConfig {
  return parseRulesConfig(JSON.stringify(override));
}

/** Every signal of the default score at weight 0, from the signal registry. */
const SIGNALS_OFF: Readonly<Record<string, { readonly weight: number }>> = Object.fromEntries(
  SIGNALS.map((signal) => [signal.key, { weight: 0 }]),
);

/**
 * The defaults with every signal of the default score weighing 0, so a score is exactly the sum
 * of the rules that fired: for tests of the rules and of the handler's mechanics.
 *
 * @example
 * assessTransaction(tx, history, rulesOnlyConfig()).score; // sum of the hits
 */
function rulesOnlyConfig(override: Record<string, unknown> = {}): RulesConfig {
  return rulesConfig({ ...override, signals: SIGNALS_OFF });
}

/**
 * `count` transactions of the default account, the last one `endsBefore` ms before `FIXED_NOW`
 * and each `stepMs` after the previous, with ids `h-000`, `h-001`, ...
 *
 * @example
 * const history = series(12, { amount: 42_10 }); // 12 transactions, one a minute, the last at FIXED_NOW - 1 min
 */
function series(
  count: number,
  options: { stepMs?: number; endsBefore?: number } & Partial<Transaction> = {},
): Transaction[] {
  const { stepMs = MINUTE_MS, endsBefore = MINUTE_MS, ...overrides } = options;
  const last = FIXED_NOW - endsBefore;
  return Array.from({ length: count }, (_, i) =>
    validTransaction({
      transaction_id: `h-${String(i).padStart(3, "0")}`,
      timestamp: last - (count - 1 - i) * stepMs,
      ...overrides,
    }),
  );
}

/**
 * The transaction under assessment: the default account at `FIXED_NOW`.
 *
 * @example
 * const tx = current({ amount: 500_00 });
 */
function current(overrides: Partial<Transaction> = {}): Transaction {
  return validTransaction({ transaction_id: "tx-now", timestamp: FIXED_NOW, ...overrides });
}

interface HistoryCall {
  readonly accountId: string;
  readonly since: number;
  readonly until: number;
  readonly limit: number;
}

/**
 * An account index over `items` that honours the port's contract (range, newest first, limit)
 * and rejects queries for the accounts in `failing`.
 *
 * @example
 * const history = memoryHistory(series(5), { failing: ["acc-broken"] });
 */
function memoryHistory(items: readonly Transaction[], options: { failing?: readonly string[] } = {}) {
  const calls: HistoryCall[] = [];
  const port: AccountHistory = {
    async recentForAccount(accountId, since, until, limit) {
      calls.push({ accountId, since, until, limit });
      if (options.failing?.includes(accountId))
        throw new Error(`ProvisionedThroughputExceeded for ${accountId}`);
      return items
        .filter((tx) => tx.account_id === accountId && tx.timestamp >= since && tx.timestamp <= until)
        .sort((a, b) => b.timestamp - a.timestamp)
        .slice(0, limit);
    },
  };
  return { port, calls };
}

/**
 * A verdict store that records writes and rejects those for the transaction ids in `failing`.
 *
 * @example
 * const verdicts = memoryVerdicts({ failing: ["tx-2"] });
 */
function memoryVerdicts(options: { failing?: readonly string[] } = {}) {
  const written: { key: TransactionKey; verdict: Verdict }[] = [];
  const port: VerdictStore = {
    async recordVerdict(key, verdict) {
      if (options.failing?.includes(key.transaction_id)) throw new Error("ConditionalCheckFailed");
      const first = !written.some(
        (w) => w.key.transaction_id === key.transaction_id && w.key.timestamp === key.timestamp,
      );
      written.push({ key, verdict });
      return { first };
    },
  };
  return { port, written };
}

/**
 * An alert queue that records each `sendAlerts` call; the ids in `failing` are reported unsent,
 * and with `rejects` the whole call throws.
 *
 * @example
 * const alerts = memoryAlerts({ failing: ["tx-2"] });
 */
function memoryAlerts(options: { failing?: readonly string[]; rejects?: boolean } = {}) {
  const calls: FraudAlert[][] = [];
  const port: AlertQueue = {
    async sendAlerts(alerts) {
      calls.push([...alerts]);
      if (options.rejects) throw new Error("SQS unavailable");
      const failing = options.failing ?? [];
      return {
        failed: alerts
          .filter((a) => failing.includes(a.transaction_id))
          .map((a) => ({ transactionId: a.transaction_id, code: "InternalError" })),
      };
    },
  };
  return { port, calls };
}

/**
 * Merchant-risk ports over stored items keyed by merchant id: the reader records each call and
 * rejects with `readRejects`; the writer records every increment and rejects with `writeRejects`.
 *
 * @example
 * const merchants = memoryMerchants({ items: { "m-1": { merchant_id: "m-1", tx_20400: 31, fraud_20400: 4 } } });
 */
function memoryMerchants(
  options: { items?: Record<string, unknown>; readRejects?: boolean; writeRejects?: boolean } = {},
) {
  const reads: string[][] = [];
  const increments: MerchantIncrement[] = [];
  const reader: MerchantRiskReader = {
    async profiles(merchantIds) {
      reads.push([...merchantIds]);
      if (options.readRejects) throw new Error("ProvisionedThroughputExceededException on merchant risk");
      const items = options.items ?? {};
      return new Map(merchantIds.filter((id) => Object.hasOwn(items, id)).map((id) => [id, items[id]]));
    },
  };
  const writer: MerchantRiskWriter = {
    async addToBuckets(batch) {
      if (options.writeRejects) throw new Error("AccessDeniedException on merchant risk");
      increments.push(...batch);
    },
  };
  return { reader, writer, reads, increments };
}

interface LogEntry {
  readonly level: "info" | "warn" | "error";
  readonly message: string;
  readonly attributes?: Record<string, unknown>;
}

/**
 * A logger that keeps its entries.
 *
 * @example
 * const log = memoryLog(); handler(...); log.entries.filter((e) => e.level === "error");
 */
function memoryLog() {
  const entries: LogEntry[] = [];
  const port: Log = {
    info: (message, attributes) => entries.push({ level: "info", message, attributes }),
    warn: (message, attributes) => entries.push({ level: "warn", message, attributes }),
    error: (message, attributes) => entries.push({ level: "error", message, attributes }),
  };
  return { port, entries };
}

/**
 * A metrics sink that keeps counts and counts flushes.
 *
 * @example
 * const metrics = memoryMetrics(); metrics.counts.get("FlaggedTransactions");
 */
function memoryMetrics() {
  const counts = new Map<string, number>();
  const state = { flushes: 0 };
  const port: MetricsSink = {
    count: (name, value) => counts.set(name, (counts.get(name) ?? 0) + value),
    flush: () => {
      state.flushes += 1;
    },
  };
  return { port, counts, state };
}

export type { HistoryCall, LogEntry };
export {
  current,
  memoryAlerts,
  memoryHistory,
  memoryLog,
  memoryMerchants,
  memoryMetrics,
  memoryVerdicts,
  rulesConfig,
  rulesOnlyConfig,
  SIGNALS_OFF,
  series,
};
