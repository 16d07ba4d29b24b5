/**
 * Resource policy of the ops alarm topic: this account's CloudWatch alarms may publish to it, and
 * nobody may publish without TLS.
 */
import { type PolicyDocument, policyDocument } from "./document";
import { topicTlsOnlyPolicy } from "./transport";

/** Inputs of {@link opsTopicPolicy}. */
interface OpsTopicPolicyArgs {
  readonly topicArn: string;
  readonly accountId: string;
  readonly region: string;
}

/**
 * The ops topic policy: CloudWatch may publish only on behalf of an alarm of this account and
 * region (the conditions stop another account's alarm from using the topic), plus the TLS-only
 * Deny every queue and topic of the stack carries.
 *
 * @example
 * const policy = JSON.stringify(opsTopicPolicy({ topicArn, accountId: "123456789012", region: "us-east-1" }));
 */
function opsTopicPolicy({ topicArn, accountId, region }: OpsTopicPolicyArgs): PolicyDocument {
  return policyDocument([
    {
      Sid: "CloudWatchAlarmsPublish",
      Effect: "Allow",
      Principal: { Service: "cloudwatch.amazonaws.com" },
      Action: ["sns:Publish"],
      Resource: topicArn,
      Condition: {
        StringEquals: { "aws:SourceAccount": accountId },
        ArnLike: { "aws:SourceArn": `arn:aws:cloudwatch:${region}:${accountId}:alarm:*` },
      },
    },
    ...topicTlsOnlyPolicy(topicArn).Statement,
  ]);
}

export type { OpsTopicPolicyArgs };
export { opsTopicPolicy };
