/** Alert delivery: the fraud-alerts queue and its DLQ, the stream-failure DLQ, and the notification topic. */
import * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";
import { queueTlsOnlyPolicy, topicTlsOnlyPolicy } from "../../policies/iam/transport";
import type { Scope } from "./scope";

/** notify-team's timeout is 50 s; AWS asks for a visibility timeout of at least 6x the consumer's timeout. */
const ALERT_VISIBILITY_TIMEOUT_SECONDS = 300;
const MAX_RECEIVE_COUNT = 5;
const DLQ_RETENTION_SECONDS = 14 * 24 * 60 * 60;

interface Alerts {
  readonly alertQueue: aws.sqs.Queue;
  readonly alertDlq: aws.sqs.Queue;
  readonly streamFailureQueue: aws.sqs.Queue;
  readonly topic: aws.sns.Topic;
}

function encryptedQueue(
  scope: Scope,
  logicalName: string,
  args: aws.sqs.QueueArgs & { name: string },
): aws.sqs.Queue {
  const queue = new aws.sqs.Queue(logicalName, { ...args, tags: scope.tags }, scope.opts);
  new aws.sqs.QueuePolicy(
    logicalName,
    { queueUrl: queue.url, policy: queue.arn.apply((arn) => JSON.stringify(queueTlsOnlyPolicy(arn))) },
    scope.opts,
  );
  return queue;
}

/**
 * Creates the queues and the topic, all encrypted with the pipeline key and refusing non-TLS
 * requests, and subscribes the alert address to the topic (AWS emails a confirmation link).
 *
 * @example
 * const alerts = createAlerts(scope, key.arn, "fraud-team@example.com");
 */
function createAlerts(scope: Scope, keyArn: pulumi.Input<string>, alertEmail: string): Alerts {
  const { names } = scope;
  const alertDlq = encryptedQueue(scope, "fraud-alerts-dlq", {
    name: names.alertDlq,
    kmsMasterKeyId: keyArn,
    messageRetentionSeconds: DLQ_RETENTION_SECONDS,
  });
  const alertQueue = encryptedQueue(scope, "fraud-alerts", {
    name: names.alertQueue,
    kmsMasterKeyId: keyArn,
    visibilityTimeoutSeconds: ALERT_VISIBILITY_TIMEOUT_SECONDS,
    redrivePolicy: alertDlq.arn.apply((deadLetterTargetArn) =>
      JSON.stringify({ deadLetterTargetArn, maxReceiveCount: MAX_RECEIVE_COUNT }),
    ),
  });
  const streamFailureQueue = encryptedQueue(scope, "stream-failures", {
    name: names.streamFailureQueue,
    kmsMasterKeyId: keyArn,
    messageRetentionSeconds: DLQ_RETENTION_SECONDS,
  });

  const topic = new aws.sns.Topic(
    "fraud-notifications",
    { name: names.topic, kmsMasterKeyId: keyArn, tags: scope.tags },
    scope.opts,
  );
  new aws.sns.TopicPolicy(
    "fraud-notifications",
    { arn: topic.arn, policy: topic.arn.apply((arn) => JSON.stringify(topicTlsOnlyPolicy(arn))) },
    scope.opts,
  );
  new aws.sns.TopicSubscription(
    "fraud-notifications-email",
    { topic: topic.arn, protocol: "email", endpoint: alertEmail },
    scope.opts,
  );
  return { alertQueue, alertDlq, streamFailureQueue, topic };
}

export type { Alerts };
export { ALERT_VISIBILITY_TIMEOUT_SECONDS, createAlerts };
