import { AuthorizationErrorException, PublishCommand, SNSClient } from "@aws-sdk/client-sns";
import { expect } from "chai";
import { makeSnsNotifier } from "../../pipeline/runtime/aws/sns";
import { useClientMock } from "../helpers/aws-mocks";
import { rejectionOf } from "../helpers/expect";

const TOPIC_ARN = "arn:aws:sns:us-east-1:123456789012:sns-fraud-notifications-dev";
const notification = {
  subject: "Fraud alert: transaction tx-1 scored 85",
  body: "details",
  transactionId: "tx-1",
};

describe("Function: makeSnsNotifier", () => {
  const sns = useClientMock(SNSClient);

  it("publishes the subject and body to the topic", async () => {
    // Prepare
    sns().on(PublishCommand).resolves({ MessageId: "m-1" });
    const notifier = makeSnsNotifier({ client: new SNSClient({}), topicArn: TOPIC_ARN });

    // Act
    await notifier.publish(notification);

    // Assess
    const calls = sns().commandCalls(PublishCommand);
    expect(calls.length).to.equal(1);
    expect(calls[0].args[0].input).to.deep.equal({
      TopicArn: TOPIC_ARN,
      Subject: notification.subject,
      Message: notification.body,
    });
  });

  it("lets a publish failure propagate", async () => {
    // Prepare
    const denied = new AuthorizationErrorException({
      $metadata: {},
      message: "not authorized to perform SNS:Publish",
    });
    sns().on(PublishCommand).rejects(denied);
    const notifier = makeSnsNotifier({ client: new SNSClient({}), topicArn: TOPIC_ARN });

    // Act + Assess
    expect(await rejectionOf(notifier.publish(notification))).to.satisfy((err: unknown) => err === denied);
  });
});
