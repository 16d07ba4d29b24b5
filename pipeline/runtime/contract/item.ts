/**
 * How a transaction is stored in the table: the contract's fields as top-level attributes, plus
 * bookkeeping attributes written by the pipeline. One place, so the process writer, the stream
 * reader, the verdict writer and the notification ledger agree on attribute names.
 */
import { LIMITS, type Transaction } from "./transaction";

/** Attribute names the pipeline adds to an item. */
export const ITEM_ATTRIBUTES = {
  receivedAt: "received_at",
  verdict: "verdict",
  score: "fraud_score",
  rules: "fraud_rules",
  reasons: "fraud_reasons",
  verdictAt: "verdict_at",
  notifiedAt: "notified_at",
  notifyLeaseUntil: "notify_lease_until",
} as const;

/**
 * The id guard: one item per transaction id, written in the same DynamoDB transaction as the
 * transaction's item, so a second transaction with a known id (a client retry that re-stamped its
 * timestamp) fails its condition instead of being stored. The table's key stays transaction_id +
 * timestamp; the guard uses the same id and this timestamp, which the contract can never produce
 * (`LIMITS.timestampMin` is 0 and timestamps are integers), so it never collides with a real
 * transaction and no request can address it by key. It carries no `account_id`: the account
 * index is sparse, so the guard is not in it, and the stream filter requires an `account_id`, so
 * it never reaches detect-fraud.
 */
export const ID_GUARD = {
  timestamp: LIMITS.timestampMin - 1,
  /** The timestamp of the transaction that holds the id. */
  guardedTimestamp: "guarded_timestamp",
} as const;

/** Name of the global secondary index on `account_id` + `timestamp`. */
export const ACCOUNT_INDEX = "account-timestamp-index";

const CONTRACT_FIELDS = [
  "transaction_id",
  "account_id",
  "amount",
  "currency",
  "timestamp",
  "merchant_id",
  "merchant_category",
  "channel",
  "location",
  "country",
] as const;

/**
 * The item written by process-transaction for an accepted transaction.
 *
 * @example
 * const item = toItem(tx, Date.now()); // { ...tx, received_at: 1764081000000 }
 */
function toItem(tx: Transaction, receivedAt: number): Record<string, unknown> {
  return { ...tx, [ITEM_ATTRIBUTES.receivedAt]: receivedAt };
}

/**
 * The guard item that reserves `tx.transaction_id` for the transaction at `tx.timestamp`.
 *
 * @example
 * idGuardItem(tx, Date.now()); // { transaction_id: "tx-1", timestamp: -1, guarded_timestamp: 1764072000000, received_at: ... }
 */
function idGuardItem(tx: Transaction, receivedAt: number): Record<string, unknown> {
  return {
    transaction_id: tx.transaction_id,
    timestamp: ID_GUARD.timestamp,
    [ID_GUARD.guardedTimestamp]: tx.timestamp,
    [ITEM_ATTRIBUTES.receivedAt]: receivedAt,
  };
}

/**
 * True for an id guard item (see {@link ID_GUARD}): what a reader of whole items (a scan, a
 * journal replay) leaves out, since it is bookkeeping, not a transaction.
 *
 * @example
 * table.scan().filter((item) => !isIdGuard(item));
 */
function isIdGuard(item: Record<string, unknown>): boolean {
  return Number(item.timestamp) === ID_GUARD.timestamp;
}

/**
 * The contract's fields of a stored (unmarshalled) item, without bookkeeping attributes.
 * The result is not validated: decode it with the codec before trusting it.
 *
 * @example
 * const candidate = contractFields(unmarshall(record.dynamodb.NewImage));
 */
function contractFields(item: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const field of CONTRACT_FIELDS) {
    if (item[field] !== undefined) out[field] = item[field];
  }
  return out;
}

/** JSON text with object keys sorted, so two items compare equal whatever their key order. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`);
    return `{${entries.join(",")}}`;
  }
  return JSON.stringify(value);
}

/**
 * True when two (unmarshalled) items carry the same contract fields: what tells an exact retry
 * (`duplicate`) from a different transaction under the same key (`conflict`). Bookkeeping
 * attributes and key order do not count.
 *
 * @example
 * sameContractFields(storedItem, { ...tx }); // true for an exact retry
 */
function sameContractFields(a: Record<string, unknown>, b: Record<string, unknown>): boolean {
  return canonicalJson(contractFields(a)) === canonicalJson(contractFields(b));
}

export { CONTRACT_FIELDS, contractFields, idGuardItem, isIdGuard, sameContractFields, toItem };
