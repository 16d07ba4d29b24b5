/**
 * Baseline function factories: the same handlers as pipeline/runtime/lambda/*, built on the whole
 * AWS SDK v2 (`aws-sdk`), which the original brief's package list suggests. The factory builds the
 * DocumentClient / DynamoDB / SQS / SNS clients, so loading the artifact loads all of `aws-sdk`, as a v2
 * Lambda would. Serialized exactly like the real factories for the cold-init and archive figures.
 */
import { DynamoDB, SNS, SQS } from "aws-sdk";
import { makeTransactionCodec } from "../../pipeline/runtime/contract/codec";
import { makeOutcomeCodec } from "../../pipeline/runtime/contract/outcome-codec";
import { parseRulesConfig } from "../../pipeline/runtime/detect/config";
import { makeDetectHandler } from "../../pipeline/runtime/detect/handler";
import { ENV, requireEnv } from "../../pipeline/runtime/env";
import { NOTIFY_LEASE_MS } from "../../pipeline/runtime/lambda/notify-team";
import { makeAlertCodec } from "../../pipeline/runtime/notify/alert-codec";
import { makeNotifyHandler } from "../../pipeline/runtime/notify/handler";
import { makeLogger, makeMetrics } from "../../pipeline/runtime/observability";
import { makeRecordOutcomeHandler } from "../../pipeline/runtime/outcome/handler";
import { makeProcessHandler } from "../../pipeline/runtime/process/handler";
import {
  makeV2AccountHistory,
  makeV2AlertQueue,
  makeV2MerchantRiskReader,
  makeV2MerchantRiskWriter,
  makeV2NotificationLedger,
  makeV2Notifier,
  makeV2OutcomeStore,
  makeV2TransactionStore,
  makeV2VerdictStore,
} from "./v2-adapters";

/**
 * The clients' endpoint option: aws-sdk v2 ignores AWS_ENDPOINT_URL, which SDK v3 reads, so the
 * bench's loopback stand-in is passed on explicitly. Unset, as in Lambda, the default endpoints apply.
 *
 * @example
 * new SNS(v2EndpointOptions());
 */
function v2EndpointOptions(): { endpoint?: string } {
  const endpoint = process.env.AWS_ENDPOINT_URL;
  return endpoint === undefined ? {} : { endpoint };
}

/**
 * process-transaction on `aws-sdk` v2.
 *
 * @example
 * await pulumi.runtime.serializeFunction(v2ProcessTransactionFactory, { isFactoryFunction: true });
 */
function v2ProcessTransactionFactory() {
  const tableName = requireEnv(process.env, ENV.tableName);
  return makeProcessHandler({
    store: makeV2TransactionStore(new DynamoDB.DocumentClient(v2EndpointOptions()), tableName),
    codec: makeTransactionCodec(),
    now: () => Date.now(),
    log: makeLogger("process-transaction"),
  });
}

/**
 * detect-fraud on `aws-sdk` v2.
 *
 * @example
 * await pulumi.runtime.serializeFunction(v2DetectFraudFactory, { isFactoryFunction: true });
 */
function v2DetectFraudFactory() {
  const tableName = requireEnv(process.env, ENV.tableName);
  const indexName = requireEnv(process.env, ENV.accountIndexName);
  const queueUrl = requireEnv(process.env, ENV.alertQueueUrl);
  const merchantTable = requireEnv(process.env, ENV.merchantRiskTableName);
  const doc = new DynamoDB.DocumentClient(v2EndpointOptions());
  return makeDetectHandler({
    history: makeV2AccountHistory(doc, tableName, indexName),
    verdicts: makeV2VerdictStore(doc, tableName),
    alerts: makeV2AlertQueue(new SQS(v2EndpointOptions()), queueUrl),
    merchantProfiles: makeV2MerchantRiskReader(doc, merchantTable),
    merchantCounts: makeV2MerchantRiskWriter(doc, merchantTable),
    config: parseRulesConfig(process.env[ENV.rulesConfig]),
    codec: makeTransactionCodec(),
    now: () => Date.now(),
    log: makeLogger("detect-fraud"),
    metrics: makeMetrics("FraudPipeline", "detect-fraud"),
  });
}

/**
 * notify-team on `aws-sdk` v2.
 *
 * @example
 * await pulumi.runtime.serializeFunction(v2NotifyTeamFactory, { isFactoryFunction: true });
 */
function v2NotifyTeamFactory() {
  const tableName = requireEnv(process.env, ENV.tableName);
  const topicArn = requireEnv(process.env, ENV.topicArn);
  return makeNotifyHandler({
    notifier: makeV2Notifier(new SNS(v2EndpointOptions()), topicArn),
    ledger: makeV2NotificationLedger(new DynamoDB.DocumentClient(v2EndpointOptions()), tableName),
    codec: makeAlertCodec(),
    now: () => Date.now(),
    log: makeLogger("notify-team"),
    metrics: makeMetrics("FraudPipeline", "notify-team"),
    leaseMs: NOTIFY_LEASE_MS,
  });
}

/**
 * record-outcome on `aws-sdk` v2.
 *
 * @example
 * await pulumi.runtime.serializeFunction(v2RecordOutcomeFactory, { isFactoryFunction: true });
 */
function v2RecordOutcomeFactory() {
  const tableName = requireEnv(process.env, ENV.tableName);
  const merchantRiskTableName = requireEnv(process.env, ENV.merchantRiskTableName);
  return makeRecordOutcomeHandler({
    store: makeV2OutcomeStore(new DynamoDB(v2EndpointOptions()), tableName, merchantRiskTableName),
    codec: makeOutcomeCodec(),
    now: () => Date.now(),
    log: makeLogger("record-outcome"),
  });
}

export { v2DetectFraudFactory, v2NotifyTeamFactory, v2ProcessTransactionFactory, v2RecordOutcomeFactory };
