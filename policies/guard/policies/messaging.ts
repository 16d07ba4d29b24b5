/**
 * Policies on queues and topics: constraint 9, encryption with our key, TLS-only access.
 */
import * as aws from "@pulumi/aws";
import {
  type ResourceValidationPolicy,
  type StackValidationPolicy,
  validateResourceOfType,
} from "@pulumi/policy";
import {
  checkAlertsVisibility,
  checkQueueKey,
  checkTlsOnlyInStack,
  checkTopicKey,
} from "../checks/messaging";
import { ALERTS_QUEUE_SCHEMA, type AlertsQueueConfig, GUARD_DEFAULTS, withDefaults } from "../config";
import { reportEach, reportEachAt, subjectOf } from "./report";

const sqsAlertsVisibility: ResourceValidationPolicy = {
  name: "sqs-fraud-alerts-visibility-300",
  description: "The fraud-alerts SQS queue hides a received message for exactly 300 seconds.",
  configSchema: ALERTS_QUEUE_SCHEMA,
  validateResource: validateResourceOfType(aws.sqs.Queue, (queue, args, report) => {
    const config = withDefaults<AlertsQueueConfig>(
      GUARD_DEFAULTS.alertsQueue,
      args.getConfig<AlertsQueueConfig>(),
    );
    const matcher = { includes: config.queueNameIncludes, excludes: config.queueNameExcludes };
    reportEach(checkAlertsVisibility(subjectOf(args), queue, matcher), report);
  }),
};

const sqsKmsEncrypted: ResourceValidationPolicy = {
  name: "sqs-kms-encrypted",
  description:
    "Every SQS queue is encrypted with the stack's customer-managed KMS key, not an AWS-managed key.",
  validateResource: validateResourceOfType(aws.sqs.Queue, (queue, args, report) =>
    reportEach(checkQueueKey(subjectOf(args), queue), report),
  ),
};

const snsKmsEncrypted: ResourceValidationPolicy = {
  name: "sns-kms-encrypted",
  description:
    "Every SNS topic is encrypted with the stack's customer-managed KMS key, not an AWS-managed key.",
  validateResource: validateResourceOfType(aws.sns.Topic, (topic, args, report) =>
    reportEach(checkTopicKey(subjectOf(args), topic), report),
  ),
};

const queuesAndTopicsTlsOnly: StackValidationPolicy = {
  name: "sqs-sns-tls-only",
  description:
    "Every SQS queue and SNS topic has an access policy that denies any request not made over TLS.",
  validateStack: (args, report) => reportEachAt(checkTlsOnlyInStack(args.resources), report),
};

export { queuesAndTopicsTlsOnly, snsKmsEncrypted, sqsAlertsVisibility, sqsKmsEncrypted };
