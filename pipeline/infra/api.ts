/**
 * The public entry point: a regional REST API defined by an OpenAPI body, its deployment and
 * stage, API key with usage plan, and the permission for API Gateway to invoke process-transaction.
 */
import { createHash } from "node:crypto";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { API_DAILY_QUOTA, API_THROTTLE } from "./api-limits";
import { ACCESS_LOG_FORMAT, createApiLogging } from "./api-logging";
import { transactionApiDefinition } from "./openapi";
import type { Scope } from "./scope";

interface ApiDeps {
  readonly processFunction: aws.lambda.Function;
  readonly keyArn: aws.kms.Key["arn"];
}

interface Api {
  readonly restApi: aws.apigateway.RestApi;
  readonly stage: aws.apigateway.Stage;
  readonly apiKey: aws.apigateway.ApiKey;
  /** Full URL of POST /transactions. */
  readonly transactionsUrl: pulumi.Output<string>;
}

function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

/**
 * Creates the API and everything a client needs to call it.
 *
 * @example
 * const api = createApi(scope, { processFunction: functions.process.fn, keyArn: key.arn });
 */
function createApi(scope: Scope, { processFunction, keyArn }: ApiDeps): Api {
  const { names, opts, tags } = scope;
  const body = processFunction.invokeArn.apply((processInvokeArn) =>
    JSON.stringify(transactionApiDefinition({ title: names.api, processInvokeArn })),
  );
  const restApi = new aws.apigateway.RestApi(
    "fraud-api",
    {
      name: names.api,
      description: "Fraud pipeline: submit transactions for analysis",
      body,
      apiKeySource: "HEADER",
      endpointConfiguration: { types: "REGIONAL" },
      tags,
    },
    opts,
  );
  new aws.lambda.Permission(
    "fraud-api-invoke-process",
    {
      statementId: names.apiInvokePermission,
      action: "lambda:InvokeFunction",
      function: processFunction.name,
      principal: "apigateway.amazonaws.com",
      sourceArn: pulumi.interpolate`${restApi.executionArn}/*/POST/transactions`,
    },
    // The statement id is fixed, so a replacement must remove the old statement first.
    { ...opts, deleteBeforeReplace: true },
  );
  // A deployment snapshots the API; it is replaced whenever the body changes. Pulumi's default
  // create-before-delete replacement is what the stage needs: the stage moves to the new
  // deployment before the old one (which the stage still references) is deleted.
  const deployment = new aws.apigateway.Deployment(
    "fraud-api",
    {
      restApi: restApi.id,
      description: "POST /transactions",
      triggers: { redeployment: body.apply(sha256) },
    },
    opts,
  );
  const logging = createApiLogging(scope, keyArn);
  const stage = new aws.apigateway.Stage(
    "fraud-api",
    {
      restApi: restApi.id,
      deployment: deployment.id,
      stageName: names.apiStage,
      xrayTracingEnabled: true,
      accessLogSettings: { destinationArn: logging.logGroup.arn, format: ACCESS_LOG_FORMAT },
      tags,
    },
    { ...opts, dependsOn: [logging.account] },
  );
  new aws.apigateway.MethodSettings(
    "fraud-api",
    {
      restApi: restApi.id,
      stageName: stage.stageName,
      methodPath: "*/*",
      settings: {
        metricsEnabled: true,
        throttlingRateLimit: API_THROTTLE.rateLimit,
        throttlingBurstLimit: API_THROTTLE.burstLimit,
      },
    },
    opts,
  );
  const usagePlan = new aws.apigateway.UsagePlan(
    "fraud-api",
    {
      name: names.usagePlan,
      apiStages: [{ apiId: restApi.id, stage: stage.stageName }],
      throttleSettings: API_THROTTLE,
      quotaSettings: { limit: API_DAILY_QUOTA, period: "DAY" },
      tags,
    },
    opts,
  );
  const apiKey = new aws.apigateway.ApiKey("fraud-api", { name: names.apiKey, enabled: true, tags }, opts);
  new aws.apigateway.UsagePlanKey(
    "fraud-api",
    { keyId: apiKey.id, keyType: "API_KEY", usagePlanId: usagePlan.id },
    opts,
  );
  return { restApi, stage, apiKey, transactionsUrl: pulumi.interpolate`${stage.invokeUrl}/transactions` };
}

export type { Api };
export { createApi };
