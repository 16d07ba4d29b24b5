/**
 * One pass over a transaction's inputs (its account's earlier transactions, its merchant's risk
 * profile, the rules) that every feature reads from, so the feature vector costs one scan of the
 * history however many features there are.
 */
import type { Transaction } from "../../contract/transaction";
import type { RulesConfig } from "../config";
import { dayOf, type MerchantProfile, type MerchantWindow, merchantWindow } from "../merchant-risk";
import { RULES } from "../rules/registry";
import type { RuleResult } from "../rules/score";

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** The account windows the features count over. */
const ACCOUNT_WINDOWS = [
  { key: "1h", ms: HOUR_MS, words: "hour", adjective: "1-hour" },
  { key: "1d", ms: DAY_MS, words: "24 hours", adjective: "24-hour" },
  { key: "7d", ms: 7 * DAY_MS, words: "7 days", adjective: "7-day" },
  { key: "30d", ms: 30 * DAY_MS, words: "30 days", adjective: "30-day" },
] as const;

/** The merchant windows, in whole UTC days (today included). */
const MERCHANT_WINDOWS = [
  { key: "1d", days: 1, words: "today" },
  { key: "7d", days: 7, words: "in the last 7 days" },
  { key: "30d", days: 30, words: "in the last 30 days" },
] as const;

type AccountWindowKey = (typeof ACCOUNT_WINDOWS)[number]["key"];
type MerchantWindowKey = (typeof MERCHANT_WINDOWS)[number]["key"];

/** The account's earlier transactions in one window. */
interface AccountWindow {
  readonly count: number;
  /** Sum of their amounts, minor units. */
  readonly sum: number;
}

/** What the features are computed from. */
interface FeatureSummary {
  readonly tx: Transaction;
  readonly history: readonly Transaction[];
  readonly config: RulesConfig;
  readonly account: Readonly<Record<AccountWindowKey, AccountWindow>>;
  /** The account's latest earlier transaction. */
  readonly previous: Transaction | undefined;
  /** The account paid this merchant before (within the history). */
  readonly merchantSeen: boolean;
  /** The account transacted from this country before (false when the transaction has none). */
  readonly countrySeen: boolean;
  readonly merchant: Readonly<Record<MerchantWindowKey, MerchantWindow>>;
  /** Each rule's result, in registry order. */
  readonly rules: readonly RuleResult[];
}

/** What the features read from the account's whole history, gathered in one pass. */
interface HistoryAggregates {
  readonly account: Readonly<Record<AccountWindowKey, AccountWindow>>;
  readonly merchantSeen: boolean;
  readonly countrySeen: boolean;
}

/**
 * The account windows and firsts of `tx` over its history (oldest first), in one pass.
 *
 * @example
 * aggregateHistory(tx, history).account["7d"]; // { count: 12, sum: 51_230 }
 */
function aggregateHistory(tx: Transaction, history: readonly Transaction[]): HistoryAggregates {
  const windows = ACCOUNT_WINDOWS.length;
  const counts = ACCOUNT_WINDOWS.map(() => 0);
  const sums = ACCOUNT_WINDOWS.map(() => 0);
  let merchantSeen = false;
  let countrySeen = false;
  // Newest first, the age only grows: each transaction is counted in the shortest window that
  // holds it, and the windows nest, so a running sum gives every window's totals.
  let w = 0;
  for (let i = history.length - 1; i >= 0; i--) {
    const h = history[i];
    const age = tx.timestamp - h.timestamp;
    while (w < windows && age > ACCOUNT_WINDOWS[w].ms) w++;
    if (w < windows) {
      counts[w]++;
      sums[w] += h.amount;
    }
    if (h.merchant_id === tx.merchant_id) merchantSeen = true;
    if (tx.country !== undefined && h.country === tx.country) countrySeen = true;
  }
  return { account: accountWindows(counts, sums), merchantSeen, countrySeen };
}

/**
 * The account windows from per-window counts and sums of the transactions whose shortest
 * window each is (`counts[w]`, `sums[w]` in {@link ACCOUNT_WINDOWS} order); the arrays are
 * summed up in place, as the windows nest.
 */
function accountWindows(counts: number[], sums: number[]): Record<AccountWindowKey, AccountWindow> {
  for (let k = 1; k < counts.length; k++) {
    counts[k] += counts[k - 1];
    sums[k] += sums[k - 1];
  }
  const account = {} as Record<AccountWindowKey, AccountWindow>;
  for (let k = 0; k < counts.length; k++)
    account[ACCOUNT_WINDOWS[k].key] = { count: counts[k], sum: sums[k] };
  return account;
}

/**
 * Every rule's result for `tx`, in registry order.
 *
 * @example
 * evaluateRules(tx, history, config)[0]; // { signal: 0.42, hit: null }
 */
function evaluateRules(tx: Transaction, history: readonly Transaction[], config: RulesConfig): RuleResult[] {
  const settings = config.rules as unknown as Record<string, never>;
  return RULES.map((rule) => rule.evaluate(tx, history, settings[rule.key]));
}

/**
 * What a caller that keeps its own account and merchant state (the backtest) computed from it:
 * equal to {@link aggregateHistory}'s and {@link evaluateRules}' results over the same history,
 * and to the merchant windows of the same profile.
 */
interface SummaryInputs {
  readonly aggregates: HistoryAggregates;
  readonly rules: readonly RuleResult[];
  readonly merchant?: Readonly<Record<MerchantWindowKey, MerchantWindow>>;
}

/**
 * The merchant's windows on the day of `tx`.
 *
 * @example
 * merchantWindows(tx, profile)["7d"]; // { transactions: 31, frauds: 4 }
 */
function merchantWindows(
  tx: Transaction,
  merchant: MerchantProfile,
): Record<MerchantWindowKey, MerchantWindow> {
  const day = dayOf(tx.timestamp);
  const windows = {} as Record<MerchantWindowKey, MerchantWindow>;
  for (const w of MERCHANT_WINDOWS) windows[w.key] = merchantWindow(merchant, day, w.days);
  return windows;
}

/**
 * Summarises the inputs of one transaction. `history` is `selectHistory`'s output: the same
 * account's earlier transactions, oldest first; `computed`, when given, replaces the scans of it.
 *
 * @example
 * const summary = summarise(tx, history, decodeMerchantProfile(item), config);
 * summary.account["7d"]; // { count: 12, sum: 51_230 }
 */
function summarise(
  tx: Transaction,
  history: readonly Transaction[],
  merchant: MerchantProfile,
  config: RulesConfig,
  computed?: SummaryInputs,
): FeatureSummary {
  const aggregates = computed?.aggregates ?? aggregateHistory(tx, history);
  return {
    tx,
    history,
    config,
    account: aggregates.account,
    previous: history.length > 0 ? history[history.length - 1] : undefined,
    merchantSeen: aggregates.merchantSeen,
    countrySeen: aggregates.countrySeen,
    merchant: computed?.merchant ?? merchantWindows(tx, merchant),
    rules: computed?.rules ?? evaluateRules(tx, history, config),
  };
}

export type {
  AccountWindow,
  AccountWindowKey,
  FeatureSummary,
  HistoryAggregates,
  MerchantWindowKey,
  SummaryInputs,
};
export {
  ACCOUNT_WINDOWS,
  accountWindows,
  aggregateHistory,
  evaluateRules,
  MERCHANT_WINDOWS,
  merchantWindows,
  summarise,
};
