/**
 * The runtime ports over the whole AWS SDK v2 (`aws-sdk`: DocumentClient, and the low-level client
 * where the v3 adapter's marshalled expressions are shared), written the way the original brief's
 * package list suggests. Benchmark baseline only: same semantics as the v3 adapters in
 * pipeline/runtime/aws/, so the handlers built on them are the same handlers and the cold-init and
 * archive figures isolate the SDK choice.
 */
import type { AttributeValue } from "@aws-sdk/client-dynamodb";
import { marshall, unmarshall } from "@aws-sdk/util-dynamodb";
import type { DynamoDB, SNS, SQS } from "aws-sdk";
import { isConditionalCheckFailed, storageError } from "../../pipeline/runtime/aws/dynamodb-errors";
import { bucketExpression, planBucketUpdates } from "../../pipeline/runtime/aws/dynamodb-merchant-risk";
import { ACCOUNT_INDEX, contractFields, ITEM_ATTRIBUTES, toItem } from "../../pipeline/runtime/contract/item";
import {
  OUTCOME_ATTRIBUTES,
  OUTCOME_RESULTS,
  OUTCOMES,
  type Outcome,
  type OutcomeResult,
} from "../../pipeline/runtime/contract/outcome";
import type { Transaction } from "../../pipeline/runtime/contract/transaction";
import {
  dayOf,
  expiresAtSeconds,
  fraudsAttribute,
  MERCHANT_RISK_ATTRIBUTES,
  mergeIncrements,
  transactionsAttribute,
} from "../../pipeline/runtime/detect/merchant-risk";
import { ERROR_NAMES, runtimeError } from "../../pipeline/runtime/errors";
import {
  type AccountHistory,
  type AlertQueue,
  CLAIM_OUTCOMES,
  type MerchantRiskReader,
  type MerchantRiskWriter,
  type NotificationLedger,
  type Notifier,
  type OutcomeStore,
  PUT_OUTCOMES,
  type TransactionStore,
  type VerdictStore,
} from "../../pipeline/runtime/ports";

type DocumentClient = DynamoDB.DocumentClient;

/** Keys sorted, so two items compare equal whatever their key order. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const record = value as Record<string, unknown>;
    return `{${Object.keys(record)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonicalJson(record[key])}`)
      .join(",")}}`;
  }
  return JSON.stringify(value);
}

/** Runs a DynamoDB call; a failed condition resolves `false`, throttling becomes StorageThrottledError. */
async function conditional(
  call: () => Promise<unknown>,
  operation: string,
  tableName: string,
): Promise<boolean> {
  try {
    await call();
    return true;
  } catch (err) {
    if (isConditionalCheckFailed(err)) return false;
    throw storageError(err, operation, tableName);
  }
}

/**
 * TransactionStore over a conditional put; on a failed condition a consistent get tells an exact
 * retry (`duplicate`) from a different transaction with the same key (`conflict`).
 *
 * @example
 * const store = makeV2TransactionStore(new DynamoDB.DocumentClient(), "dynamodb-transactions-dev");
 */
function makeV2TransactionStore(doc: DocumentClient, tableName: string): TransactionStore {
  return {
    async putTransaction(tx, receivedAt) {
      const put = () =>
        doc
          .put({
            TableName: tableName,
            Item: toItem(tx, receivedAt),
            ConditionExpression: "attribute_not_exists(transaction_id)",
          })
          .promise();
      if (await conditional(put, "PutItem", tableName)) return PUT_OUTCOMES.created;
      const key = { transaction_id: tx.transaction_id, timestamp: tx.timestamp };
      const stored = await doc.get({ TableName: tableName, Key: key, ConsistentRead: true }).promise();
      const same =
        stored.Item !== undefined &&
        canonicalJson(contractFields(stored.Item)) === canonicalJson(contractFields({ ...tx }));
      return same ? PUT_OUTCOMES.duplicate : PUT_OUTCOMES.conflict;
    },
  };
}

/**
 * AccountHistory over a query of the account index, newest first, one page of at most `limit`.
 *
 * @example
 * const history = makeV2AccountHistory(doc, tableName);
 */
function makeV2AccountHistory(
  doc: DocumentClient,
  tableName: string,
  indexName = ACCOUNT_INDEX,
): AccountHistory {
  return {
    async recentForAccount(accountId, since, until, limit) {
      try {
        const page = await doc
          .query({
            TableName: tableName,
            IndexName: indexName,
            KeyConditionExpression: "account_id = :account AND #ts BETWEEN :since AND :until",
            ExpressionAttributeNames: { "#ts": "timestamp" },
            ExpressionAttributeValues: { ":account": accountId, ":since": since, ":until": until },
            ScanIndexForward: false,
            Limit: limit,
          })
          .promise();
        return (page.Items ?? []).map((item) => contractFields(item) as unknown as Transaction);
      } catch (err) {
        throw storageError(err, "Query", tableName);
      }
    },
  };
}

