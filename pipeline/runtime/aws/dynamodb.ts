/**
 * DynamoDB adapters (AWS SDK v3) for the transaction table: the guarded insert of
 * process-transaction, and the account history query and verdict write-back of detect-fraud.
 * The notification ledger lives in dynamodb-ledger.ts. One maker per port, so each function's
 * IAM policy grants exactly the actions of the makers it uses.
 */
import {
  type AttributeValue,
  type DynamoDBClient,
  QueryCommand,
  type QueryCommandOutput,
  TransactWriteItemsCommand,
  UpdateItemCommand,
} from "@aws-sdk/client-dynamodb";
import { marshall, unmarshall } from "@aws-sdk/util-dynamodb";
import {
  ACCOUNT_INDEX,
  contractFields,
  ITEM_ATTRIBUTES,
  idGuardItem,
  sameContractFields,
  toItem,
} from "../contract/item";
import type { Transaction, TransactionKey, Verdict } from "../contract/transaction";
import {
  type AccountHistory,
  PUT_OUTCOMES,
  type PutOutcome,
  type TransactionStore,
  type VerdictStore,
} from "../ports";
import {
  isConditionalCheckFailed,
  isTransactionCanceled,
  storageError,
  transientCancellation,
} from "./dynamodb-errors";
import { VERDICT_NAMES } from "./update-access";

/** What every DynamoDB maker needs: an injectable client and the table's physical name. */
interface DynamoTableOptions {
  readonly client: DynamoDBClient;
  readonly tableName: string;
}

/** The history query also needs the account index; it defaults to {@link ACCOUNT_INDEX}. */
interface DynamoHistoryOptions extends DynamoTableOptions {
  readonly indexName?: string;
}

/** Smallest non-zero magnitude of a DynamoDB number (range 1e-130 .. 9.99e125, or 0). */
const DYNAMODB_MIN_MAGNITUDE = 1e-130;

/**
 * `value` with every number closer to zero than DynamoDB can hold replaced by 0. The contract
 * accepts e.g. a latitude of 1e-200 (it is within -90..90), but PutItem rejects it with a
 * ValidationException (number underflow), which would answer a valid body with a 500. Amounts and
 * timestamps are integers, so in practice only coordinates change, by less than 1e-130 degrees.
 */
function storable(value: unknown): unknown {
  if (typeof value === "number") return value !== 0 && Math.abs(value) < DYNAMODB_MIN_MAGNITUDE ? 0 : value;
  if (Array.isArray(value)) return value.map(storable);
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([key, entry]) => [key, storable(entry)]));
  }
  return value;
}

/** `duplicate` when the stored item carries the same contract fields as `tx`, else `conflict`. */
function compareWithStored(tx: Transaction, stored: Record<string, AttributeValue> | undefined): PutOutcome {
  // ALL_OLD always returns the item that failed the condition; without it we cannot prove an
  // exact retry, and answering `conflict` never hides a different transaction behind a 200.
  if (stored === undefined) return PUT_OUTCOMES.conflict;
  const sent = storable({ ...tx }) as Record<string, unknown>;
  return sameContractFields(unmarshall(stored), sent) ? PUT_OUTCOMES.duplicate : PUT_OUTCOMES.conflict;
}

/** A Put of `item` unless its key exists, returning the stored item when the condition fails. */
function putIfAbsent(tableName: string, item: Record<string, unknown>) {
  return {
    Put: {
      TableName: tableName,
      Item: marshall(item, { removeUndefinedValues: true }),
      ConditionExpression: "attribute_not_exists(transaction_id)",
      ReturnValuesOnConditionCheckFailure: "ALL_OLD" as const,
    },
  };
}

/**
 * TransactionStore over one TransactWriteItems of two conditional Puts: the transaction's item
 * (key transaction_id + timestamp) and its id guard (see `ID_GUARD`), each only if its key is
 * new. The item's failed condition tells an exact retry from a conflicting one by the old item
 * DynamoDB returns; the guard's alone means the id is stored with another timestamp. IAM:
 * `dynamodb:PutItem` on the table (each Put of a transaction is authorised as a PutItem).
 *
 * @example
 * const store = makeDynamoTransactionStore({ client: new DynamoDBClient({}), tableName });
 * const outcome = await store.putTransaction(tx, Date.now()); // "created" | "duplicate" | "conflict" | "id-taken"
 * @throws StorageThrottledError when DynamoDB throttles, fails transiently, or cancels the write
 *   for a concurrent transaction on the same id.
 */
