import { ConditionalCheckFailedException, DynamoDBClient, UpdateItemCommand } from "@aws-sdk/client-dynamodb";
import { PublishCommand, SNSClient } from "@aws-sdk/client-sns";
import { marshall } from "@aws-sdk/util-dynamodb";
import type { SQSBatchResponse, SQSEvent } from "aws-lambda";
import { expect } from "chai";
import { notifyTeamFactory } from "../../pipeline/runtime/lambda/notify-team";
import type { NotifyHandler } from "../../pipeline/runtime/notify/handler";
import { fraudAlert, sqsEvent } from "../helpers/alerts";
import { type LoadedArtifact, loadArtifact, useEnv } from "../helpers/artifact";
import { useClientMock } from "../helpers/aws-mocks";
import { rejectionOf } from "../helpers/expect";
import { lambdaContext } from "../helpers/transactions";

const TABLE = "dynamodb-transactions-artifact";
const TOPIC_ARN = "arn:aws:sns:us-east-1:123456789012:sns-fraud-notifications-artifact";

describe("Function: notifyTeamFactory (serialized artifact)", () => {
  useEnv({
    TABLE_NAME: TABLE,
    TOPIC_ARN,
    AWS_REGION: "us-east-1",
    POWERTOOLS_LOG_LEVEL: "SILENT",
  });
  const ddb = useClientMock(DynamoDBClient);
  const sns = useClientMock(SNSClient);
  let artifact: LoadedArtifact<NotifyHandler>;

  before(async () => {
    artifact = await loadArtifact<NotifyHandler>(notifyTeamFactory);
  });

  after(() => {
    artifact?.dispose();
  });

  const invoke = (event: SQSEvent): Promise<SQSBatchResponse> =>
    artifact.handler(event, lambdaContext({ functionName: "lambda-notify-team-dev" }));

  it("exports an async (event, context) handler, not a callback-style one", () => {
    // Assess
    expect(typeof artifact.handler).to.equal("function");
    expect(artifact.handler.length).to.equal(2);
    expect(artifact.handler.constructor.name).to.equal("AsyncFunction");
  });

  it("captures no secrets, no Outputs, no configuration values and no @pulumi code", () => {
    // Assess
    expect(artifact.containsSecrets).to.equal(false);
    expect(artifact.text.includes(TOPIC_ARN)).to.equal(false);
    expect(artifact.text.includes(TABLE)).to.equal(false);
    expect(artifact.text).not.to.match(/@pulumi\/|OutputImpl|__pulumiOutput|isKnown/);
  });

  it("publishes new alerts, skips notified ones and fails malformed ones by message id", async () => {
    // Prepare
    const fresh = fraudAlert({ transaction_id: "tx-fresh" });
    const notified = fraudAlert({ transaction_id: "tx-notified" });
    ddb().on(UpdateItemCommand).resolves({});
    ddb()
      .on(UpdateItemCommand, {
        Key: marshall({ transaction_id: notified.transaction_id, timestamp: notified.timestamp }),
      })
      .rejects(
        new ConditionalCheckFailedException({
          $metadata: {},
          message: "The conditional request failed",
          Item: marshall({
            transaction_id: notified.transaction_id,
            timestamp: notified.timestamp,
            notified_at: 1,
          }),
        }),
      );
    sns().on(PublishCommand).resolves({ MessageId: "sns-1" });

    // Act
    const response = await invoke(sqsEvent([fresh, notified, "{not json"]));

    // Assess
    expect(response).to.deep.equal({ batchItemFailures: [{ itemIdentifier: "msg-3" }] });
    const publishes = sns()
      .commandCalls(PublishCommand)
      .map((call) => call.args[0].input);
    expect(publishes.length).to.equal(1);
    expect(publishes[0].TopicArn).to.equal(TOPIC_ARN);
    expect(publishes[0].Subject!).to.match(/tx-fresh/);
    const updates = ddb()
      .commandCalls(UpdateItemCommand)
      .map((call) => call.args[0].input);
    expect(updates.every((input) => input.TableName === TABLE)).to.be.ok;
    expect(updates.map((input) => input.UpdateExpression).sort()).to.deep.equal([
      "SET #lease = :leaseUntil",
      "SET #lease = :leaseUntil",
      "SET #notified = :now REMOVE #lease",
    ]);
  });

  it("releases the claim and fails the record when SNS rejects the publish", async () => {
    // Prepare
    ddb().on(UpdateItemCommand).resolves({});
    sns().on(PublishCommand).rejects(new Error("Service unavailable"));

    // Act
    const response = await invoke(sqsEvent([fraudAlert()]));

    // Assess
    expect(response).to.deep.equal({ batchItemFailures: [{ itemIdentifier: "msg-1" }] });
    expect(
      ddb()
        .commandCalls(UpdateItemCommand)
        .map((call) => call.args[0].input.UpdateExpression),
    ).to.deep.equal(["SET #lease = :leaseUntil", "REMOVE #lease"]);
  });
});

describe("Function: notifyTeamFactory (serialized artifact, missing configuration)", () => {
  useEnv({ TABLE_NAME: TABLE, TOPIC_ARN: undefined, AWS_REGION: "us-east-1" });

  it("fails the cold start with a ConfigurationError naming the variable", async () => {
    // Act + Assess
    expect(await rejectionOf(loadArtifact(notifyTeamFactory))).to.satisfy((err: Error) => {
      expect(err.name).to.equal("ConfigurationError");
      expect(err.message).to.match(/TOPIC_ARN/);
      return true;
    });
  });
});