/**
 * VerdictStore over a conditional update that never creates an item.
 *
 * @example
 * const verdicts = makeV2VerdictStore(doc, tableName);
 */
function makeV2VerdictStore(doc: DocumentClient, tableName: string): VerdictStore {
  return {
    async recordVerdict(key, verdict) {
      let old: Record<string, unknown> | undefined;
      const update = async () => {
        const output = await doc
          .update({
            TableName: tableName,
            Key: { transaction_id: key.transaction_id, timestamp: key.timestamp },
            UpdateExpression:
              "SET #verdict = :verdict, #score = :score, #rules = :rules, #reasons = :reasons, #at = :at",
            ConditionExpression: "attribute_exists(transaction_id)",
            ReturnValues: "UPDATED_OLD",
            ExpressionAttributeNames: {
              "#verdict": ITEM_ATTRIBUTES.verdict,
              "#score": ITEM_ATTRIBUTES.score,
              "#rules": ITEM_ATTRIBUTES.rules,
              "#reasons": ITEM_ATTRIBUTES.reasons,
              "#at": ITEM_ATTRIBUTES.verdictAt,
            },
            ExpressionAttributeValues: {
              ":verdict": verdict.verdict,
              ":score": verdict.score,
              ":rules": [...verdict.rules],
              ":reasons": [...verdict.reasons],
              ":at": verdict.decidedAt,
            },
          })
          .promise();
        old = output.Attributes;
      };
      const written = await conditional(update, "UpdateItem", tableName);
      return { first: written && old?.[ITEM_ATTRIBUTES.verdictAt] === undefined };
    },
  };
}

/**
 * NotificationLedger (lease, confirm, release) over conditional updates of the transaction item.
 *
 * @example
 * const ledger = makeV2NotificationLedger(doc, tableName);
 */
function makeV2NotificationLedger(doc: DocumentClient, tableName: string): NotificationLedger {
  const names = { "#notified": ITEM_ATTRIBUTES.notifiedAt, "#lease": ITEM_ATTRIBUTES.notifyLeaseUntil };
  const keyOf = (key: { transaction_id: string; timestamp: number }) => ({
    transaction_id: key.transaction_id,
    timestamp: key.timestamp,
  });
  return {
    async claim(key, now, leaseMs) {
      const update = () =>
        doc
          .update({
            TableName: tableName,
            Key: keyOf(key),
            UpdateExpression: "SET #lease = :leaseUntil",
            ConditionExpression:
              "attribute_exists(transaction_id) AND attribute_not_exists(#notified) AND (attribute_not_exists(#lease) OR #lease < :now)",
            ExpressionAttributeNames: names,
            ExpressionAttributeValues: { ":leaseUntil": now + leaseMs, ":now": now },
          })
          .promise();
      if (await conditional(update, "UpdateItem", tableName)) return CLAIM_OUTCOMES.claimed;
      const stored = await doc.get({ TableName: tableName, Key: keyOf(key), ConsistentRead: true }).promise();
      if (stored.Item === undefined) {
        throw new Error(
          `Transaction ${key.transaction_id} is not in table ${tableName}; cannot claim its notification`,
        );
      }
      return stored.Item[ITEM_ATTRIBUTES.notifiedAt] !== undefined
        ? CLAIM_OUTCOMES.alreadyNotified
        : CLAIM_OUTCOMES.inProgress;
    },
    async confirm(key, now) {
      const update = () =>
        doc
          .update({
            TableName: tableName,
            Key: keyOf(key),
            UpdateExpression: "SET #notified = :now REMOVE #lease",
            ConditionExpression: "attribute_exists(transaction_id)",
            ExpressionAttributeNames: names,
            ExpressionAttributeValues: { ":now": now },
          })
          .promise();
      await conditional(update, "UpdateItem", tableName);
    },
    async release(key) {
      const update = () =>
        doc
          .update({
            TableName: tableName,
            Key: keyOf(key),
            UpdateExpression: "REMOVE #lease",
            ConditionExpression: "attribute_exists(transaction_id)",
            ExpressionAttributeNames: { "#lease": ITEM_ATTRIBUTES.notifyLeaseUntil },
          })
          .promise();
      await conditional(update, "UpdateItem", tableName);
    },
  };
}

/**
 * AlertQueue over SendMessageBatch, 10 entries per call, resolving with the entries not sent and
 * rejecting (the SDK's error as the cause) when a call is refused.
 *
 * @example
 * const alerts = makeV2AlertQueue(new SQS(), queueUrl);
 */
