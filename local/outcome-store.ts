/**
 * The OutcomeStore over the embedded table, with the DynamoDB adapter's semantics
 * (pipeline/runtime/aws/dynamodb-outcomes.ts): the outcome attributes written onto an existing
 * item that has none, the same four results, and a first `fraud` counted in the merchant's bucket
 * of the receive day. The check and the write run in one synchronous step, so no request can slip
 * between them and a fraud is counted once, as the DynamoDB transaction guarantees.
 */
import { OUTCOME_ATTRIBUTES, OUTCOME_RESULTS, OUTCOMES } from "../pipeline/runtime/contract/outcome";
import { dayOf } from "../pipeline/runtime/detect/merchant-risk";
import { ERROR_NAMES, runtimeError } from "../pipeline/runtime/errors";
import type { MerchantRiskWriter, OutcomeStore } from "../pipeline/runtime/ports";
import type { Faults } from "./faults";
import type { MemoryTable } from "./memory-table";

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
      const item = table.get(key);
      // What the answer is about is on disk first, whoever wrote it.
      await table.durable();
      if (item === undefined) return OUTCOME_RESULTS.notFound;
      const recorded = item[OUTCOME_ATTRIBUTES.outcome];
      if (recorded !== undefined) {
        return recorded === outcome.outcome ? OUTCOME_RESULTS.duplicate : OUTCOME_RESULTS.conflict;
      }
      const merchantId = item.merchant_id;
      if (typeof merchantId !== "string") {
        throw new Error(
          `Transaction ${outcome.transaction_id} at timestamp ${outcome.timestamp} in the local table has no merchant_id; cannot record its outcome`,
        );
      }
      table.update(key, (current) => ({
        ...current,
        [OUTCOME_ATTRIBUTES.outcome]: outcome.outcome,
        [OUTCOME_ATTRIBUTES.source]: outcome.source,
        [OUTCOME_ATTRIBUTES.receivedAt]: receivedAt,
        ...(outcome.reported_at !== undefined && { [OUTCOME_ATTRIBUTES.reportedAt]: outcome.reported_at }),
      }));
      await table.durable();
      if (outcome.outcome === OUTCOMES.fraud) {
        await merchantRisk.addToBuckets(
          [{ merchantId, day: dayOf(receivedAt), transactions: 0, frauds: 1 }],
          receivedAt,
        );
      }
      return OUTCOME_RESULTS.recorded;
    },
  };
}

export { makeLocalOutcomeStore };
