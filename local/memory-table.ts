/**
 * The embedded `transactions` table: items keyed like DynamoDB (pk `transaction_id`, sk
 * `timestamp`), conditional inserts (one item, or several all-or-nothing like TransactWriteItems),
 * read-modify-write updates, the sparse account index (`account_id` + `timestamp`, items without
 * an account are not in it) and a change listener that the change feed turns into stream records.
 * Writes go through an optional journal (appended before they become visible, durable once
 * `durable()` resolves). Id guards (see `ID_GUARD`) are
 * stored, journaled and streamed like any item, but `scan` and `size` count transactions only.
 *
 * Stored images are deeply frozen and replaced, never changed: reads hand them out uncopied (a
 * reader that tries to change one gets a TypeError), which saved a copy per history item, per
 * verdict and per claim under load.
 */
import { isIdGuard } from "../pipeline/runtime/contract/item";
import type { TransactionKey } from "../pipeline/runtime/contract/transaction";
import type { Item, Journal } from "./journal";

/** One change, as the stream would see it. */
export interface TableChange {
  readonly eventName: "INSERT" | "MODIFY";
  readonly keys: TransactionKey;
  readonly oldImage?: StoredItem;
  readonly newImage: StoredItem;
}

/** A stored image: deeply frozen. */
export type StoredItem = Readonly<Item>;

export interface MemoryTable {
  get(key: TransactionKey): StoredItem | undefined;
  /**
   * Inserts (a frozen copy of `item`) unless the key exists (`attribute_not_exists`); returns the
   * existing item otherwise.
   */
  putIfAbsent(item: Item): { created: true } | { created: false; existing: StoredItem };
  /**
   * Inserts all `items` if none of their keys exists, else none; `existing` lists, per item, the
   * stored one whose key it shares (`undefined` for a free key), like TransactWriteItems' ALL_OLD.
   */
  putAllIfAbsent(
    items: readonly Item[],
  ): { created: true } | { created: false; existing: (StoredItem | undefined)[] };
  /**
   * Replaces an existing item with `change(item)`, `item` being the stored (frozen) image;
   * `undefined` from `change` means "no write". What `change` returns is stored as it is, frozen:
   * a new object, whose values nobody else changes afterwards. True when it wrote.
   */
  update(key: TransactionKey, change: (item: StoredItem) => Item | undefined): boolean;
  /** Items of the account index with `since <= timestamp <= until`, most recent first. */
  queryAccount(accountId: string, since: number, until: number, limit: number): StoredItem[];
  /** The stored transactions (id guards left out). */
  scan(): StoredItem[];
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

/**
 * Where one key's image lives: replaced in place by an update, so the account index (which holds
 * slots, not keys) never looks an item up again.
 */
interface Slot {
  readonly timestamp: number;
  image: StoredItem;
}

function keyOf(key: TransactionKey): string {
  return `${key.transaction_id}#${key.timestamp}`;
}

function keysOf(item: Item): TransactionKey {
  return { transaction_id: String(item.transaction_id), timestamp: Number(item.timestamp) };
}

/**
 * A deeply frozen copy of an item. Items are JSON data (the journal stores them as JSON lines):
 * objects, arrays and primitives, which this copies several times faster than `structuredClone`.
 */
function frozenCopy<T>(value: T): T {
  if (typeof value !== "object" || value === null) return value;
  if (Array.isArray(value)) return Object.freeze(value.map(frozenCopy)) as T;
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(value)) copy[key] = frozenCopy((value as Record<string, unknown>)[key]);
  return Object.freeze(copy) as T;
}

/** Freezes `value` and everything in it, in place; what is frozen already is left as it is. */
function deepFreeze<T>(value: T): T {
  if (typeof value !== "object" || value === null || Object.isFrozen(value)) return value;
  for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key]);
  return Object.freeze(value);
}

