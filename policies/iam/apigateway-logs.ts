/** Identity policy of the role API Gateway uses to write the stage's access logs. */
import { type PolicyDocument, policyDocument } from "./document";

/**
 * Named log actions on the access log group only (AWS's managed
 * AmazonAPIGatewayPushToCloudWatchLogs grants the same actions on every log group).
 *
 * @example
 * const doc = apiGatewayLogsPolicy({ logGroupArn: accessLogGroup.arn });
 */
function apiGatewayLogsPolicy({ logGroupArn }: { readonly logGroupArn: string }): PolicyDocument {
  return policyDocument([
    {
      Sid: "DescribeAccessLogGroup",
      Effect: "Allow",
      Action: ["logs:DescribeLogGroups", "logs:DescribeLogStreams"],
      Resource: [logGroupArn, `${logGroupArn}:*`],
    },
    {
      Sid: "WriteAccessLogs",
      Effect: "Allow",
      Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
      Resource: `${logGroupArn}:*`,
    },
  ]);
}

export { apiGatewayLogsPolicy };
