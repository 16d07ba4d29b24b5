/**
 * The runtime's table ports over the embedded table, with the DynamoDB adapters' semantics
 * (pipeline/runtime/aws/dynamodb*.ts): the insert of a transaction with its id guard, telling
 * duplicate from conflict by the contract fields and a known id at another timestamp from both,
 * history newest first, verdict and ledger updates that never create an item.
 * Injected faults surface as the same `StorageThrottledError` the AWS adapters throw.
 */
import {
  contractFields,
  ITEM_ATTRIBUTES,
  idGuardItem,
  sameContractFields,
  toItem,
} from "../pipeline/runtime/contract/item";
import type { Transaction, TransactionKey } from "../pipeline/runtime/contract/transaction";
import { ERROR_NAMES, runtimeError } from "../pipeline/runtime/errors";
import {
  type AccountHistory,
  CLAIM_OUTCOMES,
  type NotificationLedger,
  PUT_OUTCOMES,
  type TransactionStore,
  type VerdictStore,
} from "../pipeline/runtime/ports";
import type { FaultOperation, Faults } from "./faults";
import type { MemoryTable } from "./memory-table";

export interface TablePorts {
  readonly store: TransactionStore;
  readonly history: AccountHistory;
  readonly verdicts: VerdictStore;
  readonly ledger: NotificationLedger;
}

function throttleIfInjected(faults: Faults, op: FaultOperation, operation: string): void {
  if (faults.shouldFail(op)) {
    throw runtimeError(
      ERROR_NAMES.storageThrottled,
      `Local table ${operation} failed (injected ${op} fault); retry later`,
    );
  }
}

/**
 * Builds the four table ports over one embedded table.
 *
 * @example
 * const { store, history, verdicts, ledger } = makeTablePorts(makeMemoryTable(), makeFaults());
 */
function makeTablePorts(table: MemoryTable, faults: Faults): TablePorts {
  const store: TransactionStore = {
    async putTransaction(tx: Transaction, receivedAt: number) {
      throttleIfInjected(faults, "tableWrite", "TransactWriteItems");
      // The item first: a crash between the two journal lines leaves an item without its guard
      // (an exact retry still answers duplicate), never a guard without its item.
      const result = table.putAllIfAbsent([toItem(tx, receivedAt), idGuardItem(tx, receivedAt)]);
      // Whatever the answer, what it is about is on disk first (another request's item included).
      await table.durable();
      if (result.created) return PUT_OUTCOMES.created;
      const [stored] = result.existing;
      if (stored === undefined) return PUT_OUTCOMES.idTaken;
      return sameContractFields(stored, { ...tx }) ? PUT_OUTCOMES.duplicate : PUT_OUTCOMES.conflict;
    },
  };

  const history: AccountHistory = {
    async recentForAccount(accountId, since, until, limit) {
      throttleIfInjected(faults, "historyQuery", "Query");
      return table.queryAccount(accountId, since, until, limit).map((item) => contractFields(item));
    },
  };

  const verdicts: VerdictStore = {
    async recordVerdict(key, verdict) {
      throttleIfInjected(faults, "verdictWrite", "UpdateItem");
      // No item, no write and no first verdict: the DynamoDB adapter's failed condition.
      let first = false;
      table.update(key, (item) => {
        first = item[ITEM_ATTRIBUTES.verdictAt] === undefined;
        return {
          ...item,
          [ITEM_ATTRIBUTES.verdict]: verdict.verdict,
          [ITEM_ATTRIBUTES.score]: verdict.score,
          [ITEM_ATTRIBUTES.rules]: [...verdict.rules],
          [ITEM_ATTRIBUTES.reasons]: [...verdict.reasons],
          [ITEM_ATTRIBUTES.verdictAt]: verdict.decidedAt,
        };
      });
      await table.durable();
      return { first };
    },
  };

  const withoutLease = (item: Record<string, unknown>) => {
    const { [ITEM_ATTRIBUTES.notifyLeaseUntil]: _lease, ...rest } = item;
    return rest;
  };

  const ledger: NotificationLedger = {
    async claim(key: TransactionKey, now: number, leaseMs: number) {
      const item = table.get(key);
      if (item === undefined) {
        throw new Error(
          `Transaction ${key.transaction_id} at timestamp ${key.timestamp} is not in the local table; cannot claim its notification`,
        );
      }
      const lease = item[ITEM_ATTRIBUTES.notifyLeaseUntil];
      const outcome =
        item[ITEM_ATTRIBUTES.notifiedAt] !== undefined
          ? CLAIM_OUTCOMES.alreadyNotified
          : typeof lease === "number" && lease >= now
            ? CLAIM_OUTCOMES.inProgress
            : CLAIM_OUTCOMES.claimed;
      if (outcome === CLAIM_OUTCOMES.claimed) {
        table.update(key, (current) => ({ ...current, [ITEM_ATTRIBUTES.notifyLeaseUntil]: now + leaseMs }));
      }
      // Every answer, not only a claim, waits for what it rests on to be on disk, whoever wrote it.
      await table.durable();
      return outcome;
    },
    async confirm(key, now) {
      table.update(key, (item) => ({ ...withoutLease(item), [ITEM_ATTRIBUTES.notifiedAt]: now }));
      await table.durable();
    },
    async release(key) {
      table.update(key, (item) =>
        item[ITEM_ATTRIBUTES.notifyLeaseUntil] === undefined ? undefined : withoutLease(item),
      );
      await table.durable();
    },
  };

  return { store, history, verdicts, ledger };
}

export { makeTablePorts };
