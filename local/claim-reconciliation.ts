/**
 * Resolves, at start-up, the notifications a crash left claimed but unconfirmed. notify-team
 * records its claim (`notify_lease_until`), writes the outbox line, then records `notified_at`; a
 * kill between the last two leaves a claim whose email was sent. The outbox file says which:
 * with a line for the transaction written after it was stored, the claim is confirmed and no second
 * email goes out; without one, the claim is released and the alert is sent once more.
 */
import { ITEM_ATTRIBUTES } from "../pipeline/runtime/contract/item";
import type { Item } from "./journal";
import type { MemoryTable } from "./memory-table";

/** What {@link reconcileClaims} did. */
export interface ClaimReconciliation {
  /** Claims whose email the outbox shows: now recorded as notified. */
  readonly confirmed: number;
  /** Claims without an outbox line: released, so the alert is sent again. */
  readonly released: number;
}

function isClaimedUnconfirmed(item: Item): boolean {
  return (
    item[ITEM_ATTRIBUTES.notifyLeaseUntil] !== undefined && item[ITEM_ATTRIBUTES.notifiedAt] === undefined
  );
}

/**
 * Confirms or releases every claimed-unconfirmed item of `table`, given the outbox's publish
 * times by transaction id (see `readPublishTimes`). Call it before any invocation runs.
 *
 * @example
 * const { confirmed, released } = reconcileClaims(table, readPublishTimes(outboxPath));
 */
function reconcileClaims(table: MemoryTable, publishTimes: ReadonlyMap<string, readonly number[]>) {
  const result = { confirmed: 0, released: 0 };
  for (const item of table.scan().filter(isClaimedUnconfirmed)) {
    const key = { transaction_id: String(item.transaction_id), timestamp: Number(item.timestamp) };
    // A line older than the item belongs to another item with the same id (another timestamp).
    const storedAt = Number(item[ITEM_ATTRIBUTES.receivedAt] ?? 0);
    const sentAt = (publishTimes.get(key.transaction_id) ?? []).find((at) => at >= storedAt);
    table.update(key, (current) => {
      const { [ITEM_ATTRIBUTES.notifyLeaseUntil]: _lease, ...rest } = current;
      return sentAt === undefined ? rest : { ...rest, [ITEM_ATTRIBUTES.notifiedAt]: sentAt };
    });
    if (sentAt === undefined) result.released += 1;
    else result.confirmed += 1;
  }
  return result satisfies ClaimReconciliation;
}

export { reconcileClaims };
