/**
 * One account's history for the replay: its transactions in the window, oldest first (what the
 * rules read from their tail), and beside them, in plain arrays, the fields the features scan
 * from end to end (time, amount, merchant, currency, country). The replay holds every account's
 * history for its whole window, so those transactions lie all over the heap; reading a column
 * array instead of each transaction object spares cache misses per earlier transaction on every row.
 * What it computes must equal detect-fraud's `aggregateHistory` and `evaluateRules` over the same
 * transactions: test/local/account-history.test.ts holds it to that.
 */
import type { Transaction } from "../../pipeline/runtime/contract/transaction";
import type { RulesConfig } from "../../pipeline/runtime/detect/config";
import {
  ACCOUNT_WINDOWS,
  accountWindows,
  type HistoryAggregates,
  type SummaryInputs,
} from "../../pipeline/runtime/detect/features/summary";
import { amountSpikeOfAmounts, amountSpikeRule } from "../../pipeline/runtime/detect/rules/amount-spike";
import { RULES, type Rule } from "../../pipeline/runtime/detect/rules/registry";
import type { RuleResult } from "../../pipeline/runtime/detect/rules/score";

export interface AccountHistory {
  /** The transactions in the window, oldest first. */
  readonly transactions: readonly Transaction[];
  /**
   * Drops what the window of a transaction at `now` no longer holds: older than `windowMs`, or
   * beyond the most recent `limit`. Transactions come in time order, so nothing comes back.
   */
  trim(now: number, windowMs: number, limit: number): void;
  /** Adds a transaction at least as recent as every one held. */
  push(tx: Transaction): void;
  /** What `summarise` would compute from `transactions` for `tx`. */
  inputs(tx: Transaction, config: RulesConfig): SummaryInputs;
}

/**
 * The windows' lengths, shortest first, read in the hottest loop: a module's own array, as an
 * imported binding is read through a getter when a transpiler emits CommonJS.
 */
const WINDOW_MS: readonly number[] = ACCOUNT_WINDOWS.map((w) => w.ms);

/**
 * Scratch space every history shares, as the replay computes one row at a time: per-window
 * counts and sums (`accountWindows` copies them out), and the amounts in one currency with a
 * view of its first `n` entries for each count `n` met so far, so a row allocates none of them.
 */
const scratchCounts: number[] = WINDOW_MS.map(() => 0);
const scratchSums: number[] = WINDOW_MS.map(() => 0);
let scratchAmounts = new Float64Array(256);
let scratchViews: Float64Array[] = [];

/** The rules in registry order, and where the amount spike is among them: module-owned, read per row. */
const RULE_LIST: readonly Rule[] = [...RULES];
const AMOUNT_SPIKE_INDEX = RULE_LIST.findIndex((rule) => rule.key === amountSpikeRule.key);

/**
 * The columns of one account. A class rather than closures over the arrays: every row reads one
 * account's state, and one object with its methods on a shared prototype is fewer scattered
 * objects to reach than a context and a closure per method per account.
 */
class AccountColumns implements AccountHistory {
  readonly transactions: Transaction[] = [];
  // Two arrays rather than one per field: each array's storage is one more cache miss per row.
  /** Time and amount of each transaction, in turn. */
  private readonly numbers: number[] = [];
  /** Merchant, currency and country of each transaction, in turn. */
  private readonly names: (string | undefined)[] = [];

  trim(now: number, windowMs: number, limit: number): void {
    const { transactions, numbers } = this;
    const since = now - windowMs;
    let from = Math.max(0, transactions.length - limit);
    while (from < transactions.length && numbers[2 * from] < since) from++;
    if (from === 0) return;
    transactions.splice(0, from);
    numbers.splice(0, 2 * from);
    this.names.splice(0, 3 * from);
  }

  push(tx: Transaction): void {
    this.transactions.push(tx);
    this.numbers.push(tx.timestamp, tx.amount);
    this.names.push(tx.merchant_id, tx.currency, tx.country);
  }

  inputs(tx: Transaction, config: RulesConfig): SummaryInputs {
    const settings = config.rules as unknown as Record<string, never>;
    const rules: RuleResult[] = [];
    for (let r = 0; r < RULE_LIST.length; r++) {
      const rule = RULE_LIST[r];
      // The one rule that reads every earlier transaction reads the amount column instead.
      rules.push(
        r === AMOUNT_SPIKE_INDEX
          ? amountSpikeOfAmounts(tx, this.amountsIn(tx.currency), config.rules.amountSpike)
          : rule.evaluate(tx, this.transactions, settings[rule.key]),
      );
    }
    return { aggregates: this.aggregates(tx), rules };
  }

  /** `aggregateHistory`'s loop, over the columns. */
  private aggregates(tx: Transaction): HistoryAggregates {
    const { numbers, names } = this;
    const windows = WINDOW_MS.length;
    const counts = scratchCounts;
    const sums = scratchSums;
    counts.fill(0);
    sums.fill(0);
    let merchantSeen = false;
    let countrySeen = false;
    let w = 0;
    for (let i = this.transactions.length - 1; i >= 0; i--) {
      const age = tx.timestamp - numbers[2 * i];
      while (w < windows && age > WINDOW_MS[w]) w++;
      if (w < windows) {
        counts[w]++;
        sums[w] += numbers[2 * i + 1];
      }
      if (names[3 * i] === tx.merchant_id) merchantSeen = true;
      if (tx.country !== undefined && names[3 * i + 2] === tx.country) countrySeen = true;
    }
    return { account: accountWindows(counts, sums), merchantSeen, countrySeen };
  }

  /**
   * The amounts in `currency`, oldest first, in the shared scratch space: the view is valid until
   * the next row's, which is all the rule needs (it reorders them and keeps nothing).
   */
  private amountsIn(currency: string): Float64Array {
    const { numbers, names } = this;
    const length = this.transactions.length;
    if (scratchAmounts.length < length) {
      scratchAmounts = new Float64Array(2 * length);
      scratchViews = [];
    }
    let count = 0;
    for (let i = 0; i < length; i++) {
      if (names[3 * i + 1] === currency) scratchAmounts[count++] = numbers[2 * i + 1];
    }
    let view = scratchViews[count];
    if (view === undefined) {
      view = scratchAmounts.subarray(0, count);
      scratchViews[count] = view;
    }
    return view;
  }
}

/**
 * An empty account history.
 *
 * @example
 * const history = makeAccountHistory();
 * history.trim(tx.timestamp, config.history.windowMs, config.history.limit);
 * assessWithFeatures(tx, history.transactions, profile, scoring, history.inputs(tx, config));
 * history.push(tx);
 */
function makeAccountHistory(): AccountHistory {
  return new AccountColumns();
}

export { makeAccountHistory };
