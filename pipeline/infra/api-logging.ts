/**
 * API Gateway access logging. API Gateway refuses a stage with access logging unless the
 * *account-level* setting names a CloudWatch role it can assume, so the stack sets that regional
 * account setting (aws.apigateway.Account) to a role that writes API Gateway's log groups.
 * The setting is one per account and region: the last stack deployed wins, and every REST API
 * stage of the region logs through that role, so it writes the `/aws/apigateway/` log groups
 * (API Gateway also checks the role by writing `/aws/apigateway/welcome` when the setting changes).
 */
import * as aws from "@pulumi/aws";
import { apiGatewayLogsPolicy } from "../../policies/iam/apigateway-logs";
import { serviceTrustPolicy } from "../../policies/iam/trust";
import { jsonSafeTemplate } from "./gateway-variables";
import { encryptedLogGroup } from "./logs";
import { REGION, type Scope } from "./scope";

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
  readonly account: aws.apigateway.Account;
}

/**
 * Creates the access log group, the CloudWatch role API Gateway assumes, and the account setting.
 *
 * @example
 * const { logGroup, account } = createApiLogging(scope, key.arn);
 */
function createApiLogging(scope: Scope, keyArn: aws.kms.Key["arn"]): ApiLogging {
  const { names } = scope;
  const logGroup = encryptedLogGroup(scope, "fraud-api-access", names.apiAccessLogGroup, keyArn);
  const role = new aws.iam.Role(
    "apigateway-logs",
    {
      name: names.apiLogsRole,
      assumeRolePolicy: JSON.stringify(serviceTrustPolicy("apigateway.amazonaws.com")),
      tags: scope.tags,
    },
    scope.opts,
  );
  const rolePolicy = new aws.iam.RolePolicy(
    "apigateway-logs",
    {
      name: names.apiLogsRolePolicy,
      role: role.id,
      policy: scope.accountId.apply((accountId) =>
        JSON.stringify(apiGatewayLogsPolicy({ accountId, region: REGION })),
      ),
    },
    scope.opts,
  );
  const account = new aws.apigateway.Account(
    "apigateway-logs",
    { cloudwatchRoleArn: role.arn },
    { ...scope.opts, dependsOn: [rolePolicy] },
  );
  return { logGroup, account };
}

export { ACCESS_LOG_FORMAT, createApiLogging };
