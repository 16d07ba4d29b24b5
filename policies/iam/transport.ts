/** Resource policies that refuse any request not made over TLS. */
import { type PolicyDocument, policyDocument } from "./document";

const insecureTransport = { Bool: { "aws:SecureTransport": "false" } } as const;

/**
 * Queue policy denying every SQS action to every principal over plain HTTP. A Deny with a
 * service-wide action is deliberate: it must cover every current and future SQS action.
 *
 * @example
 * new aws.sqs.QueuePolicy("alerts", { queueUrl, policy: JSON.stringify(queueTlsOnlyPolicy(queueArn)) });
 */
function queueTlsOnlyPolicy(queueArn: string): PolicyDocument {
  return policyDocument([
    {
      Sid: "DenyInsecureTransport",
      Effect: "Deny",
      Principal: "*",
      Action: ["sqs:*"],
      Resource: queueArn,
      Condition: insecureTransport,
    },
  ]);
}

/**
 * Topic policy denying publish to every principal over plain HTTP.
 *
 * @example
 * new aws.sns.TopicPolicy("notifications", { arn: topicArn, policy: JSON.stringify(topicTlsOnlyPolicy(topicArn)) });
 */
function topicTlsOnlyPolicy(topicArn: string): PolicyDocument {
  return policyDocument([
    {
      Sid: "DenyInsecurePublish",
      Effect: "Deny",
      Principal: "*",
      Action: ["sns:Publish"],
      Resource: topicArn,
      Condition: insecureTransport,
    },
  ]);
}

export { queueTlsOnlyPolicy, topicTlsOnlyPolicy };
