/**
 * notify-team's claims, held for as long as the invocation that took them runs. In AWS the claim's
 * lease (120 s) outlives any invocation because Lambda stops the function at its timeout (50 s);
 * the local runner calls the handler in-process with no timeout, so a stalled process (a loaded
 * machine, a long GC pause) could outlive the lease, and a second copy of the alert would then
 * claim it and send a second email. Here a claim stays exclusive while its invocation runs,
 * whatever the clock says; the lease only decides once no invocation holds it.
 */
import type { TransactionKey } from "../pipeline/runtime/contract/transaction";
import { CLAIM_OUTCOMES, type NotificationLedger } from "../pipeline/runtime/ports";
import { keyOf } from "./memory-table";

export interface HeldClaims {
  /** The ledger to give notify-team. */
  readonly ledger: NotificationLedger;
  /** Runs one notify invocation; its claims stay held until every running invocation has settled. */
  during<T>(invocation: () => Promise<T>): Promise<T>;
}

/**
 * Wraps the table's ledger so a claim taken in this process is exclusive until it is confirmed or
 * released, or its invocation ends.
 *
 * @example
 * const claims = holdClaimsWhileRunning(ports.ledger);
 * queue.start((event) => claims.during(() => notify(event, context)));
 */
function holdClaimsWhileRunning(ledger: NotificationLedger): HeldClaims {
  const held = new Set<string>();
  let running = 0;
  return {
    ledger: {
      async claim(key: TransactionKey, now: number, leaseMs: number) {
        const id = keyOf(key);
        if (held.has(id)) return CLAIM_OUTCOMES.inProgress;
        // Held before the table answers, so a concurrent record of the same batch cannot slip in.
        held.add(id);
        try {
          const outcome = await ledger.claim(key, now, leaseMs);
          if (outcome !== CLAIM_OUTCOMES.claimed) held.delete(id);
          return outcome;
        } catch (error) {
          held.delete(id);
          throw error;
        }
      },
      async confirm(key, now) {
        await ledger.confirm(key, now);
        held.delete(keyOf(key));
      },
      async release(key) {
        await ledger.release(key);
        held.delete(keyOf(key));
      },
    },
    async during(invocation) {
      running += 1;
      try {
        return await invocation();
      } finally {
        running -= 1;
        if (running === 0) held.clear();
      }
    },
  };
}

export { holdClaimsWhileRunning };
