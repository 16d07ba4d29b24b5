/** Identity policy of the role API Gateway uses to write the stage's access logs. */
import { type PolicyDocument, policyDocument } from "./document";

/** Inputs of {@link apiGatewayLogsPolicy}. */
interface ApiGatewayLogsPolicyArgs {
  readonly accountId: string;
  readonly region: string;
}

/**
 * Named log actions on the `/aws/apigateway/` log groups of this account and region (AWS's managed
 * AmazonAPIGatewayPushToCloudWatchLogs grants them on every log group).
 *
 * Scoping to the stack's own access log group is not enough, for two reasons:
 * - When `aws.apigateway.Account` sets the role, API Gateway checks it by assuming it and writing
 *   to the `/aws/apigateway/welcome` log group (creating it). If the role cannot, the update fails
 *   with "The role ARN does not have required permissions configured".
 * - The role is the account's setting for the whole region, used by every REST API stage there
 *   (every stack's access log group is `/aws/apigateway/apigw-...`).
 * DescribeLogGroups supports no resource narrower than the account's log groups.
 *
 * @example
 * const doc = apiGatewayLogsPolicy({ accountId: "123456789012", region: "us-east-1" });
 */
function apiGatewayLogsPolicy({ accountId, region }: ApiGatewayLogsPolicyArgs): PolicyDocument {
  const logGroups = `arn:aws:logs:${region}:${accountId}:log-group:`;
  return policyDocument([
    {
      Sid: "ListLogGroups",
      Effect: "Allow",
      Action: ["logs:DescribeLogGroups"],
      Resource: `${logGroups}*`,
    },
    {
      Sid: "WriteApiGatewayLogs",
      Effect: "Allow",
      Action: ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:DescribeLogStreams", "logs:PutLogEvents"],
      // Matches the groups, their `:*` form and their streams (`<group>:log-stream:<name>`).
      Resource: `${logGroups}/aws/apigateway/*`,
    },
  ]);
}

export type { ApiGatewayLogsPolicyArgs };
export { apiGatewayLogsPolicy };
