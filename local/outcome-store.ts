/**
 * The OutcomeStore over the embedded table, with the DynamoDB adapter's semantics
 * (pipeline/runtime/aws/dynamodb-outcomes.ts): the outcome attributes written onto an existing
 * item that has none, the same four results, and a first `fraud` counted in the merchant's bucket
 * of the receive day. The check and the write run in one synchronous step, so no request can slip
 * between them and a fraud is counted once, as the DynamoDB transaction guarantees.
 */
import {
  OUTCOME_ATTRIBUTES,
  OUTCOME_RESULTS,
  OUTCOMES,
  type Outcome,
  type OutcomeResult,
} from "../pipeline/runtime/contract/outcome";
import { dayOf } from "../pipeline/runtime/detect/merchant-risk";
import { ERROR_NAMES, runtimeError } from "../pipeline/runtime/errors";
import type { MerchantRiskWriter, OutcomeStore } from "../pipeline/runtime/ports";
import type { Faults } from "./faults";
import type { MemoryTable, StoredItem } from "./memory-table";

/**
 * What the stored item answers to an outcome report: a result when there is nothing to write
 * (no such transaction, the same outcome again, another outcome), else the merchant whose fraud
 * count a first `fraud` feeds.
 */
function check(
  item: StoredItem | undefined,
  outcome: Pick<Outcome, "transaction_id" | "timestamp" | "outcome">,
): { result: OutcomeResult; merchantId?: undefined } | { merchantId: string } {
  if (item === undefined) return { result: OUTCOME_RESULTS.notFound };
  const recorded = item[OUTCOME_ATTRIBUTES.outcome];
  if (recorded !== undefined) {
    return { result: recorded === outcome.outcome ? OUTCOME_RESULTS.duplicate : OUTCOME_RESULTS.conflict };
  }
  const merchantId = item.merchant_id;
  if (typeof merchantId !== "string") {
    throw new Error(
      `Transaction ${outcome.transaction_id} at timestamp ${outcome.timestamp} in the local table has no merchant_id; cannot record its outcome`,
    );
  }
  return { merchantId };
}

/**
 * Builds the store. An outcome write is a table write: the `tableWrite` fault makes it throw the
 * same `StorageThrottledError` the AWS adapter throws, before anything is read or written.
 *
 * @example
 * const outcomes = makeLocalOutcomeStore(table, merchantRisk, faults);
 * await outcomes.recordOutcome({ transaction_id: "tx-1", timestamp, outcome: "fraud", source: "analyst" }, Date.now()); // "recorded"
 */
function makeLocalOutcomeStore(
  table: MemoryTable,
  merchantRisk: MerchantRiskWriter,
  faults: Faults,
): OutcomeStore {
  return {
    async recordOutcome(outcome, receivedAt) {
      if (faults.shouldFail("tableWrite")) {
        throw runtimeError(
          ERROR_NAMES.storageThrottled,
          "Local table TransactWriteItems failed (injected tableWrite fault); retry later",
        );
      }
      const key = { transaction_id: outcome.transaction_id, timestamp: outcome.timestamp };
      const checked = check(table.get(key), outcome);
      if (checked.merchantId !== undefined) {
        table.update(key, (current) => ({
          ...current,
          [OUTCOME_ATTRIBUTES.outcome]: outcome.outcome,
          [OUTCOME_ATTRIBUTES.source]: outcome.source,
          [OUTCOME_ATTRIBUTES.receivedAt]: receivedAt,
          ...(outcome.reported_at !== undefined && { [OUTCOME_ATTRIBUTES.reportedAt]: outcome.reported_at }),
        }));
      }
      // Only after the synchronous check and write: what the answer rests on (whoever wrote it) and
      // the outcome just written are on disk before anyone is told. Awaiting between the check and
      // the write would let a concurrent report for the same transaction pass the check too.
      await table.durable();
      if (checked.merchantId === undefined) return checked.result;
      if (outcome.outcome === OUTCOMES.fraud) {
        await merchantRisk.addToBuckets(
          [{ merchantId: checked.merchantId, day: dayOf(receivedAt), transactions: 0, frauds: 1 }],
          receivedAt,
        );
      }
      return OUTCOME_RESULTS.recorded;
    },
  };
}

export { makeLocalOutcomeStore };
