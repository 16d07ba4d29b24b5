/**
 * API Gateway access logging. API Gateway refuses a stage with access logging unless the
 * *account-level* setting names a CloudWatch role it can assume. That setting
 * (aws.apigateway.Account) is one per account and region and serves every REST API there, so the
 * stack sets it only when `manageApiGatewayAccountRole` is on, gives the role AWS's managed
 * push-to-CloudWatch policy (what API Gateway needs for any API of the region, including the
 * `/aws/apigateway/welcome` group it writes when the setting changes), and keeps both on destroy:
 * deleting them would stop the logging of every other API in the region.
 */
import * as aws from "@pulumi/aws";
import { serviceTrustPolicy } from "../../policies/iam/trust";
import { jsonSafeTemplate } from "./gateway-variables";
import { encryptedLogGroup } from "./logs";
import type { Scope } from "./scope";

/** The AWS-managed policy AWS documents for API Gateway's CloudWatch role. */
const API_GATEWAY_LOGS_POLICY_ARN =
  "arn:aws:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs";

/**
 * Access log line: ids and outcomes only, no payloads or client addresses, and only variables that
 * keep the line JSON whatever the request held (a rejected body shows as errorType
 * BAD_REQUEST_BODY; its fields are not logged). The X-Ray trace id is left out: a client can send
 * its own trace header.
 */
const ACCESS_LOG_FORMAT = jsonSafeTemplate(
  JSON.stringify({
    requestId: "$context.requestId",
    extendedRequestId: "$context.extendedRequestId",
    apiKeyId: "$context.identity.apiKeyId",
    requestTime: "$context.requestTimeEpoch",
    httpMethod: "$context.httpMethod",
    resourcePath: "$context.resourcePath",
    status: "$context.status",
    responseLatency: "$context.responseLatency",
    integrationStatus: "$context.integration.status",
    integrationLatency: "$context.integration.latency",
    errorType: "$context.error.responseType",
  }),
);

interface ApiLogging {
  readonly logGroup: aws.cloudwatch.LogGroup;
  /** The region's CloudWatch role setting, absent when the stack does not manage it. */
  readonly account?: aws.apigateway.Account;
}

/**
 * Creates the access log group and, when `manageAccountRole`, the CloudWatch role API Gateway
 * assumes and the account setting that names it, both retained on destroy.
 *
 * @example
 * const { logGroup, account } = createApiLogging(scope, key.arn, { manageAccountRole: true });
 */
function createApiLogging(
  scope: Scope,
  keyArn: aws.kms.Key["arn"],
  { manageAccountRole }: { manageAccountRole: boolean },
): ApiLogging {
  const { names } = scope;
  const logGroup = encryptedLogGroup(scope, "fraud-api-access", names.apiAccessLogGroup, keyArn);
  if (!manageAccountRole) return { logGroup };
  const kept = { ...scope.opts, retainOnDelete: true };
  const role = new aws.iam.Role(
    "apigateway-logs",
    {
      name: names.apiLogsRole,
      assumeRolePolicy: JSON.stringify(serviceTrustPolicy("apigateway.amazonaws.com")),
      tags: scope.tags,
    },
    kept,
  );
  const attachment = new aws.iam.RolePolicyAttachment(
    "apigateway-logs",
    { role: role.name, policyArn: API_GATEWAY_LOGS_POLICY_ARN },
    kept,
  );
  const account = new aws.apigateway.Account(
    "apigateway-logs",
    { cloudwatchRoleArn: role.arn },
    // API Gateway checks the role by using it when the setting changes.
    { ...kept, dependsOn: [attachment] },
  );
  return { logGroup, account };
}

export { ACCESS_LOG_FORMAT, createApiLogging };
