/**
 * detect-fraud's function factory, passed to `aws.lambda.CallbackFunction({ callbackFactory })`.
 * It runs once per cold start: reads configuration from the (KMS-encrypted) environment, parses the
 * rule thresholds once, and builds the SDK clients, logger, metrics and codec here, so the
 * serialized closure captures only functions.
 */
import { makeDynamoDBClient, makeSqsClient } from "../aws/clients";
import { makeDynamoAccountHistory, makeDynamoVerdictStore } from "../aws/dynamodb";
import { makeSqsAlertQueue } from "../aws/sqs";
import { makeTransactionCodec } from "../contract/codec";
import { parseRulesConfig } from "../detect/config";
import { makeDetectHandler } from "../detect/handler";
import { ENV, requireEnv } from "../env";
import { makeLogger, makeMetrics } from "../observability";

/** CloudWatch namespace of the pipeline's EMF metrics (the stack's dashboard reads it). */
const METRICS_NAMESPACE = "FraudPipeline";

/**
 * Builds the detect-fraud handler from the environment (`TABLE_NAME`, `ACCOUNT_INDEX_NAME`,
 * `ALERT_QUEUE_URL`, optional `FRAUD_RULES_CONFIG`).
 *
 * @example
 * new aws.lambda.CallbackFunction("detect-fraud", { callbackFactory: detectFraudFactory, role, ... });
 * @throws ConfigurationError naming the variable or the rules setting that is missing or invalid.
 */
function detectFraudFactory() {
  const tableName = requireEnv(process.env, ENV.tableName);
  const indexName = requireEnv(process.env, ENV.accountIndexName);
  const queueUrl = requireEnv(process.env, ENV.alertQueueUrl);
  const config = parseRulesConfig(process.env[ENV.rulesConfig]);
  const dynamodb = makeDynamoDBClient();
  return makeDetectHandler({
    history: makeDynamoAccountHistory({ client: dynamodb, tableName, indexName }),
    verdicts: makeDynamoVerdictStore({ client: dynamodb, tableName }),
    alerts: makeSqsAlertQueue({ client: makeSqsClient(), queueUrl }),
    config,
    codec: makeTransactionCodec(),
    now: () => Date.now(),
    log: makeLogger("detect-fraud"),
    metrics: makeMetrics(METRICS_NAMESPACE, "detect-fraud"),
  });
}

export { detectFraudFactory, METRICS_NAMESPACE };
