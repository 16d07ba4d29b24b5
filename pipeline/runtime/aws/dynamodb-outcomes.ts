/**
 * OutcomeStore (AWS SDK v3): the outcome goes onto the transaction item and, for a first fraud, one
 * fraud into the merchant's bucket of the receive day, both in one DynamoDB transaction.
 */
import {
  type AttributeValue,
  GetItemCommand,
  type GetItemCommandOutput,
  TransactWriteItemsCommand,
  type Update,
} from "@aws-sdk/client-dynamodb";
import { marshall, unmarshall } from "@aws-sdk/util-dynamodb";
import {
  OUTCOME_ATTRIBUTES,
  OUTCOME_RESULTS,
  OUTCOMES,
  type Outcome,
  type OutcomeResult,
} from "../contract/outcome";
import { dayOf } from "../detect/merchant-risk";
import type { OutcomeStore } from "../ports";
import type { DynamoTableOptions } from "./dynamodb";
import { isTransactionCanceled, storageError, transientCancellation } from "./dynamodb-errors";
import { bucketExpression, planBucketUpdates } from "./dynamodb-merchant-risk";
import { OUTCOME_NAMES } from "./update-access";

/** The transactions table plus the merchant-risk table a fraud is counted in. */
interface DynamoOutcomeStoreOptions extends DynamoTableOptions {
  readonly merchantRiskTableName: string;
}

/** What the stored item already says, or `undefined` when the outcome is still to be written. */
function classify(item: Record<string, unknown> | undefined, outcome: Outcome): OutcomeResult | undefined {
  if (item === undefined) return OUTCOME_RESULTS.notFound;
  const recorded: unknown = item[OUTCOME_ATTRIBUTES.outcome];
  if (recorded === undefined) return undefined;
  return recorded === outcome.outcome ? OUTCOME_RESULTS.duplicate : OUTCOME_RESULTS.conflict;
}

function transactionKey(outcome: Outcome): Record<string, AttributeValue> {
  return marshall({ transaction_id: outcome.transaction_id, timestamp: outcome.timestamp });
}

/** SET the outcome attributes, only on an existing item without one, of the merchant counted. */
function outcomeUpdate(tableName: string, outcome: Outcome, receivedAt: number, merchantId: string): Update {
  const reported = outcome.reported_at !== undefined;
  const { "#reportedAt": reportedAt, ...alwaysNamed } = OUTCOME_NAMES;
  return {
    TableName: tableName,
    Key: transactionKey(outcome),
    UpdateExpression: `SET #outcome = :outcome, #source = :source, #receivedAt = :receivedAt${reported ? ", #reportedAt = :reportedAt" : ""}`,
    ConditionExpression:
      "attribute_exists(transaction_id) AND attribute_not_exists(#outcome) AND #merchant = :merchant",
    ExpressionAttributeNames: { ...alwaysNamed, ...(reported && { "#reportedAt": reportedAt }) },
    ExpressionAttributeValues: marshall({
      ":outcome": outcome.outcome,
      ":source": outcome.source,
      ":receivedAt": receivedAt,
      ...(reported && { ":reportedAt": outcome.reported_at }),
      ":merchant": merchantId,
    }),
  };
}

/** One fraud in the merchant's bucket of the receive day, by the shared bucket rules. */
function fraudUpdate(tableName: string, merchantId: string, receivedAt: number): Update {
  const [update] = planBucketUpdates(
    [{ merchantId, day: dayOf(receivedAt), transactions: 0, frauds: 1 }],
    receivedAt,
  );
  return { TableName: tableName, Key: marshall({ merchant_id: merchantId }), ...bucketExpression(update) };
}

