/** Least-privilege identity policy of the notify-team function. */
import { UPDATE_ACCESS } from "../../pipeline/runtime/aws/update-access";
import { type PolicyDocument, policyDocument } from "./document";
import { attributeScopedUpdate } from "./dynamodb-update";
import { type FunctionBaseArns, sharedFunctionStatements } from "./lambda-shared";

/** Resource ARNs notify-team touches. */
interface NotifyTeamArns extends FunctionBaseArns {
  readonly tableArn: string;
  readonly alertQueueArn: string;
  readonly topicArn: string;
}

/**
 * notify-team consumes the alert queue (through its event source mapping, which runs with this
 * role), records the notification on the item (its lease and confirmation attributes only), and
 * publishes to the CMK-encrypted topic.
 *
 * @example
 * const doc = notifyTeamPolicy({ tableArn, alertQueueArn, topicArn, keyArn, logGroupArn });
 */
function notifyTeamPolicy(arns: NotifyTeamArns): PolicyDocument {
  return policyDocument([
    ...sharedFunctionStatements(arns),
    {
      Sid: "ConsumeAlerts",
      Effect: "Allow",
      Action: [
        "sqs:ReceiveMessage",
        "sqs:DeleteMessage",
        "sqs:GetQueueAttributes",
        "sqs:ChangeMessageVisibility",
      ],
      Resource: arns.alertQueueArn,
    },
    {
      Sid: "PublishNotifications",
      Effect: "Allow",
      Action: ["sns:Publish"],
      Resource: arns.topicArn,
    },
    attributeScopedUpdate("RecordNotification", arns.tableArn, UPDATE_ACCESS.notification),
    {
      Sid: "UseKeyForQueueAndTopic",
      Effect: "Allow",
      Action: ["kms:Decrypt", "kms:GenerateDataKey"],
      Resource: arns.keyArn,
    },
  ]);
}

export type { NotifyTeamArns };
export { notifyTeamPolicy };
