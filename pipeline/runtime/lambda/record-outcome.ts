/**
 * record-outcome's function factory, serialized and bundled into the function's `index.js` (pipeline/infra/handler-bundle.ts).
 * It runs once per cold start: reads configuration from the (KMS-encrypted) environment and builds
 * the SDK client, logger and codec here, so the serialized closure captures only functions.
 */
import { makeDynamoDBClient } from "../aws/clients";
import { makeDynamoOutcomeStore } from "../aws/dynamodb-outcomes";
import { makeOutcomeCodec } from "../contract/outcome-codec";
import { ENV, requireEnv } from "../env";
import { makeLogger } from "../observability";
import { makeRecordOutcomeHandler, type RecordOutcomeHandler } from "../outcome/handler";

/**
 * Builds the record-outcome handler from the environment (`TABLE_NAME`, `MERCHANT_RISK_TABLE_NAME`).
 *
 * @example
 * bundledFunction("record-outcome", { factory: recordOutcomeFactory, role, ... });
 * @throws ConfigurationError naming the variable when one is missing.
 */
function recordOutcomeFactory(): RecordOutcomeHandler {
  const tableName = requireEnv(process.env, ENV.tableName);
  const merchantRiskTableName = requireEnv(process.env, ENV.merchantRiskTableName);
  return makeRecordOutcomeHandler({
    store: makeDynamoOutcomeStore({ client: makeDynamoDBClient(), tableName, merchantRiskTableName }),
    codec: makeOutcomeCodec(),
    now: () => Date.now(),
    log: makeLogger("record-outcome"),
  });
}

export { recordOutcomeFactory };
