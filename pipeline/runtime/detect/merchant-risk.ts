/**
 * Merchant risk profiles: per merchant, daily buckets of transactions seen and confirmed frauds.
 * One item per merchant holds its buckets as numeric attributes (`tx_<day>`, `fraud_<day>`, day =
 * UTC epoch day), so detect-fraud reads a whole stream batch's merchants with one BatchGetItem and
 * a writer adds to a bucket with an atomic ADD that needs no prior item. The deployed adapters,
 * the local runner and the backtest share these rules:
 *
 * - a transaction is counted in the bucket of its own event day, once, after its first verdict;
 * - a confirmed fraud is counted in the bucket of the day the pipeline learned it (not the
 *   transaction's day), so a window only ever holds outcomes that were known at scoring time.
 */

const DAY_MS = 86_400_000;

/** Longest window a feature reads; older buckets are removed by writers and expire with the item. */
const MERCHANT_RISK_RETENTION_DAYS = 30;

/** Attribute names of a merchant-risk item. */
const MERCHANT_RISK_ATTRIBUTES = {
  merchantId: "merchant_id",
  /** DynamoDB TTL attribute, epoch seconds: an idle merchant's item expires with its last bucket. */
  expiresAt: "expires_at",
  transactionsPrefix: "tx_",
  fraudsPrefix: "fraud_",
} as const;

/** Counts of one merchant on one day. */
interface MerchantDayCounts {
  readonly transactions: number;
  readonly frauds: number;
}

/** A decoded profile: counts by UTC epoch day. */
type MerchantProfile = ReadonlyMap<number, MerchantDayCounts>;

/** An addition to one merchant's bucket. */
interface MerchantIncrement {
  readonly merchantId: string;
  readonly day: number;
  readonly transactions: number;
  readonly frauds: number;
}

/** Sums over a window of days. */
interface MerchantWindow {
  readonly transactions: number;
  readonly frauds: number;
}

/**
 * A profile with no buckets. A function, not a shared constant: a Map captured by a serialized
 * closure loses its internal slots and throws when read inside Lambda.
 */
function emptyProfile(): MerchantProfile {
  return new Map();
}

/**
 * UTC epoch day of an epoch-millisecond time.
 *
 * @example
 * dayOf(Date.UTC(2025, 9, 1, 13)); // 20362
 */
function dayOf(timestamp: number): number {
  return Math.floor(timestamp / DAY_MS);
}

/** Attribute name of a day's transaction counter. */
function transactionsAttribute(day: number): string {
  return `${MERCHANT_RISK_ATTRIBUTES.transactionsPrefix}${day}`;
}

/** Attribute name of a day's fraud counter. */
function fraudsAttribute(day: number): string {
  return `${MERCHANT_RISK_ATTRIBUTES.fraudsPrefix}${day}`;
}

/**
 * TTL of a merchant item last written at `now` (epoch ms), in epoch seconds: the end of the last
 * window that can still read a bucket of that day.
 */
function expiresAtSeconds(now: number): number {
  return (dayOf(now) + MERCHANT_RISK_RETENTION_DAYS + 1) * (DAY_MS / 1000);
}

/** How many expired days each write removes: enough that a merchant seen weekly stays trim. */
const STALE_SWEEP_DAYS = 10;

/**
 * Attribute names of the buckets that fell out of the window just before `day`, which a write on
 * `day` removes (REMOVE of a missing attribute is a no-op). A merchant idle for longer than the
 * window loses its whole item to TTL instead.
 *
 * @example
 * staleBucketAttributes(20400); // ["tx_20369", "fraud_20369", "tx_20368", ...]
 */
function staleBucketAttributes(day: number): string[] {
  const names: string[] = [];
  for (
    let d = day - MERCHANT_RISK_RETENTION_DAYS;
    d > day - MERCHANT_RISK_RETENTION_DAYS - STALE_SWEEP_DAYS;
    d--
  ) {
    names.push(transactionsAttribute(d), fraudsAttribute(d));
  }
  return names;
}

const BUCKET = /^(tx|fraud)_(\d{1,9})$/;

function isCount(value: unknown): value is number {
  return typeof value === "number" && Number.isFinite(value) && value >= 0;
}

/**
 * Decodes an (unmarshalled) merchant-risk item into its buckets. Unknown attributes are ignored;
 * a counter that is not a non-negative number is dropped, so a damaged bucket reads as empty
 * instead of poisoning every score at that merchant. `undefined` (no item) is an empty profile.
 *
 * @example
 * decodeMerchantProfile({ merchant_id: "m-1", tx_20362: 31, fraud_20362: 4 }).get(20362); // { transactions: 31, frauds: 4 }
 */
function decodeMerchantProfile(item: unknown): MerchantProfile {
  if (typeof item !== "object" || item === null) return emptyProfile();
  const days = new Map<number, { transactions: number; frauds: number }>();
  for (const [name, value] of Object.entries(item)) {
    const match = BUCKET.exec(name);
    if (match === null || !isCount(value)) continue;
    const day = Number(match[2]);
    const counts = days.get(day) ?? { transactions: 0, frauds: 0 };
    if (match[1] === "tx") counts.transactions = value;
    else counts.frauds = value;
    days.set(day, counts);
  }
  return days;
}

/**
 * Sums the buckets of the `days` days ending with `day` (that day included).
 *
 * @example
 * merchantWindow(profile, dayOf(tx.timestamp), 7); // { transactions: 31, frauds: 4 }
 */
function merchantWindow(profile: MerchantProfile, day: number, days: number): MerchantWindow {
  let transactions = 0;
  let frauds = 0;
  for (let d = day - days + 1; d <= day; d++) {
    const counts = profile.get(d);
    if (counts === undefined) continue;
    transactions += counts.transactions;
    frauds += counts.frauds;
  }
  return { transactions, frauds };
}

/**
 * Merges increments that hit the same merchant and day, so a batch writes each bucket once.
 *
 * @example
 * mergeIncrements([{ merchantId: "m", day: 1, transactions: 1, frauds: 0 }, { merchantId: "m", day: 1, transactions: 1, frauds: 0 }]);
 * // [{ merchantId: "m", day: 1, transactions: 2, frauds: 0 }]
 */
function mergeIncrements(increments: readonly MerchantIncrement[]): MerchantIncrement[] {
  const merged = new Map<string, MerchantIncrement>();
  for (const inc of increments) {
    const key = `${inc.merchantId}\u0000${inc.day}`;
    const current = merged.get(key);
    merged.set(
      key,
      current === undefined
        ? inc
        : {
            ...current,
            transactions: current.transactions + inc.transactions,
            frauds: current.frauds + inc.frauds,
          },
    );
  }
  return [...merged.values()];
}

export type { MerchantDayCounts, MerchantIncrement, MerchantProfile, MerchantWindow };
export {
  DAY_MS,
  dayOf,
  decodeMerchantProfile,
  emptyProfile,
  expiresAtSeconds,
  fraudsAttribute,
  MERCHANT_RISK_ATTRIBUTES,
  MERCHANT_RISK_RETENTION_DAYS,
  merchantWindow,
  mergeIncrements,
  staleBucketAttributes,
  transactionsAttribute,
};
