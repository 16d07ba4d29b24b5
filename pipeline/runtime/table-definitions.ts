/**
 * The tables' shapes as plain data: keys, attribute types, indexes, stream settings and the stream
 * mapping's filter. One source for the Pulumi tables (pipeline/infra/storage.ts), the event source
 * mapping (pipeline/infra/triggers.ts), and the tables the local runner and the DynamoDB Local
 * tests create (local/dynamodb-tables.ts), so none of them can drift from the stack.
 */
import { ACCOUNT_INDEX } from "./contract/item";
import { MERCHANT_RISK_ATTRIBUTES } from "./detect/merchant-risk";

/** A key attribute and its DynamoDB type (string or number). */
export interface KeyAttribute {
  readonly name: string;
  readonly type: "S" | "N";
}

/** A global secondary index on `hashKey` (+ `rangeKey`), projecting every attribute. */
export interface IndexDefinition {
  readonly name: string;
  readonly hashKey: string;
  readonly rangeKey?: string;
  readonly projectionType: "ALL";
}

/** What the stack and every local copy of a table agree on. */
export interface TableDefinition {
  readonly hashKey: string;
  readonly rangeKey?: string;
  /** Every attribute used as a table or index key, with its type. */
  readonly attributes: readonly KeyAttribute[];
  readonly globalSecondaryIndexes: readonly IndexDefinition[];
  /** The stream's view type; absent when the table has no stream. */
  readonly streamViewType?: "NEW_AND_OLD_IMAGES";
  /** The DynamoDB TTL attribute (epoch seconds), if items expire. */
  readonly ttlAttribute?: string;
}

/** The transactions table: keyed by transaction id and event time, streamed, with the account index. */
export const TRANSACTION_TABLE: TableDefinition = {
  hashKey: "transaction_id",
  rangeKey: "timestamp",
  attributes: [
    { name: "transaction_id", type: "S" },
    { name: "timestamp", type: "N" },
    { name: "account_id", type: "S" },
  ],
  globalSecondaryIndexes: [
    { name: ACCOUNT_INDEX, hashKey: "account_id", rangeKey: "timestamp", projectionType: "ALL" },
  ],
  streamViewType: "NEW_AND_OLD_IMAGES",
};

/** The merchant-risk table: one item per merchant, expiring through TTL, no stream. */
export const MERCHANT_RISK_TABLE: TableDefinition = {
  hashKey: MERCHANT_RISK_ATTRIBUTES.merchantId,
  attributes: [{ name: MERCHANT_RISK_ATTRIBUTES.merchantId, type: "S" }],
  globalSecondaryIndexes: [],
  ttlAttribute: MERCHANT_RISK_ATTRIBUTES.expiresAt,
};

/**
 * Lambda event filter of the transactions stream: only inserts of transactions. A verdict
 * write-back (MODIFY) must not re-trigger detection, and an id guard (an INSERT without
 * `account_id`, see `ID_GUARD`) is not a transaction.
 */
export const TRANSACTION_STREAM_FILTER = {
  eventName: ["INSERT"],
  dynamodb: { NewImage: { account_id: { S: [{ exists: true }] } } },
} as const;
