/**
 * NotificationLedger on the transaction item (AWS SDK v3): SQS delivers at least once, so
 * notify-team claims a time-limited lease with a conditional update, publishes, then confirms
 * (`notified_at`) or releases the lease. A crashed notifier's lease simply expires.
 */
import { UpdateItemCommand, type UpdateItemCommandInput } from "@aws-sdk/client-dynamodb";
import { marshall, unmarshall } from "@aws-sdk/util-dynamodb";
import { ITEM_ATTRIBUTES } from "../contract/item";
import type { TransactionKey } from "../contract/transaction";
import { CLAIM_OUTCOMES, type NotificationLedger } from "../ports";
import type { DynamoTableOptions } from "./dynamodb";
import { isConditionalCheckFailed, storageError } from "./dynamodb-errors";
import { LEDGER_NAMES } from "./update-access";

const CLAIM_CONDITION =
  "attribute_exists(transaction_id) AND attribute_not_exists(#notified) " +
  "AND (attribute_not_exists(#lease) OR #lease < :now)";

function keyOf(key: TransactionKey) {
  return marshall({ transaction_id: key.transaction_id, timestamp: key.timestamp });
}

/**
 * NotificationLedger over conditional UpdateItem calls on the transaction's own item; it never
 * creates an item. IAM: `dynamodb:UpdateItem` on the table.
 *
 * - `claim` sets `notify_lease_until = now + leaseMs` when the item exists, is not notified and
 *   holds no live lease. On a failed condition, the old item (ALL_OLD) tells `already-notified`
 *   from `in-progress`.
 * - `confirm` sets `notified_at` and removes the lease; `release` removes the lease. Both are
 *   no-ops when the item has disappeared.
 *
 * @example
 * const ledger = makeDynamoNotificationLedger({ client: new DynamoDBClient({}), tableName });
 * if ((await ledger.claim(key, Date.now(), 120_000)) === "claimed") { await publish(); await ledger.confirm(key, Date.now()); }
 * @throws StorageThrottledError when DynamoDB throttles or fails transiently; an Error naming the
 *   key and table when `claim` finds no such transaction (the message is retried, then dead-lettered).
 */
function makeDynamoNotificationLedger({ client, tableName }: DynamoTableOptions): NotificationLedger {
  async function update(input: Omit<UpdateItemCommandInput, "TableName">): Promise<void> {
    try {
      await client.send(new UpdateItemCommand({ TableName: tableName, ...input }));
    } catch (err) {
      throw storageError(err, "UpdateItem", tableName);
    }
  }

  async function tolerateMissingItem(input: Omit<UpdateItemCommandInput, "TableName">): Promise<void> {
    try {
      await update(input);
    } catch (err) {
      if (!isConditionalCheckFailed(err)) throw err;
    }
  }

  return {
    async claim(key, now, leaseMs) {
      try {
        await update({
          Key: keyOf(key),
          UpdateExpression: "SET #lease = :leaseUntil",
          ConditionExpression: CLAIM_CONDITION,
          ExpressionAttributeNames: LEDGER_NAMES,
          ExpressionAttributeValues: marshall({ ":leaseUntil": now + leaseMs, ":now": now }),
          ReturnValuesOnConditionCheckFailure: "ALL_OLD",
        });
        return CLAIM_OUTCOMES.claimed;
      } catch (err) {
        if (!isConditionalCheckFailed(err)) throw err;
        if (err.Item === undefined) {
          throw new Error(
            `Transaction ${key.transaction_id} at timestamp ${key.timestamp} is not in table ${tableName}; ` +
              "cannot claim its notification",
            { cause: err },
          );
        }
        const old = unmarshall(err.Item);
        return old[ITEM_ATTRIBUTES.notifiedAt] !== undefined
          ? CLAIM_OUTCOMES.alreadyNotified
          : CLAIM_OUTCOMES.inProgress;
      }
    },

    async confirm(key, now) {
      await tolerateMissingItem({
        Key: keyOf(key),
        UpdateExpression: "SET #notified = :now REMOVE #lease",
        ConditionExpression: "attribute_exists(transaction_id)",
        ExpressionAttributeNames: LEDGER_NAMES,
        ExpressionAttributeValues: marshall({ ":now": now }),
      });
    },

    async release(key) {
      await tolerateMissingItem({
        Key: keyOf(key),
        UpdateExpression: "REMOVE #lease",
        ConditionExpression: "attribute_exists(transaction_id)",
        ExpressionAttributeNames: { "#lease": LEDGER_NAMES["#lease"] },
      });
    },
  };
}

export { makeDynamoNotificationLedger };