function makeV2AlertQueue(sqs: SQS, queueUrl: string): AlertQueue {
  return {
    async sendAlerts(alerts) {
      const chunks = [];
      for (let start = 0; start < alerts.length; start += 10) chunks.push(alerts.slice(start, start + 10));
      const settled = await Promise.allSettled(
        chunks.map(async (chunk) => {
          const entries = chunk.map((alert, i) => ({ Id: `m${i}`, MessageBody: JSON.stringify(alert) }));
          const result = await sqs.sendMessageBatch({ QueueUrl: queueUrl, Entries: entries }).promise();
          const sent = new Set(result.Successful.map((entry) => entry.Id));
          const codes = new Map(result.Failed.map((entry) => [entry.Id, entry.Code]));
          return chunk
            .map((alert, i) => ({ alert, id: `m${i}` }))
            .filter(({ id }) => !sent.has(id))
            .map(({ alert, id }) => ({
              transactionId: alert.transaction_id,
              code: codes.get(id) ?? "NotReported",
            }));
        }),
      );
      const refused = settled.find((result) => result.status === "rejected");
      if (refused !== undefined) {
        throw new Error(`SQS sendMessageBatch refused a call to ${queueUrl}`, { cause: refused.reason });
      }
      const failed = settled.map((result) => (result.status === "fulfilled" ? result.value : []));
      return { failed: failed.flat() };
    },
  };
}

/**
 * Notifier over SNS Publish.
 *
 * @example
 * const notifier = makeV2Notifier(new SNS(), topicArn);
 */
function makeV2Notifier(sns: SNS, topicArn: string): Notifier {
  return {
    async publish(notification) {
      await sns
        .publish({ TopicArn: topicArn, Subject: notification.subject, Message: notification.body })
        .promise();
    },
  };
}

/**
 * MerchantRiskReader over one BatchGet of the batch's merchants (unprocessed keys are retried by
 * the caller's stream retry, as a baseline need not do better).
 *
 * @example
 * const profiles = makeV2MerchantRiskReader(doc, merchantTable);
 */
function makeV2MerchantRiskReader(doc: DocumentClient, tableName: string): MerchantRiskReader {
  return {
    async profiles(merchantIds) {
      const found = new Map<string, unknown>();
      if (merchantIds.length === 0) return found;
      const keys = merchantIds.map((id) => ({ [MERCHANT_RISK_ATTRIBUTES.merchantId]: id }));
      const output = await doc.batchGet({ RequestItems: { [tableName]: { Keys: keys } } }).promise();
      for (const item of output.Responses?.[tableName] ?? []) {
        found.set(String(item[MERCHANT_RISK_ATTRIBUTES.merchantId]), item);
      }
      return found;
    },
  };
}

/**
 * MerchantRiskWriter: one ADD update per merchant and day.
 *
 * @example
 * const counts = makeV2MerchantRiskWriter(doc, merchantTable);
 */
function makeV2MerchantRiskWriter(doc: DocumentClient, tableName: string): MerchantRiskWriter {
  return {
    async addToBuckets(increments, now) {
      for (const inc of mergeIncrements(increments)) {
        await doc
          .update({
            TableName: tableName,
            Key: { [MERCHANT_RISK_ATTRIBUTES.merchantId]: inc.merchantId },
            UpdateExpression: "ADD #tx :tx, #fraud :fraud SET #expires = :expires",
            ExpressionAttributeNames: {
              "#tx": transactionsAttribute(inc.day),
              "#fraud": fraudsAttribute(inc.day),
              "#expires": MERCHANT_RISK_ATTRIBUTES.expiresAt,
            },
            ExpressionAttributeValues: {
              ":tx": inc.transactions,
              ":fraud": inc.frauds,
              ":expires": expiresAtSeconds(now),
            },
          })
          .promise();
      }
    },
  };
}

/** Cancellation reasons that mean "try again later", as the v3 outcome store reads them. */
const TRANSIENT_CANCELLATION_CODES: readonly string[] = [
  "TransactionConflict",
  "ThrottlingError",
  "ProvisionedThroughputExceeded",
];

/**
 * OutcomeStore over the low-level v2 client, with the semantics of the v3 store
 * (pipeline/runtime/aws/dynamodb-outcomes.ts): a consistent `getItem` classifies the transaction
 * (absent: not-found; an outcome already on it: duplicate or conflict); otherwise one
 * `transactWriteItems` SETs the outcome on the item (conditioned on it existing, carrying no
 * outcome and naming the merchant just read) and, for a fraud, ADDs one to the merchant's bucket
 * of the receive day with the shared bucket rules ({@link planBucketUpdates}, {@link bucketExpression}).
 * A cancellation whose first reason is ConditionalCheckFailed (a concurrent writer) reads and
 * classifies again; v2 exposes the reasons as `CancellationReasons` on the error, as v3 does.
 *
 * @example
 * const outcomes = makeV2OutcomeStore(new DynamoDB(), tableName, merchantRiskTableName);
 */
