/**
 * process-transaction's function factory, serialized and bundled into the function's `index.js` (pipeline/infra/handler-bundle.ts).
 * It runs once per cold start: reads configuration from the (KMS-encrypted) environment and builds
 * the SDK client, logger and codec here, so the serialized closure captures only functions.
 */
import { makeDynamoDBClient } from "../aws/clients";
import { makeDynamoTransactionStore } from "../aws/dynamodb";
import { makeTransactionCodec } from "../contract/codec";
import { ENV, requireEnv } from "../env";
import { makeLogger } from "../observability";
import { makeProcessHandler, type ProcessHandler } from "../process/handler";

/**
 * Builds the process-transaction handler from the environment (`TABLE_NAME`).
 *
 * @example
 * bundledFunction("process-transaction", { factory: processTransactionFactory, role, ... });
 * @throws ConfigurationError naming the variable when it is missing.
 */
function processTransactionFactory(): ProcessHandler {
  const tableName = requireEnv(process.env, ENV.tableName);
  return makeProcessHandler({
    store: makeDynamoTransactionStore({ client: makeDynamoDBClient(), tableName }),
    codec: makeTransactionCodec(),
    now: () => Date.now(),
    log: makeLogger("process-transaction"),
  });
}

export { processTransactionFactory };
