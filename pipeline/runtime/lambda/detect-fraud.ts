/**
 * detect-fraud's function factory, serialized and bundled into the function's `index.js` (pipeline/infra/handler-bundle.ts).
 * It runs once per cold start: reads configuration from the (KMS-encrypted) environment, parses the
 * rule thresholds once, and builds the SDK clients, logger, metrics and codec here, so the
 * serialized closure captures only functions and plain data (the model).
 */
import { makeDynamoDBClient, makeSqsClient } from "../aws/clients";
import { makeDynamoAccountHistory, makeDynamoVerdictStore } from "../aws/dynamodb";
import { makeDynamoMerchantRiskReader, makeDynamoMerchantRiskWriter } from "../aws/dynamodb-merchant-risk";
import { makeSqsAlertQueue } from "../aws/sqs";
import { makeTransactionCodec } from "../contract/codec";
import { parseRulesConfig } from "../detect/config";
import { makeDetectHandler } from "../detect/handler";
import type { FraudModel } from "../detect/model/format";
import { ENV, requireEnv } from "../env";
import { METRICS_NAMESPACE, makeLogger, makeMetrics } from "../observability";

/**
 * The detect-fraud factory for a model (validated plain data from MODEL.json, see
 * `parseFraudModel`), or for the label-free default score with `undefined`. The returned factory
 * captures the model by value, so the model ships inside the function's archive and a new model
 * changes detect-fraud's code and nothing else.
 *
 * The factory reads `TABLE_NAME`, `ACCOUNT_INDEX_NAME`, `ALERT_QUEUE_URL`,
 * `MERCHANT_RISK_TABLE_NAME` and optional `FRAUD_RULES_CONFIG` from the environment.
 *
 * @example
 * bundledFunction("detect-fraud", { factory: makeDetectFraudFactory(model), role, ... });
 * @throws ConfigurationError (from the factory) naming the variable or the rules setting that is missing or invalid.
 */
function makeDetectFraudFactory(model: FraudModel | undefined) {
  return () => {
    const tableName = requireEnv(process.env, ENV.tableName);
    const indexName = requireEnv(process.env, ENV.accountIndexName);
    const queueUrl = requireEnv(process.env, ENV.alertQueueUrl);
    const merchantTable = requireEnv(process.env, ENV.merchantRiskTableName);
    const config = parseRulesConfig(process.env[ENV.rulesConfig]);
    const dynamodb = makeDynamoDBClient();
    return makeDetectHandler({
      history: makeDynamoAccountHistory({ client: dynamodb, tableName, indexName }),
      verdicts: makeDynamoVerdictStore({ client: dynamodb, tableName }),
      alerts: makeSqsAlertQueue({ client: makeSqsClient(), queueUrl }),
      merchantProfiles: makeDynamoMerchantRiskReader({ client: dynamodb, tableName: merchantTable }),
      merchantCounts: makeDynamoMerchantRiskWriter({ client: dynamodb, tableName: merchantTable }),
      config,
      model,
      codec: makeTransactionCodec(),
      now: () => Date.now(),
      log: makeLogger("detect-fraud"),
      metrics: makeMetrics(METRICS_NAMESPACE, "detect-fraud"),
    });
  };
}

/** The detect-fraud factory without a model (the label-free default score). */
const detectFraudFactory = makeDetectFraudFactory(undefined);

export { detectFraudFactory, METRICS_NAMESPACE, makeDetectFraudFactory };
