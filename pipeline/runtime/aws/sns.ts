/**
 * Notifier over SNS Publish (AWS SDK v3): the fraud-notifications topic, whose email
 * subscription delivers `subject` as the mail subject and `body` as the text.
 */
import { PublishCommand, type SNSClient } from "@aws-sdk/client-sns";
import type { Notifier } from "../ports";

interface SnsNotifierOptions {
  readonly client: SNSClient;
  readonly topicArn: string;
}

/**
 * Notifier that publishes each notification to one topic. Errors propagate: the caller
 * (notify-team) releases its claim and lets SQS redeliver. IAM: `sns:Publish` on the topic, plus
 * `kms:GenerateDataKey` and `kms:Decrypt` on the topic's key.
 *
 * @example
 * const notifier = makeSnsNotifier({ client: new SNSClient({}), topicArn });
 * await notifier.publish(formatAlert(alert));
 */
function makeSnsNotifier({ client, topicArn }: SnsNotifierOptions): Notifier {
  return {
    async publish(notification) {
      await client.send(
        new PublishCommand({ TopicArn: topicArn, Subject: notification.subject, Message: notification.body }),
      );
    },
  };
}

export type { SnsNotifierOptions };
export { makeSnsNotifier };
