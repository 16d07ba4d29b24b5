/**
 * Merchant risk profiles in memory for the backtest and training replays: per merchant, counts
 * of transactions and confirmed frauds by UTC day, the same buckets and rules as the deployed
 * merchant-risk table (pipeline/runtime/detect/merchant-risk.ts). The days of a merchant are kept
 * in plain arrays indexed from its first day, so a window is a sum over adjacent entries rather
 * than a lookup per day; at two numbers per merchant and day they are all kept.
 */
import { MERCHANT_WINDOWS, type MerchantWindowKey } from "../../pipeline/runtime/detect/features/summary";
import type { MerchantWindow } from "../../pipeline/runtime/detect/merchant-risk";

/** One merchant's counts by day, from `firstDay` on. */
interface MerchantDays {
  readonly firstDay: number;
  readonly transactions: number[];
  readonly frauds: number[];
}

interface MemoryMerchantRisk {
  /** What `merchantWindows` computes from the merchant's profile, on `day`. */
  windowsOf(merchantId: string, day: number): Record<MerchantWindowKey, MerchantWindow>;
  add(merchantId: string, day: number, transactions: number, frauds: number): void;
}

/**
 * The windows' lengths and keys, shortest first, read for every row: a module's own arrays, as
 * an imported binding is read through a getter when a transpiler emits CommonJS.
 */
const WINDOW_DAYS: readonly number[] = MERCHANT_WINDOWS.map((w) => w.days);
const WINDOW_KEYS: readonly MerchantWindowKey[] = MERCHANT_WINDOWS.map((w) => w.key);

/**
 * The windows of one merchant on `day`: every window ends with `day` and they come shortest first,
 * so the sums of the longest one, walked back from `day`, pass through the shorter ones' on the way.
 */
function windowsOfDays(known: MerchantDays, day: number): Record<MerchantWindowKey, MerchantWindow> {
  const windows = {} as Record<MerchantWindowKey, MerchantWindow>;
  let transactions = 0;
  let frauds = 0;
  let d = day;
  for (let k = 0; k < WINDOW_DAYS.length; k++) {
    for (; d > day - WINDOW_DAYS[k]; d--) {
      const i = d - known.firstDay;
      if (i < 0) break;
      if (i >= known.transactions.length) continue;
      transactions += known.transactions[i];
      frauds += known.frauds[i];
    }
    windows[WINDOW_KEYS[k]] = { transactions, frauds };
  }
  return windows;
}

/** The windows of a merchant with no transactions yet: every one empty. */
function emptyWindows(): Record<MerchantWindowKey, MerchantWindow> {
  const windows = {} as Record<MerchantWindowKey, MerchantWindow>;
  for (const key of WINDOW_KEYS) windows[key] = { transactions: 0, frauds: 0 };
  return windows;
}

/**
 * An empty in-memory profile store.
 *
 * @example
 * const merchants = makeMemoryMerchantRisk();
 * merchants.add("m-1", dayOf(tx.timestamp), 1, 0);
 * merchants.windowsOf("m-1", dayOf(tx.timestamp))["1d"]; // { transactions: 1, frauds: 0 }
 */
function makeMemoryMerchantRisk(): MemoryMerchantRisk {
  const merchants = new Map<string, MerchantDays>();
  return {
    windowsOf(merchantId, day) {
      const known = merchants.get(merchantId);
      return known === undefined ? emptyWindows() : windowsOfDays(known, day);
    },
    add(merchantId, day, transactions, frauds) {
      let known = merchants.get(merchantId);
      if (known === undefined) {
        known = { firstDay: day, transactions: [], frauds: [] };
        merchants.set(merchantId, known);
      } else if (day < known.firstDay) {
        // A day before the first one (the replay never adds one): the arrays start over from it.
        const before = new Array<number>(known.firstDay - day).fill(0);
        known = {
          firstDay: day,
          transactions: [...before, ...known.transactions],
          frauds: [...before, ...known.frauds],
        };
        merchants.set(merchantId, known);
      }
      const index = day - known.firstDay;
      while (known.transactions.length <= index) {
        known.transactions.push(0);
        known.frauds.push(0);
      }
      known.transactions[index] += transactions;
      known.frauds[index] += frauds;
    },
  };
}

export type { MemoryMerchantRisk };
export { makeMemoryMerchantRisk };