function makeDynamoTransactionStore({ client, tableName }: DynamoTableOptions): TransactionStore {
  return {
    async putTransaction(tx, receivedAt) {
      const command = new TransactWriteItemsCommand({
        TransactItems: [
          putIfAbsent(tableName, storable(toItem(tx, receivedAt)) as Record<string, unknown>),
          putIfAbsent(tableName, idGuardItem(tx, receivedAt)),
        ],
      });
      try {
        await client.send(command);
        return PUT_OUTCOMES.created;
      } catch (err) {
        if (!isTransactionCanceled(err)) throw storageError(err, "TransactWriteItems", tableName);
        const [itemReason, guardReason] = err.CancellationReasons ?? [];
        if (itemReason?.Code === "ConditionalCheckFailed") return compareWithStored(tx, itemReason.Item);
        if (guardReason?.Code === "ConditionalCheckFailed") return PUT_OUTCOMES.idTaken;
        throw transientCancellation(err, tableName) ?? err;
      }
    },
  };
}

/**
 * AccountHistory over a Query of the account index, newest first, following pages until
 * `limit` items are collected. Items are reduced to their contract fields but not validated:
 * the caller decodes them with the transaction codec before trusting them. The index must
 * project the contract fields (projection ALL). IAM: `dynamodb:Query` on `<table>/index/<index>`.
 *
 * @example
 * const history = makeDynamoAccountHistory({ client, tableName });
 * const recent = await history.recentForAccount("acct-1", now - 86_400_000, now, 50);
 * @throws StorageThrottledError when DynamoDB throttles or fails transiently.
 */
function makeDynamoAccountHistory({
  client,
  tableName,
  indexName = ACCOUNT_INDEX,
}: DynamoHistoryOptions): AccountHistory {
  return {
    async recentForAccount(accountId, since, until, limit) {
      const found: unknown[] = [];
      let startKey: Record<string, AttributeValue> | undefined;
      while (found.length < limit) {
        const command = new QueryCommand({
          TableName: tableName,
          IndexName: indexName,
          KeyConditionExpression: "account_id = :account AND #ts BETWEEN :since AND :until",
          // `timestamp` is a DynamoDB reserved word.
          ExpressionAttributeNames: { "#ts": "timestamp" },
          ExpressionAttributeValues: marshall({ ":account": accountId, ":since": since, ":until": until }),
          ScanIndexForward: false,
          Limit: limit - found.length,
          ExclusiveStartKey: startKey,
        });
        let page: QueryCommandOutput;
        try {
          page = await client.send(command);
        } catch (err) {
          throw storageError(err, "Query", tableName);
        }
        for (const item of page.Items ?? []) found.push(contractFields(unmarshall(item)));
        startKey = page.LastEvaluatedKey;
        if (startKey === undefined) break;
      }
      return found;
    },
  };
}

/**
 * VerdictStore over a conditional UpdateItem that sets the verdict attributes on the existing
 * item and tells whether it is the item's first verdict. It never creates an item: when the
 * transaction no longer exists (deleted since its stream record) it resolves without writing, because retrying could never succeed and a verdict is
 * audit data about an existing item. IAM: `dynamodb:UpdateItem` on the table.
 *
 * @example
 * const verdicts = makeDynamoVerdictStore({ client, tableName });
 * await verdicts.recordVerdict({ transaction_id: "tx-1", timestamp }, verdict);
 * @throws StorageThrottledError when DynamoDB throttles or fails transiently.
 */
function makeDynamoVerdictStore({ client, tableName }: DynamoTableOptions): VerdictStore {
  return {
    async recordVerdict(key: TransactionKey, verdict: Verdict) {
      const command = new UpdateItemCommand({
        TableName: tableName,
        Key: marshall({ transaction_id: key.transaction_id, timestamp: key.timestamp }),
        UpdateExpression:
          "SET #verdict = :verdict, #score = :score, #rules = :rules, #reasons = :reasons, #verdictAt = :verdictAt",
        ConditionExpression: "attribute_exists(transaction_id)",
        // The old verdict time tells a first verdict from a redelivered record's.
        ReturnValues: "UPDATED_OLD",
        ExpressionAttributeNames: VERDICT_NAMES,
        ExpressionAttributeValues: marshall({
          ":verdict": verdict.verdict,
          ":score": verdict.score,
          ":rules": [...verdict.rules],
          ":reasons": [...verdict.reasons],
          ":verdictAt": verdict.decidedAt,
        }),
      });
      try {
        const output = await client.send(command);
        return { first: output.Attributes?.[ITEM_ATTRIBUTES.verdictAt] === undefined };
      } catch (err) {
        if (isConditionalCheckFailed(err)) return { first: false };
        throw storageError(err, "UpdateItem", tableName);
      }
    },
  };
}

export type { DynamoHistoryOptions, DynamoTableOptions };
export { makeDynamoAccountHistory, makeDynamoTransactionStore, makeDynamoVerdictStore };
