/**
 * The whole pipeline as one component: API -> process-transaction -> table stream -> detect-fraud
 * -> alert queue -> notify-team -> topic, and API -> record-outcome -> table and merchant-risk
 * table (which detect-fraud reads), all encrypted with one customer-managed key.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { createAlerts } from "./alerts";
import { createApi } from "./api";
import { concurrencyQuotaCheck } from "./concurrency";
import type { PipelineConfig } from "./config";
import { createEncryption } from "./encryption";
import { createFunctions } from "./functions";
import { physicalNames, TAGS } from "./naming";
import { createOperations } from "./operations";
import { REGION, type Scope } from "./scope";
import { createMerchantRiskTable, createTransactionTable } from "./storage";
import { createTriggers } from "./triggers";
import { createWaf } from "./waf";

/** Everything a client or an operator reads from the stack. */
class FraudPipeline extends pulumi.ComponentResource {
  /** Full URL of POST /transactions. */
  public readonly apiUrl: pulumi.Output<string>;
  /** Full URL of POST /transactions/outcomes. */
  public readonly outcomesUrl: pulumi.Output<string>;
  /** Value to send in the `x-api-key` header (secret). */
  public readonly apiKey: pulumi.Output<string>;
  /** With `apiAuth` "iam": the policy document a caller's role attaches to invoke the routes. */
  public readonly apiInvokePolicy?: pulumi.Output<string>;
  public readonly tableName: pulumi.Output<string>;
  public readonly tableStreamArn: pulumi.Output<string>;
  public readonly merchantRiskTableName: pulumi.Output<string>;
  public readonly alertQueueUrl: pulumi.Output<string>;
  public readonly alertDlqUrl: pulumi.Output<string>;
  public readonly topicArn: pulumi.Output<string>;
  public readonly kmsKeyArn: pulumi.Output<string>;
  public readonly processFunctionName: pulumi.Output<string>;
  public readonly detectFunctionName: pulumi.Output<string>;
  public readonly notifyFunctionName: pulumi.Output<string>;
  public readonly recordFunctionName: pulumi.Output<string>;
  /** Topic the CloudWatch alarms notify. */
  public readonly opsTopicArn: pulumi.Output<string>;

  /**
   * @example
   * const pipeline = new FraudPipeline("fraud-pipeline", readPipelineConfig());
   */
  constructor(name: string, config: PipelineConfig, opts?: pulumi.ComponentResourceOptions) {
    super("fraud-pipeline:index:FraudPipeline", name, {}, opts);
    const provider = new aws.Provider(
      `aws-${REGION}`,
      { region: REGION, defaultTags: { tags: { ...TAGS } } },
      { parent: this },
    );
    const lookups = { parent: this, provider };
    const scope: Scope = {
      names: physicalNames(config.environmentSuffix),
      tags: { ...TAGS },
      // No resource is registered before the account's concurrency quota is known to suffice.
      opts: { ...lookups, dependsOn: concurrencyQuotaCheck(lookups, config.reservedConcurrency) },
      accountId: aws.getCallerIdentityOutput({}, lookups).accountId,
    };
    const { key } = createEncryption(scope, { waf: config.waf !== undefined });
    const table = createTransactionTable(scope, key.arn);
    const merchantRiskTable = createMerchantRiskTable(scope, key.arn);
    const alerts = createAlerts(scope, key.arn, config.alertEmail);
    const functions = createFunctions(scope, {
      keyArn: key.arn,
      table,
      merchantRiskTable,
      alerts,
      reservedConcurrency: config.reservedConcurrency,
      ...(config.fraudRulesJson === undefined ? {} : { fraudRulesJson: config.fraudRulesJson }),
      ...(config.fraudModel === undefined ? {} : { fraudModel: config.fraudModel }),
    });
    createTriggers(scope, { table, alerts, functions, reservedConcurrency: config.reservedConcurrency });
    const api = createApi(scope, {
      processFunction: functions.process.fn,
      recordFunction: functions.record.fn,
      keyArn: key.arn,
      manageApiGatewayAccountRole: config.manageApiGatewayAccountRole,
      auth: config.apiAuth,
    });
    if (config.waf !== undefined) {
      createWaf(scope, { stage: api.stage, keyArn: key.arn, rateLimit: config.waf.rateLimit });
    }
    const operations = createOperations(scope, {
      keyArn: key.arn,
      alerts,
      functions,
      api,
      ...(config.opsEmail === undefined ? {} : { opsEmail: config.opsEmail }),
    });

    this.apiUrl = api.transactionsUrl;
    this.outcomesUrl = api.outcomesUrl;
    this.apiKey = pulumi.secret(api.apiKey.value);
    if (api.invokePolicy !== undefined) this.apiInvokePolicy = api.invokePolicy;
    this.tableName = table.name;
    this.tableStreamArn = table.streamArn;
    this.merchantRiskTableName = merchantRiskTable.name;
    this.alertQueueUrl = alerts.alertQueue.url;
    this.alertDlqUrl = alerts.alertDlq.url;
    this.topicArn = alerts.topic.arn;
    this.kmsKeyArn = key.arn;
    this.processFunctionName = functions.process.fn.name;
    this.detectFunctionName = functions.detect.fn.name;
    this.notifyFunctionName = functions.notify.fn.name;
    this.recordFunctionName = functions.record.fn.name;
    this.opsTopicArn = operations.opsTopic.arn;
    this.registerOutputs({
      apiUrl: this.apiUrl,
      outcomesUrl: this.outcomesUrl,
      apiKey: this.apiKey,
      apiInvokePolicy: this.apiInvokePolicy,
      tableName: this.tableName,
      tableStreamArn: this.tableStreamArn,
      merchantRiskTableName: this.merchantRiskTableName,
      alertQueueUrl: this.alertQueueUrl,
      alertDlqUrl: this.alertDlqUrl,
      topicArn: this.topicArn,
      kmsKeyArn: this.kmsKeyArn,
      processFunctionName: this.processFunctionName,
      detectFunctionName: this.detectFunctionName,
      notifyFunctionName: this.notifyFunctionName,
      recordFunctionName: this.recordFunctionName,
      opsTopicArn: this.opsTopicArn,
    });
  }
}

export { FraudPipeline };
