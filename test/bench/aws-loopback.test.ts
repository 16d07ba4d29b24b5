import {
  BatchGetItemCommand,
  DescribeTableCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  TransactionCanceledException,
  TransactWriteItemsCommand,
  UpdateItemCommand,
} from "@aws-sdk/client-dynamodb";
import { PublishCommand, SNSClient } from "@aws-sdk/client-sns";
import { SendMessageBatchCommand, SendMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import { marshall } from "@aws-sdk/util-dynamodb";
import { DynamoDB, SNS, SQS } from "aws-sdk";
import { assert, expect } from "chai";
import { rejectionOf } from "../helpers/expect";
import { useAwsLoopback } from "../helpers/loopback";

const TABLE = "dynamodb-transactions-loopback";
const TOPIC_ARN = "arn:aws:sns:us-east-1:123456789012:sns-fraud-notifications-loopback";

// aws-sdk v2 prints an end-of-support notice on a timer after it loads (here, at import); Lambda
// never prints it, and it would only clutter the test output.
process.env.AWS_SDK_JS_SUPPRESS_MAINTENANCE_MODE_MESSAGE = "1";

describe("Function: startAwsLoopback (with the real SDK v3 clients, and v2's)", () => {
  const aws = useAwsLoopback();
  const client = <C>(make: new (config: { maxAttempts: number }) => C) => new make({ maxAttempts: 1 });
  const key = { transaction_id: "tx-1", timestamp: 1_764_000_000_000 };

  it("listens on 127.0.0.1 only", () => {
    // Assess
    expect(aws().endpoint).to.match(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it("stores a PutItem and finds it by GetItem and BatchGetItem, logging each request", async () => {
    // Prepare
    const ddb = client(DynamoDBClient);
    const item = marshall({ ...key, amount: 1_250 });

    // Act
    await ddb.send(new PutItemCommand({ TableName: TABLE, Item: item }));
    const got = await ddb.send(new GetItemCommand({ TableName: TABLE, Key: marshall(key) }));
    const missing = await ddb.send(
      new GetItemCommand({ TableName: TABLE, Key: marshall({ ...key, transaction_id: "tx-2" }) }),
    );
    const batch = await ddb.send(
      new BatchGetItemCommand({ RequestItems: { [TABLE]: { Keys: [marshall(key)] } } }),
    );

    // Assess
    expect(got.Item).to.deep.equal(item);
    expect(missing.Item).to.equal(undefined);
    expect(batch.Responses?.[TABLE]).to.deep.equal([item]);
    expect(aws().requests.map((r) => `${r.service} ${r.operation}`)).to.deep.equal([
      "dynamodb PutItem",
      "dynamodb GetItem",
      "dynamodb GetItem",
      "dynamodb BatchGetItem",
    ]);
    expect(aws().requests[0].body.TableName).to.equal(TABLE);
  });

  it("cancels a TransactWriteItems whose attribute_not_exists Put meets a stored item, returning it (ALL_OLD)", async () => {
    // Prepare
    const ddb = client(DynamoDBClient);
    const put = (id: string) => ({
      Put: {
        TableName: TABLE,
        Item: marshall({ ...key, transaction_id: id }),
        ConditionExpression: "attribute_not_exists(transaction_id)",
        ReturnValuesOnConditionCheckFailure: "ALL_OLD" as const,
      },
    });
    await ddb.send(new TransactWriteItemsCommand({ TransactItems: [put("tx-1")] }));

    // Act
    const error = await rejectionOf(
      ddb.send(new TransactWriteItemsCommand({ TransactItems: [put("tx-1"), put("tx-3")] })),
    );

    // Assess
    assert.ok(error instanceof TransactionCanceledException);
    expect(error.CancellationReasons?.map((reason) => reason.Code)).to.deep.equal([
      "ConditionalCheckFailed",
      "None",
    ]);
    expect(error.CancellationReasons?.[0].Item).to.deep.equal(marshall(key));
    expect(aws().items(TABLE)).to.deep.equal([marshall(key)]);
  });

  it("answers Query with no items and UpdateItem with success by default", async () => {
    // Prepare
    const ddb = client(DynamoDBClient);

    // Act
    const page = await ddb.send(
      new QueryCommand({
        TableName: TABLE,
        KeyConditionExpression: "account_id = :a",
        ExpressionAttributeValues: marshall({ ":a": "acct-1" }),
      }),
    );
    const updated = await ddb.send(
      new UpdateItemCommand({
        TableName: TABLE,
        Key: marshall(key),
        UpdateExpression: "SET #v = :v",
        ExpressionAttributeNames: { "#v": "verdict" },
        ExpressionAttributeValues: marshall({ ":v": "clear" }),
      }),
    );

    // Assess
    expect(page.Items).to.deep.equal([]);
    expect(updated.Attributes).to.equal(undefined);
  });

  it("accepts SQS messages sent to its queue URL with the body MD5 the SDK checks", async () => {
    // Prepare
    const sqs = client(SQSClient);
    const QUEUE_URL = aws().queueUrl("sqs-fraud-alerts-loopback");

    // Act
    const single = await sqs.send(new SendMessageCommand({ QueueUrl: QUEUE_URL, MessageBody: "héllo" }));
    const batch = await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: QUEUE_URL,
        Entries: [
          { Id: "m0", MessageBody: '{"transaction_id":"tx-1"}' },
          { Id: "m1", MessageBody: '{"transaction_id":"tx-2"}' },
        ],
      }),
    );

    // Assess
    expect(single.MessageId).to.be.a("string");
    expect(batch.Successful?.map((entry) => entry.Id)).to.deep.equal(["m0", "m1"]);
    expect(batch.Failed ?? []).to.deep.equal([]);
    expect(aws().requests.map((r) => `${r.service} ${r.operation}`)).to.deep.equal([
      "sqs SendMessage",
      "sqs SendMessageBatch",
    ]);
  });

  it("publishes to SNS over the query protocol, logging the form fields", async () => {
    // Prepare
    const sns = client(SNSClient);

    // Act
    const output = await sns.send(
      new PublishCommand({ TopicArn: TOPIC_ARN, Subject: "Fraud alert", Message: "tx-1 <flagged> & held" }),
    );

    // Assess
    expect(output.MessageId).to.be.a("string");
    expect(aws().requests).to.deep.equal([
      {
        service: "sns",
        operation: "Publish",
        body: {
          Action: "Publish",
          Version: "2010-03-31",
          TopicArn: TOPIC_ARN,
          Subject: "Fraud alert",
          Message: "tx-1 <flagged> & held",
        },
      },
    ]);
  });

  it("answers an overridden operation with its error, as the SDK's named exception, until reset", async () => {
    // Prepare
    const sns = client(SNSClient);
    const ddb = client(DynamoDBClient);
    aws().override("sns", "Publish", () => ({
      error: { code: "KMSDisabled", message: "key disabled & unusable" },
    }));
    aws().override("dynamodb", "Query", () => ({
      error: { code: "ProvisionedThroughputExceededException", message: "slow down" },
    }));

    // Act
    const published = await rejectionOf(sns.send(new PublishCommand({ TopicArn: TOPIC_ARN, Message: "m" })));
    const queried = await rejectionOf(
      ddb.send(new QueryCommand({ TableName: TABLE, KeyConditionExpression: "account_id = :a" })),
    );
    aws().reset();
    const again = await sns.send(new PublishCommand({ TopicArn: TOPIC_ARN, Message: "m" }));

    // Assess
    assert.ok(published instanceof Error && queried instanceof Error);
    expect([published.name, published.message]).to.deep.equal([
      "KMSDisabledException",
      "key disabled & unusable",
    ]);
    expect(queried.name).to.equal("ProvisionedThroughputExceededException");
    expect(again.MessageId).to.be.a("string");
  });

  it("refuses an operation it does not implement", async () => {
    // Prepare
    const ddb = client(DynamoDBClient);

    // Act
    const error = await rejectionOf(ddb.send(new DescribeTableCommand({ TableName: TABLE })));

    // Assess
    assert.ok(error instanceof Error);
    expect([error.name, error.message]).to.deep.equal([
      "UnknownOperationException",
      "The loopback stand-in does not implement dynamodb DescribeTable",
    ]);
  });

  it("answers aws-sdk v2 clients given its endpoint (the bench's baseline): DocumentClient, SQS, SNS", async () => {
    // Prepare
    const endpoint = aws().endpoint;
    const doc = new DynamoDB.DocumentClient({ endpoint, maxRetries: 0 });
    const sqs = new SQS({ endpoint, maxRetries: 0 });
    const sns = new SNS({ endpoint, maxRetries: 0 });

    // Act
    await doc.put({ TableName: TABLE, Item: { ...key, amount: 1_250 } }).promise();
    const got = await doc.get({ TableName: TABLE, Key: key }).promise();
    const sent = await sqs
      .sendMessageBatch({
        QueueUrl: aws().queueUrl("sqs-fraud-alerts-loopback"),
        Entries: [{ Id: "m0", MessageBody: "{}" }],
      })
      .promise();
    const published = await sns.publish({ TopicArn: TOPIC_ARN, Message: "m" }).promise();

    // Assess
    expect(got.Item).to.deep.equal({ ...key, amount: 1_250 });
    expect(sent.Successful.map((entry) => entry.Id)).to.deep.equal(["m0"]);
    expect(published.MessageId).to.be.a("string");
    expect(aws().requests.map((r) => `${r.service} ${r.operation}`)).to.deep.equal([
      "dynamodb PutItem",
      "dynamodb GetItem",
      "sqs SendMessageBatch",
      "sns Publish",
    ]);
  });
});
