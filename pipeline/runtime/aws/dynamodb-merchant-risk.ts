/**
 * Merchant-risk adapters (AWS SDK v3) over the merchant-risk table, one item per merchant (see
 * detect/merchant-risk.ts): a batched reader for detect-fraud and a bucket writer. The write rules
 * are planned once here ({@link planBucketUpdates}) and shared by the writer, the outcome store's
 * fraud count and the local runner's in-memory store, so every writer updates an item alike.
 */
import {
  type AttributeValue,
  BatchGetItemCommand,
  type BatchGetItemCommandOutput,
  type KeysAndAttributes,
  UpdateItemCommand,
} from "@aws-sdk/client-dynamodb";
import { marshall, unmarshall } from "@aws-sdk/util-dynamodb";
import {
  expiresAtSeconds,
  fraudsAttribute,
  MERCHANT_RISK_ATTRIBUTES,
  type MerchantIncrement,
  mergeIncrements,
  staleBucketAttributes,
  transactionsAttribute,
} from "../detect/merchant-risk";
import { ERROR_NAMES, runtimeError } from "../errors";
import type { MerchantRiskReader, MerchantRiskWriter } from "../ports";
import type { DynamoTableOptions } from "./dynamodb";
import { storageError } from "./dynamodb-errors";

/** BatchGetItem takes at most 100 keys per call. */
const MAX_BATCH_GET_KEYS = 100;

/**
 * Retries of keys BatchGetItem leaves unprocessed (it does when the table throttles part of a
 * batch): attempts in all, and the first delay, doubled on each retry (25, 50, 100 ms). Bounded
 * well inside detect-fraud's timeout; past it the batch fails and the stream retries it.
 */
const UNPROCESSED_RETRY = { attempts: 4, firstDelayMs: 25 } as const;

/** One merchant's share of a write: counters to add, buckets to remove, the item's new expiry. */
interface MerchantBucketUpdate {
  readonly merchantId: string;
  /** Attribute name to a non-zero amount. */
  readonly add: ReadonlyMap<string, number>;
  /** Stale buckets; never one that is also added (DynamoDB rejects overlapping paths). */
  readonly remove: readonly string[];
  /** `expires_at`, epoch seconds. */
  readonly expiresAt: number;
}

/** An UpdateItem on one merchant's item, table and key aside. */
interface BucketExpression {
  readonly UpdateExpression: string;
  readonly ExpressionAttributeNames: Record<string, string>;
  readonly ExpressionAttributeValues: Record<string, AttributeValue>;
}

/**
 * The write each merchant's item gets for `increments` at `now`: increments of a merchant and day
 * merged, every non-zero counter added, `expires_at` set from `now`, and the buckets that fell out
 * of the window before the merchant's latest increment day removed. A merchant whose increments
 * are all zero gets no write.
 *
 * @example
 * planBucketUpdates([{ merchantId: "m-1", day: 20362, transactions: 0, frauds: 1 }], now);
 * // [{ merchantId: "m-1", add: Map { "fraud_20362" => 1 }, remove: ["tx_20332", ...], expiresAt: 1761955200 }]
 */
function planBucketUpdates(increments: readonly MerchantIncrement[], now: number): MerchantBucketUpdate[] {
  const byMerchant = new Map<string, MerchantIncrement[]>();
  for (const inc of mergeIncrements(increments)) {
    const merchantIncrements = byMerchant.get(inc.merchantId);
    if (merchantIncrements === undefined) byMerchant.set(inc.merchantId, [inc]);
    else merchantIncrements.push(inc);
  }
  const expiresAt = expiresAtSeconds(now);
  // The merchants of one batch mostly share their latest day: its stale buckets are listed once,
  // and shared (read-only) by every update that adds none of them.
  let staleDay = Number.NaN;
  let stale: readonly string[] = [];
  const updates: MerchantBucketUpdate[] = [];
  for (const [merchantId, merchantIncrements] of byMerchant) {
    const add = new Map<string, number>();
    let latestDay = Number.NEGATIVE_INFINITY;
    for (const inc of merchantIncrements) {
      if (inc.transactions !== 0) add.set(transactionsAttribute(inc.day), inc.transactions);
      if (inc.frauds !== 0) add.set(fraudsAttribute(inc.day), inc.frauds);
      if (inc.day > latestDay) latestDay = inc.day;
    }
    if (add.size === 0) continue;
    if (latestDay !== staleDay) {
      stale = staleBucketAttributes(latestDay);
      staleDay = latestDay;
    }
    const remove = stale.some((name) => add.has(name)) ? stale.filter((name) => !add.has(name)) : stale;
    updates.push({ merchantId, add, remove, expiresAt });
  }
  return updates;
}

/**
 * The update expression of one planned write. Every attribute name goes behind a placeholder, so
 * no bucket or bookkeeping name can ever collide with a DynamoDB reserved word.
 *
 * @example
 * bucketExpression(update).UpdateExpression; // "ADD #a0 :a0 SET #expires = :expires REMOVE #r0, #r1, ..."
 */
function bucketExpression(update: MerchantBucketUpdate): BucketExpression {
  const names: Record<string, string> = { "#expires": MERCHANT_RISK_ATTRIBUTES.expiresAt };
  const values: Record<string, unknown> = { ":expires": update.expiresAt };
  const adds = [...update.add].map(([name, amount], i) => {
    names[`#a${i}`] = name;
    values[`:a${i}`] = amount;
    return `#a${i} :a${i}`;
  });
  const removes = update.remove.map((name, i) => {
    names[`#r${i}`] = name;
    return `#r${i}`;
  });
  const remove = removes.length === 0 ? "" : ` REMOVE ${removes.join(", ")}`;
  return {
    UpdateExpression: `ADD ${adds.join(", ")} SET #expires = :expires${remove}`,
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: marshall(values),
  };
}

