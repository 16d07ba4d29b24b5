/**
 * The embedded `transactions` table: items keyed like DynamoDB (pk `transaction_id`, sk
 * `timestamp`), conditional inserts (one item, or several all-or-nothing like TransactWriteItems),
 * read-modify-write updates, the sparse account index (`account_id` + `timestamp`, items without
 * an account are not in it) and a change listener that the change feed turns into stream records.
 * Writes go through an optional journal (appended before they become visible, durable once
 * `durable()` resolves). Id guards (see `ID_GUARD`) are
 * stored, journaled and streamed like any item, but `scan` and `size` count transactions only.
 */
import { isIdGuard } from "../pipeline/runtime/contract/item";
import type { TransactionKey } from "../pipeline/runtime/contract/transaction";
import type { Item, Journal } from "./journal";

/** One change, as the stream would see it. */
export interface TableChange {
  readonly eventName: "INSERT" | "MODIFY";
  readonly keys: TransactionKey;
  readonly oldImage?: Item;
  readonly newImage: Item;
}

export interface MemoryTable {
  get(key: TransactionKey): Item | undefined;
  /** Inserts unless the key exists (`attribute_not_exists`); returns the existing item otherwise. */
  putIfAbsent(item: Item): { created: true } | { created: false; existing: Item };
  /**
   * Inserts all `items` if none of their keys exists, else none; `existing` lists, per item, the
   * stored one whose key it shares (`undefined` for a free key), like TransactWriteItems' ALL_OLD.
   */
  putAllIfAbsent(
    items: readonly Item[],
  ): { created: true } | { created: false; existing: (Item | undefined)[] };
  /**
   * Replaces an existing item with `change(item)` (`item` is a copy); `undefined` from `change`
   * means "no write". True when it wrote.
   */
  update(key: TransactionKey, change: (item: Item) => Item | undefined): boolean;
  /** Items of the account index with `since <= timestamp <= until`, most recent first. */
  queryAccount(accountId: string, since: number, until: number, limit: number): Item[];
  /** The stored transactions (id guards left out). */
  scan(): Item[];
  /** Number of stored transactions (id guards left out). */
  size(): number;
  /**
   * Calls `listener` with every write, synchronously. Its images are the table's own: read them
   * (or copy them) while the call lasts, never change them.
   */
  onChange(listener: (change: TableChange) => void): void;
  /**
   * Resolves once every write made so far is durable (at once without a journal); rejects when
   * the journal failed. Writes are visible at once; answer nothing about them before this.
   */
  durable(): Promise<void>;
}

interface IndexEntry {
  readonly timestamp: number;
  readonly key: string;
}

function keyOf(key: TransactionKey): string {
  return `${key.transaction_id}#${key.timestamp}`;
}

function keysOf(item: Item): TransactionKey {
  return { transaction_id: String(item.transaction_id), timestamp: Number(item.timestamp) };
}

/**
 * A deep copy of an item. Items are JSON data (the journal stores them as JSON lines): objects,
 * arrays and primitives, which this copies several times faster than `structuredClone`, whose
 * copies were the table's largest cost under load.
 */
function copyItem<T>(value: T): T {
  if (typeof value !== "object" || value === null) return value;
  if (Array.isArray(value)) return value.map(copyItem) as T;
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(value)) copy[key] = copyItem((value as Record<string, unknown>)[key]);
  return copy as T;
}

/** Index of the first entry with timestamp > `timestamp` (entries sorted ascending). */
function upperBound(entries: readonly IndexEntry[], timestamp: number): number {
  let lo = 0;
  let hi = entries.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (entries[mid].timestamp <= timestamp) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Builds the table, loading what the journal recovered.
 *
 * @example
 * const table = makeMemoryTable();
 * table.putIfAbsent({ transaction_id: "t1", timestamp: 1, account_id: "a1" }); // { created: true }
 */
function makeMemoryTable(options: { journal?: Journal } = {}): MemoryTable {
  const items = new Map<string, Item>();
  const byAccount = new Map<string, IndexEntry[]>();
  const listeners: ((change: TableChange) => void)[] = [];

  const index = (item: Item, key: string) => {
    // Sparse, like a DynamoDB index: an item without the index key (an id guard) is not in it.
    if (item.account_id === undefined) return;
    const account = String(item.account_id);
    const entries = byAccount.get(account) ?? [];
    const timestamp = Number(item.timestamp);
    entries.splice(upperBound(entries, timestamp), 0, { timestamp, key });
    byAccount.set(account, entries);
  };

  const write = (key: string, item: Item, eventName: TableChange["eventName"], oldImage?: Item) => {
    const image = copyItem(item);
    options.journal?.append(image);
    items.set(key, image);
    if (oldImage === undefined) index(image, key);
    // Stored images are replaced, never changed in place, so listeners can read them uncopied:
    // two copies per write were a tenth of the runner's time under load.
    for (const listener of listeners) listener({ eventName, keys: keysOf(image), oldImage, newImage: image });
  };

  for (const item of options.journal?.recovered ?? []) {
    const key = keyOf(keysOf(item));
    items.set(key, item);
    index(item, key);
  }

  return {
    get: (key) => {
      const item = items.get(keyOf(key));
      return item && copyItem(item);
    },
    putIfAbsent(item) {
      const key = keyOf(keysOf(item));
      const existing = items.get(key);
      if (existing !== undefined) return { created: false, existing: copyItem(existing) };
      write(key, item, "INSERT");
      return { created: true };
    },
    putAllIfAbsent(batch) {
      const keys = batch.map((item) => keyOf(keysOf(item)));
      const existing = keys.map((key) => items.get(key));
      if (existing.some((item) => item !== undefined)) {
        return { created: false, existing: existing.map((item) => item && copyItem(item)) };
      }
      for (const [i, item] of batch.entries()) write(keys[i], item, "INSERT");
      return { created: true };
    },
    update(key, change) {
      const existing = items.get(keyOf(key));
      if (existing === undefined) return false;
      const next = change(copyItem(existing));
      if (next === undefined) return false;
      write(keyOf(key), next, "MODIFY", existing);
      return true;
    },
    queryAccount(accountId, since, until, limit) {
      const entries = byAccount.get(accountId) ?? [];
      const out: Item[] = [];
      for (let i = upperBound(entries, until) - 1; i >= 0 && out.length < limit; i--) {
        if (entries[i].timestamp < since) break;
        out.push(copyItem(items.get(entries[i].key)!));
      }
      return out;
    },
    scan: () => [...items.values()].filter((item) => !isIdGuard(item)).map((item) => copyItem(item)),
    size: () => [...items.values()].filter((item) => !isIdGuard(item)).length,
    onChange: (listener) => {
      listeners.push(listener);
    },
    durable: () => options.journal?.durable() ?? Promise.resolve(),
  };
}

export { keyOf, makeMemoryTable };
