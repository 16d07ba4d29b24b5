/**
 * The public entry point: a regional REST API defined by an OpenAPI body, its deployment and
 * stage, API key with usage plan (in both `apiAuth` modes), the permissions for API Gateway to
 * invoke each route's function (process-transaction, record-outcome) and, with `apiAuth` "iam",
 * the identity policy a caller's role attaches to sign requests to the stage's routes.
 */
import { createHash } from "node:crypto";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { apiInvokePolicy } from "../../policies/iam/api-invoke";
import { API_DAILY_QUOTA, API_THROTTLE } from "./api-limits";
import { ACCESS_LOG_FORMAT, createApiLogging } from "./api-logging";
import type { ApiAuth } from "./config";
import { API_ROUTES, type ApiRoute, apiDefinition } from "./openapi";
import type { Scope } from "./scope";

interface ApiDeps {
  readonly processFunction: aws.lambda.Function;
  readonly recordFunction: aws.lambda.Function;
  readonly keyArn: aws.kms.Key["arn"];
  /** Whether the stack sets the region's API Gateway CloudWatch role. */
  readonly manageApiGatewayAccountRole: boolean;
  readonly auth: ApiAuth;
}

interface Api {
  readonly restApi: aws.apigateway.RestApi;
  readonly stage: aws.apigateway.Stage;
  readonly apiKey: aws.apigateway.ApiKey;
  /** Full URL of POST /transactions. */
  readonly transactionsUrl: pulumi.Output<string>;
  /** Full URL of POST /transactions/outcomes. */
  readonly outcomesUrl: pulumi.Output<string>;
  /** With `apiAuth` "iam": the JSON policy document a caller's role attaches to invoke the routes. */
  readonly invokePolicy?: pulumi.Output<string>;
}

function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

/** One route's method and path as they appear in an execute-api ARN: `POST/transactions`. */
function methodPath(route: ApiRoute): string {
  return `${API_ROUTES[route].method}${API_ROUTES[route].path}`;
}

/**
 * JSON of the policy allowing `execute-api:Invoke` on each route of this API's stage, and nothing else.
 *
 * @example
 * const invokePolicy = invokePolicyJson(restApi, stage);
 */
function invokePolicyJson(
  restApi: aws.apigateway.RestApi,
  stage: aws.apigateway.Stage,
): pulumi.Output<string> {
  const routes = Object.keys(API_ROUTES) as ApiRoute[];
  return pulumi
    .all([restApi.executionArn, stage.stageName])
    .apply(([executionArn, stageName]) =>
      JSON.stringify(
        apiInvokePolicy(routes.map((route) => `${executionArn}/${stageName}/${methodPath(route)}`)),
      ),
    );
}

/** Lets API Gateway invoke `fn` for this API's `route` only. */
function invokePermission(
  scope: Scope,
  logicalName: string,
  statementId: string,
  fn: aws.lambda.Function,
  { restApi, route }: { restApi: aws.apigateway.RestApi; route: ApiRoute },
): aws.lambda.Permission {
  return new aws.lambda.Permission(
    logicalName,
    {
      statementId,
      action: "lambda:InvokeFunction",
      function: fn.name,
      principal: "apigateway.amazonaws.com",
      sourceArn: pulumi.interpolate`${restApi.executionArn}/*/${methodPath(route)}`,
    },
    // The statement id is fixed, so a replacement must remove the old statement first.
    { ...scope.opts, deleteBeforeReplace: true },
  );
}

/**
 * Creates the API and everything a client needs to call it.
 *
 * @example
 * const api = createApi(scope, { processFunction: functions.process.fn, recordFunction: functions.record.fn, keyArn: key.arn, manageApiGatewayAccountRole: true, auth: "iam" });
 */
function createApi(
  scope: Scope,
  { processFunction, recordFunction, keyArn, manageApiGatewayAccountRole, auth }: ApiDeps,
): Api {
  const { names, opts, tags } = scope;
  const body = pulumi
    .output({ transactions: processFunction.invokeArn, outcomes: recordFunction.invokeArn })
    .apply((invokeArns) => JSON.stringify(apiDefinition({ title: names.api, invokeArns, auth })));
  const restApi = new aws.apigateway.RestApi(
    "fraud-api",
    {
      name: names.api,
      description: "Fraud pipeline: submit transactions for analysis and report their outcomes",
      body,
      apiKeySource: "HEADER",
      endpointConfiguration: { types: "REGIONAL" },
      tags,
    },
    opts,
  );
  invokePermission(scope, "fraud-api-invoke-process", names.apiInvokePermission, processFunction, {
    restApi,
    route: "transactions",
  });
  invokePermission(scope, "fraud-api-invoke-record", names.outcomesInvokePermission, recordFunction, {
    restApi,
    route: "outcomes",
  });
  // A deployment snapshots the API; it is replaced whenever the body changes. Pulumi's default
  // create-before-delete replacement is what the stage needs: the stage moves to the new
  // deployment before the old one (which the stage still references) is deleted.
  const deployment = new aws.apigateway.Deployment(
    "fraud-api",
    {
      restApi: restApi.id,
      description: (Object.keys(API_ROUTES) as ApiRoute[])
        .map((route) => `${API_ROUTES[route].method} ${API_ROUTES[route].path}`)
        .join(", "),
      triggers: { redeployment: body.apply(sha256) },
    },
    opts,
  );
  const logging = createApiLogging(scope, keyArn, { manageAccountRole: manageApiGatewayAccountRole });
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
    // Access logging needs the account's CloudWatch role set first.
    logging.account === undefined ? opts : { ...opts, dependsOn: [logging.account] },
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
  return {
    restApi,
    stage,
    apiKey,
    transactionsUrl: pulumi.interpolate`${stage.invokeUrl}${API_ROUTES.transactions.path}`,
    outcomesUrl: pulumi.interpolate`${stage.invokeUrl}${API_ROUTES.outcomes.path}`,
    ...(auth === "iam" ? { invokePolicy: invokePolicyJson(restApi, stage) } : {}),
  };
}

export type { Api };
export { createApi };