/**
 * OutcomeStore over the transaction item and the merchant-risk table. IAM: `dynamodb:GetItem` and
 * `dynamodb:UpdateItem` on the transactions table, `dynamodb:UpdateItem` on the merchant-risk table
 * (TransactWriteItems is authorised per item action).
 *
 * 1. A consistent GetItem of the transaction: absent is `not-found`; an item that already carries
 *    an outcome is `duplicate` (the same one) or `conflict` (the other), with nothing written.
 * 2. Otherwise one TransactWriteItems: the outcome attributes SET on the item under the condition
 *    that it exists, has no outcome yet and belongs to the merchant just read; and, for `fraud`
 *    only, ADD 1 to the merchant's `fraud_<day of receivedAt>` bucket (with the usual expiry and
 *    stale-bucket removal).
 *
 * Exactly-once fraud counting: the count and the outcome commit together or not at all, and the
 * condition lets only the first outcome of a transaction commit. A client retry, an API Gateway
 * redelivery or a concurrent second request reaches the same transaction item, fails the condition
 * and cancels its ADD with it, so a fraud is counted once however often it is reported; the
 * merchant condition ties the count to the merchant the item names. A cancellation whose first
 * reason is ConditionalCheckFailed means a concurrent writer got there between the read and the
 * write: the item is read again and classified once more.
 *
 * @example
 * const store = makeDynamoOutcomeStore({ client, tableName, merchantRiskTableName });
 * await store.recordOutcome({ transaction_id: "tx-1", timestamp, outcome: "fraud", source: "chargeback" }, Date.now()); // "recorded"
 * @throws StorageThrottledError when DynamoDB throttles or fails transiently (a transaction
 *   conflict included); an Error naming the key when the item has no merchant_id or the write's
 *   condition fails on an item that still carries no outcome.
 */
function makeDynamoOutcomeStore({
  client,
  tableName,
  merchantRiskTableName,
}: DynamoOutcomeStoreOptions): OutcomeStore {
  const describe = (outcome: Outcome) =>
    `Transaction ${outcome.transaction_id} at timestamp ${outcome.timestamp} in table ${tableName}`;

  async function read(outcome: Outcome): Promise<Record<string, unknown> | undefined> {
    let output: GetItemCommandOutput;
    try {
      output = await client.send(
        new GetItemCommand({ TableName: tableName, Key: transactionKey(outcome), ConsistentRead: true }),
      );
    } catch (err) {
      throw storageError(err, "GetItem", tableName);
    }
    return output.Item === undefined ? undefined : unmarshall(output.Item);
  }

  /** Throws the error a cancelled transaction stands for when it is not a concurrent writer's. */
  function unlessRaced(err: unknown): void {
    if (!isTransactionCanceled(err)) throw storageError(err, "TransactWriteItems", tableName);
    if (err.CancellationReasons?.[0]?.Code === "ConditionalCheckFailed") return;
    throw transientCancellation(err, tableName) ?? err;
  }

  return {
    async recordOutcome(outcome, receivedAt) {
      const item = await read(outcome);
      const known = classify(item, outcome);
      if (known !== undefined) return known;
      const merchantId: unknown = item?.merchant_id;
      if (typeof merchantId !== "string") {
        throw new Error(`${describe(outcome)} has no merchant_id; cannot record its outcome`);
      }
      const items = [{ Update: outcomeUpdate(tableName, outcome, receivedAt, merchantId) }];
      if (outcome.outcome === OUTCOMES.fraud) {
        items.push({ Update: fraudUpdate(merchantRiskTableName, merchantId, receivedAt) });
      }
      try {
        await client.send(new TransactWriteItemsCommand({ TransactItems: items }));
        return OUTCOME_RESULTS.recorded;
      } catch (err) {
        unlessRaced(err);
        const again = classify(await read(outcome), outcome);
        if (again !== undefined) return again;
        throw new Error(`${describe(outcome)} failed the outcome condition but carries no outcome`, {
          cause: err,
        });
      }
    },
  };
}

export type { DynamoOutcomeStoreOptions };
export { makeDynamoOutcomeStore };
