/**
 * The merchant-risk table, locally: one item per merchant in the deployed layout (`merchant_id`,
 * `tx_<day>`, `fraud_<day>`, `expires_at`), read and written through the same ports as DynamoDB and
 * updated by the same plan ({@link planBucketUpdates}): counters added, expiry set, stale buckets
 * removed. Not journalled: with `--data`, the profiles are rebuilt from the transactions table.
 */
import { planBucketUpdates } from "../pipeline/runtime/aws/dynamodb-merchant-risk";
import { ITEM_ATTRIBUTES } from "../pipeline/runtime/contract/item";
import { OUTCOME_ATTRIBUTES, OUTCOMES } from "../pipeline/runtime/contract/outcome";
import {
  dayOf,
  MERCHANT_RISK_ATTRIBUTES,
  MERCHANT_RISK_RETENTION_DAYS,
  type MerchantIncrement,
} from "../pipeline/runtime/detect/merchant-risk";
import type { MerchantRiskReader, MerchantRiskWriter } from "../pipeline/runtime/ports";
import type { Item } from "./journal";

/** Both merchant-risk ports over one in-memory table. */
export interface MerchantRiskStore extends MerchantRiskReader, MerchantRiskWriter {
  /** Number of merchants with an item. */
  size(): number;
}

/**
 * What the transactions table says about its merchants: each item with a verdict is one
 * transaction on its event day, each item with a `fraud` outcome one fraud on the day the outcome
 * was received. Days a write at `now` would already have removed are left out.
 *
 * @example
 * const increments = merchantIncrementsOf(table.scan(), Date.now());
 */
function merchantIncrementsOf(items: readonly Item[], now: number): MerchantIncrement[] {
  const oldestKept = dayOf(now) - MERCHANT_RISK_RETENTION_DAYS + 1;
  const increments: MerchantIncrement[] = [];
  for (const item of items) {
    const merchantId = item.merchant_id;
    if (typeof merchantId !== "string") continue;
    const timestamp = item.timestamp;
    if (item[ITEM_ATTRIBUTES.verdict] !== undefined && typeof timestamp === "number") {
      increments.push({ merchantId, day: dayOf(timestamp), transactions: 1, frauds: 0 });
    }
    const receivedAt = item[OUTCOME_ATTRIBUTES.receivedAt];
    if (item[OUTCOME_ATTRIBUTES.outcome] === OUTCOMES.fraud && typeof receivedAt === "number") {
      increments.push({ merchantId, day: dayOf(receivedAt), transactions: 0, frauds: 1 });
    }
  }
  return increments.filter((inc) => inc.day >= oldestKept);
}

/**
 * Builds the store; `recovered` (the transactions table's items after a restart) seeds the
 * profiles as of `now`.
 *
 * @example
 * const merchantRisk = makeMerchantRiskStore({ recovered: journal?.recovered, now: Date.now() });
 * await merchantRisk.addToBuckets([{ merchantId: "m-1", day: dayOf(Date.now()), transactions: 0, frauds: 1 }], Date.now());
 */
function makeMerchantRiskStore(
  options: { recovered?: readonly Item[]; now?: number } = {},
): MerchantRiskStore {
  const items = new Map<string, Item>();

  const add = (increments: readonly MerchantIncrement[], now: number) => {
    for (const update of planBucketUpdates(increments, now)) {
      const item: Item = items.get(update.merchantId) ?? {
        [MERCHANT_RISK_ATTRIBUTES.merchantId]: update.merchantId,
      };
      for (const [name, amount] of update.add) {
        const current = item[name];
        item[name] = (typeof current === "number" ? current : 0) + amount;
      }
      item[MERCHANT_RISK_ATTRIBUTES.expiresAt] = update.expiresAt;
      // Most stale names were never set: a read is cheap, `delete` always calls into the runtime.
      for (const name of update.remove) if (item[name] !== undefined) delete item[name];
      items.set(update.merchantId, item);
    }
  };

  const now = options.now ?? Date.now();
  add(merchantIncrementsOf(options.recovered ?? [], now), now);

  return {
    async profiles(merchantIds) {
      const found = new Map<string, unknown>();
      for (const merchantId of merchantIds) {
        const item = items.get(merchantId);
        // Flat (strings and numbers): a shallow copy is a whole one.
        if (item !== undefined) found.set(merchantId, { ...item });
      }
      return found;
    },
    async addToBuckets(increments, at) {
      add(increments, at);
    },
    size: () => items.size,
  };
}

export { makeMerchantRiskStore, merchantIncrementsOf };