function merchantKey(merchantId: string): Record<string, AttributeValue> {
  return marshall({ [MERCHANT_RISK_ATTRIBUTES.merchantId]: merchantId });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * MerchantRiskReader over BatchGetItem: distinct merchant ids in chunks of 100 (sent concurrently),
 * unprocessed keys retried with a short doubling backoff. Items come back unmarshalled and
 * undecoded, keyed by `merchant_id`; `decodeMerchantProfile` judges them. IAM:
 * `dynamodb:BatchGetItem` on the merchant-risk table.
 *
 * @example
 * const reader = makeDynamoMerchantRiskReader({ client, tableName: merchantRiskTableName });
 * const profiles = await reader.profiles(["m-1", "m-2"]); // Map { "m-1" => { merchant_id: "m-1", tx_20362: 31, ... } }
 * @throws StorageThrottledError when DynamoDB throttles or fails transiently, or keys stay
 *   unprocessed after the last retry.
 */
function makeDynamoMerchantRiskReader({ client, tableName }: DynamoTableOptions): MerchantRiskReader {
  async function getChunk(merchantIds: readonly string[]): Promise<Record<string, AttributeValue>[]> {
    const found: Record<string, AttributeValue>[] = [];
    let pending: KeysAndAttributes | undefined = { Keys: merchantIds.map(merchantKey) };
    for (let attempt = 1; pending !== undefined; attempt++) {
      if (attempt > 1) {
        const left = pending.Keys?.length ?? 0;
        if (attempt > UNPROCESSED_RETRY.attempts) {
          throw runtimeError(
            ERROR_NAMES.storageThrottled,
            `DynamoDB BatchGetItem on table ${tableName} left ${left} of ${merchantIds.length} merchants unprocessed after ${UNPROCESSED_RETRY.attempts} attempts; retry later`,
          );
        }
        await sleep(UNPROCESSED_RETRY.firstDelayMs * 2 ** (attempt - 2));
      }
      let output: BatchGetItemCommandOutput;
      try {
        output = await client.send(new BatchGetItemCommand({ RequestItems: { [tableName]: pending } }));
      } catch (err) {
        throw storageError(err, "BatchGetItem", tableName);
      }
      found.push(...(output.Responses?.[tableName] ?? []));
      const unprocessed: KeysAndAttributes | undefined = output.UnprocessedKeys?.[tableName];
      pending = (unprocessed?.Keys?.length ?? 0) > 0 ? unprocessed : undefined;
    }
    return found;
  }

  return {
    async profiles(merchantIds) {
      const distinct = [...new Set(merchantIds)];
      const chunks: string[][] = [];
      for (let start = 0; start < distinct.length; start += MAX_BATCH_GET_KEYS) {
        chunks.push(distinct.slice(start, start + MAX_BATCH_GET_KEYS));
      }
      const pages = await Promise.all(chunks.map(getChunk));
      const profiles = new Map<string, unknown>();
      for (const raw of pages.flat()) {
        const item = unmarshall(raw);
        const merchantId: unknown = item[MERCHANT_RISK_ATTRIBUTES.merchantId];
        if (typeof merchantId === "string") profiles.set(merchantId, item);
      }
      return profiles;
    },
  };
}

/**
 * MerchantRiskWriter with one UpdateItem per merchant (sent concurrently), as planned by
 * {@link planBucketUpdates}: ADD needs no prior item, so the first write creates the merchant's
 * item. IAM: `dynamodb:UpdateItem` on the merchant-risk table.
 *
 * @example
 * const writer = makeDynamoMerchantRiskWriter({ client, tableName: merchantRiskTableName });
 * await writer.addToBuckets([{ merchantId: "m-1", day: dayOf(tx.timestamp), transactions: 1, frauds: 0 }], Date.now());
 * @throws StorageThrottledError naming how many merchants failed when DynamoDB throttles or fails
 *   transiently; otherwise an Error naming the count, the SDK's error as its cause.
 */
function makeDynamoMerchantRiskWriter({ client, tableName }: DynamoTableOptions): MerchantRiskWriter {
  return {
    async addToBuckets(increments, now) {
      const updates = planBucketUpdates(increments, now);
      const settled = await Promise.allSettled(
        updates.map((update) =>
          client.send(
            new UpdateItemCommand({
              TableName: tableName,
              Key: merchantKey(update.merchantId),
              ...bucketExpression(update),
            }),
          ),
        ),
      );
      const failures = settled.filter((result) => result.status === "rejected");
      if (failures.length === 0) return;
      const cause: unknown = failures[0].reason;
      const operation = `UpdateItem for ${failures.length} of ${updates.length} merchants`;
      const error = storageError(cause, operation, tableName);
      if (error !== cause) throw error;
      const reason = cause instanceof Error ? cause.name : "unknown error";
      throw new Error(`DynamoDB ${operation} on table ${tableName} failed (${reason})`, { cause });
    },
  };
}

export type { BucketExpression, MerchantBucketUpdate };
export { bucketExpression, makeDynamoMerchantRiskReader, makeDynamoMerchantRiskWriter, planBucketUpdates };