/** Index of the first entry with timestamp > `timestamp` (entries sorted ascending). */
function upperBound(entries: readonly Slot[], timestamp: number): number {
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
  // Slots by transaction_id (an item and its id guard share one), then by timestamp; `stored`
  // keeps them in insertion order for scans.
  const rows = new Map<string, Slot[]>();
  const stored: Slot[] = [];
  let transactions = 0;
  const byAccount = new Map<string, Slot[]>();
  const listeners: ((change: TableChange) => void)[] = [];

  const slotIn = (row: readonly Slot[] | undefined, timestamp: number): Slot | undefined => {
    if (row !== undefined) for (const slot of row) if (slot.timestamp === timestamp) return slot;
    return undefined;
  };

  const slotOf = (key: TransactionKey): Slot | undefined =>
    slotIn(rows.get(key.transaction_id), key.timestamp);

  /** Adds a slot to `row` (the key's row, `undefined` when it has none yet); returns the row. */
  const insert = (key: TransactionKey, image: StoredItem, row: Slot[] | undefined): Slot[] => {
    const slot: Slot = { timestamp: key.timestamp, image };
    const slots = row ?? [];
    if (row === undefined) rows.set(key.transaction_id, slots);
    slots.push(slot);
    stored.push(slot);
    if (!isIdGuard(image)) transactions += 1;
    // Sparse, like a DynamoDB index: an item without the index key (an id guard) is not in it.
    if (image.account_id !== undefined) {
      const account = String(image.account_id);
      const entries = byAccount.get(account);
      if (entries === undefined) byAccount.set(account, [slot]);
      else entries.splice(upperBound(entries, slot.timestamp), 0, slot);
    }
    return slots;
  };

  const notify = (
    key: TransactionKey,
    eventName: TableChange["eventName"],
    image: StoredItem,
    old?: StoredItem,
  ) => {
    for (const listener of listeners) listener({ eventName, keys: key, oldImage: old, newImage: image });
  };

  const put = (key: TransactionKey, item: Item, row: Slot[] | undefined): Slot[] => {
    const image = frozenCopy(item);
    options.journal?.append(image);
    const slots = insert(key, image, row);
    notify(key, "INSERT", image);
    return slots;
  };

  for (const item of options.journal?.recovered ?? []) {
    const key = keysOf(item);
    insert(key, deepFreeze(item), rows.get(key.transaction_id));
  }

  return {
    get: (key) => slotOf(key)?.image,
    putIfAbsent(item) {
      const key = keysOf(item);
      const row = rows.get(key.transaction_id);
      const existing = slotIn(row, key.timestamp);
      if (existing !== undefined) return { created: false, existing: existing.image };
      put(key, item, row);
      return { created: true };
    },
    putAllIfAbsent(batch) {
      const keys = batch.map(keysOf);
      // An item and its id guard share a transaction_id: one lookup of their row serves both.
      let id: string | undefined;
      let row: Slot[] | undefined;
      const rowFor = (key: TransactionKey) => {
        if (key.transaction_id !== id) {
          id = key.transaction_id;
          row = rows.get(id);
        }
        return row;
      };
      const existing = keys.map((key) => slotIn(rowFor(key), key.timestamp)?.image);
      if (existing.some((item) => item !== undefined)) return { created: false, existing };
      for (const [i, item] of batch.entries()) row = put(keys[i], item, rowFor(keys[i]));
      return { created: true };
    },
    update(key, change) {
      const slot = slotOf(key);
      if (slot === undefined) return false;
      const next = change(slot.image);
      if (next === undefined) return false;
      const image = deepFreeze(next);
      options.journal?.append(image);
      const old = slot.image;
      slot.image = image;
      notify(keysOf(image), "MODIFY", image, old);
      return true;
    },
    queryAccount(accountId, since, until, limit) {
      const entries = byAccount.get(accountId) ?? [];
      const out: StoredItem[] = [];
      for (let i = upperBound(entries, until) - 1; i >= 0 && out.length < limit; i--) {
        if (entries[i].timestamp < since) break;
        out.push(entries[i].image);
      }
      return out;
    },
    scan: () => stored.filter((slot) => !isIdGuard(slot.image)).map((slot) => slot.image),
    size: () => transactions,
    onChange: (listener) => {
      listeners.push(listener);
    },
    durable: () => options.journal?.durable() ?? Promise.resolve(),
  };
}

export { keyOf, makeMemoryTable };