function makeV2OutcomeStore(db: DynamoDB, tableName: string, merchantRiskTableName: string): OutcomeStore {
  const keyOf = (outcome: Outcome) =>
    marshall({ transaction_id: outcome.transaction_id, timestamp: outcome.timestamp });
  const describe = (outcome: Outcome) =>
    `Transaction ${outcome.transaction_id} at timestamp ${outcome.timestamp} in table ${tableName}`;

  async function read(outcome: Outcome): Promise<Record<string, unknown> | undefined> {
    try {
      const output = await db
        .getItem({ TableName: tableName, Key: keyOf(outcome), ConsistentRead: true })
        .promise();
      return output.Item === undefined
        ? undefined
        : unmarshall(output.Item as Record<string, AttributeValue>);
    } catch (err) {
      throw storageError(err, "GetItem", tableName);
    }
  }

  function classify(item: Record<string, unknown> | undefined, outcome: Outcome): OutcomeResult | undefined {
    if (item === undefined) return OUTCOME_RESULTS.notFound;
    const recorded: unknown = item[OUTCOME_ATTRIBUTES.outcome];
    if (recorded === undefined) return undefined;
    return recorded === outcome.outcome ? OUTCOME_RESULTS.duplicate : OUTCOME_RESULTS.conflict;
  }

  function outcomeUpdate(outcome: Outcome, receivedAt: number, merchantId: string): DynamoDB.Update {
    const reported = outcome.reported_at !== undefined;
    return {
      TableName: tableName,
      Key: keyOf(outcome),
      UpdateExpression: `SET #outcome = :outcome, #source = :source, #receivedAt = :receivedAt${reported ? ", #reportedAt = :reportedAt" : ""}`,
      ConditionExpression:
        "attribute_exists(transaction_id) AND attribute_not_exists(#outcome) AND #merchant = :merchant",
      ExpressionAttributeNames: {
        "#outcome": OUTCOME_ATTRIBUTES.outcome,
        "#source": OUTCOME_ATTRIBUTES.source,
        "#receivedAt": OUTCOME_ATTRIBUTES.receivedAt,
        ...(reported && { "#reportedAt": OUTCOME_ATTRIBUTES.reportedAt }),
        "#merchant": "merchant_id",
      },
      ExpressionAttributeValues: marshall({
        ":outcome": outcome.outcome,
        ":source": outcome.source,
        ":receivedAt": receivedAt,
        ...(reported && { ":reportedAt": outcome.reported_at }),
        ":merchant": merchantId,
      }),
    };
  }

  function fraudUpdate(merchantId: string, receivedAt: number): DynamoDB.Update {
    const [update] = planBucketUpdates(
      [{ merchantId, day: dayOf(receivedAt), transactions: 0, frauds: 1 }],
      receivedAt,
    );
    return {
      TableName: merchantRiskTableName,
      Key: marshall({ [MERCHANT_RISK_ATTRIBUTES.merchantId]: merchantId }),
      ...bucketExpression(update),
    };
  }

  /** Throws what a cancelled write stands for unless a concurrent writer got there first. */
  function unlessRaced(err: unknown): void {
    if (!(err instanceof Error && err.name === "TransactionCanceledException")) {
      throw storageError(err, "TransactWriteItems", tableName);
    }
    const reasons = (err as { CancellationReasons?: readonly { Code?: string }[] }).CancellationReasons;
    const codes = (reasons ?? []).map((reason) => reason.Code ?? "");
    if (codes[0] === "ConditionalCheckFailed") return;
    if (!codes.some((code) => TRANSIENT_CANCELLATION_CODES.includes(code))) throw err;
    throw runtimeError(
      ERROR_NAMES.storageThrottled,
      `DynamoDB TransactWriteItems on table ${tableName} was cancelled (${codes.join(", ")}); retry later`,
      { cause: err },
    );
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
      const items: DynamoDB.TransactWriteItem[] = [
        { Update: outcomeUpdate(outcome, receivedAt, merchantId) },
      ];
      if (outcome.outcome === OUTCOMES.fraud) items.push({ Update: fraudUpdate(merchantId, receivedAt) });
      try {
        await db.transactWriteItems({ TransactItems: items }).promise();
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

export {
  makeV2AccountHistory,
  makeV2AlertQueue,
  makeV2MerchantRiskReader,
  makeV2MerchantRiskWriter,
  makeV2NotificationLedger,
  makeV2Notifier,
  makeV2OutcomeStore,
  makeV2TransactionStore,
  makeV2VerdictStore,
};
