import type { AttributeValue } from "@aws-sdk/client-dynamodb";
import { unmarshall } from "@aws-sdk/util-dynamodb";
import type { APIGatewayProxyResult } from "aws-lambda";
import { assert, expect } from "chai";
import type { LoopbackRequest } from "../../bench/aws-loopback";
import { ACCOUNT_INDEX } from "../../pipeline/runtime/contract/item";
import { fraudAlert, sqsEvent } from "../helpers/alerts";
import { PURPOSES, T } from "../helpers/infra-graph";
import { useAwsLoopback } from "../helpers/loopback";
import { outcomeEvent, validOutcome } from "../helpers/outcomes";
import { invokeShipped, type WrittenArchive, writeArchive } from "../helpers/shipped";
import { archiveFiles, loadStack, single } from "../helpers/stack";
import { insertRecord, modifyRecord, streamEvent } from "../helpers/streams";
import { apiGatewayEvent, validTransaction } from "../helpers/transactions";

const TABLE = "dynamodb-transactions-shipped";
const MERCHANT_TABLE = "dynamodb-merchant-risk-shipped";
const TOPIC_ARN = "arn:aws:sns:us-east-1:123456789012:sns-fraud-notifications-shipped";

/** What every function reads, quiet: the stand-in adds the endpoint, region and credentials. */
const FUNCTION_ENV = {
  TABLE_NAME: TABLE,
  ACCOUNT_INDEX_NAME: ACCOUNT_INDEX,
  MERCHANT_RISK_TABLE_NAME: MERCHANT_TABLE,
  TOPIC_ARN,
  // An override proves the rules configuration is parsed inside the bundle: USD limit 5,000.00.
  FRAUD_RULES_CONFIG: JSON.stringify({ rules: { highAmount: { limits: { USD: 500_000 } } } }),
  POWERTOOLS_LOG_LEVEL: "SILENT",
  POWERTOOLS_METRICS_DISABLED: "true",
};

type FunctionName = (typeof PURPOSES)[number];

type Item = Record<string, AttributeValue>;

describe("Stack: each function's shipped archive, written out alone and invoked on Node 24 against a loopback AWS", function () {
  // Running the program (which bundles four functions) and a Node process per test take seconds.
  this.timeout(120_000);
  const aws = useAwsLoopback();
  const archives = new Map<FunctionName, WrittenArchive>();

  before(async () => {
    // The archives the dev stack uploads, as its program builds them under Pulumi's mocks.
    const stack = await loadStack();
    for (const purpose of PURPOSES) {
      archives.set(purpose, writeArchive(await archiveFiles(single(stack.resources, T.fn, purpose))));
    }
  });

  after(() => {
    for (const archive of archives.values()) archive.dispose();
  });

  const invoke = async (name: FunctionName, events: readonly unknown[]) => {
    const archive = archives.get(name);
    assert.ok(archive !== undefined);
    const env = { ...FUNCTION_ENV, ALERT_QUEUE_URL: aws().queueUrl("sqs-fraud-alerts-shipped") };
    const { results } = await invokeShipped(archive.file, events, {
      env,
      endpoint: aws().endpoint,
      functionName: `lambda-${name}-shipped`,
    });
    return results;
  };
  const calls = (service: LoopbackRequest["service"], operation: string) =>
    aws().requests.filter((request) => request.service === service && request.operation === operation);
  const recentTransaction = (id: string) =>
    validTransaction({ transaction_id: id, timestamp: Date.now() - 1_000 });

  it("process-transaction stores a transaction in the stand-in's table and answers 201, then 200 for the exact retry", async () => {
    // Prepare
    const tx = recentTransaction("tx-shipped-1");

    // Act
    const [created, retried] = (await invoke("process-transaction", [
      apiGatewayEvent(tx),
      apiGatewayEvent(tx),
    ])) as APIGatewayProxyResult[];

    // Assess
    expect([created.statusCode, retried.statusCode]).to.deep.equal([201, 200]);
    expect(JSON.parse(created.body)).to.deep.equal({
      transaction_id: tx.transaction_id,
      timestamp: tx.timestamp,
      status: "accepted",
    });
    const [write] = calls("dynamodb", "TransactWriteItems");
    const puts = (write.body.TransactItems as { Put: { TableName: string; Item: Item } }[]).map((a) => a.Put);
    expect(puts.map((put) => [put.TableName, unmarshall(put.Item).transaction_id])).to.deep.equal([
      [TABLE, tx.transaction_id],
      [TABLE, tx.transaction_id],
    ]);
    expect(
      aws()
        .items(TABLE)
        .map((item) => unmarshall(item).timestamp),
    ).to.deep.equal([tx.timestamp, -1]);
  });

  it("process-transaction answers 503 with Retry-After when the stand-in throttles (the bundled SDK's errors are recognised)", async () => {
    // Prepare
    aws().override("dynamodb", "TransactWriteItems", () => ({
      error: { code: "ProvisionedThroughputExceededException", message: "slow down" },
    }));

    // Act
    const [response] = (await invoke("process-transaction", [
      apiGatewayEvent(recentTransaction("tx-shipped-2")),
    ])) as APIGatewayProxyResult[];

    // Assess
    expect(response.statusCode).to.equal(503);
    expect(Number(response.headers?.["Retry-After"]) >= 1).to.be.ok;
  });

  it("detect-fraud writes both verdicts, sends the suspicious record to SQS and fails only the malformed record", async () => {
    // Prepare
    const normal = validTransaction({ transaction_id: "tx-normal", account_id: "acc-a", amount: 25_00 });
    const large = validTransaction({ transaction_id: "tx-large", account_id: "acc-b", amount: 900_000 });
    const malformed = insertRecord(validTransaction({ transaction_id: "tx-bad" }));
    assert.ok(malformed.dynamodb?.NewImage !== undefined);
    malformed.dynamodb.NewImage.amount = { S: "not a number" };

    // Act
    const [response] = await invoke("detect-fraud", [
      streamEvent([insertRecord(normal), malformed, insertRecord(large), modifyRecord(normal)]),
    ]);

    // Assess
    expect(response).to.deep.equal({
      batchItemFailures: [{ itemIdentifier: malformed.dynamodb.SequenceNumber }],
    });
    const verdicts = calls("dynamodb", "UpdateItem")
      .filter((request) => request.body.TableName === TABLE)
      .map((request) => ({
        id: unmarshall(request.body.Key as Item).transaction_id,
        values: Object.values(unmarshall(request.body.ExpressionAttributeValues as Item)),
      }));
    expect(verdicts.map((v) => v.id).sort()).to.deep.equal(["tx-large", "tx-normal"]);
    expect(verdicts.find((v) => v.id === "tx-large")?.values).to.include("flagged");
    const sends = calls("sqs", "SendMessageBatch");
    expect(sends.length).to.equal(1);
    expect(sends[0].body.QueueUrl).to.equal(aws().queueUrl("sqs-fraud-alerts-shipped"));
    const alerts = (sends[0].body.Entries as { MessageBody: string }[]).map((entry) =>
      JSON.parse(entry.MessageBody),
    );
    expect(alerts.map((alert) => alert.transaction_id)).to.deep.equal(["tx-large"]);
    expect(calls("dynamodb", "Query")[0].body.IndexName).to.equal(ACCOUNT_INDEX);
  });

  it("notify-team publishes the alert to SNS, confirms it, and reports the malformed message in the partial-batch response", async () => {
    // Prepare
    const alert = fraudAlert({ transaction_id: "tx-alerted" });

    // Act
    const [response] = await invoke("notify-team", [sqsEvent([alert, "{not json"])]);

    // Assess
    expect(response).to.deep.equal({ batchItemFailures: [{ itemIdentifier: "msg-2" }] });
    const publishes = calls("sns", "Publish");
    expect(publishes.map((request) => request.body.TopicArn)).to.deep.equal([TOPIC_ARN]);
    expect(String(publishes[0].body.Subject)).to.match(/tx-alerted/);
    expect(
      calls("dynamodb", "UpdateItem")
        .map((request) => request.body.UpdateExpression)
        .sort(),
    ).to.deep.equal(["SET #lease = :leaseUntil", "SET #notified = :now REMOVE #lease"]);
  });

  it("notify-team fails the record when SNS refuses the publish", async () => {
    // Prepare
    aws().override("sns", "Publish", () => ({ error: { code: "KMSDisabled", message: "key disabled" } }));

    // Act
    const [response] = await invoke("notify-team", [
      sqsEvent([fraudAlert({ transaction_id: "tx-refused" })]),
    ]);

    // Assess
    expect(response).to.deep.equal({ batchItemFailures: [{ itemIdentifier: "msg-1" }] });
  });

  it("record-outcome answers 404 for an unknown transaction and 201 for one process-transaction stored", async () => {
    // Prepare
    const tx = recentTransaction("tx-reported");
    await invoke("process-transaction", [apiGatewayEvent(tx)]);
    const report = (id: string) =>
      outcomeEvent(validOutcome({ transaction_id: id, timestamp: tx.timestamp, outcome: "fraud" }));

    // Act
    const [unknown, recorded] = (await invoke("record-outcome", [
      report("tx-never-seen"),
      report(tx.transaction_id),
    ])) as APIGatewayProxyResult[];

    // Assess
    expect([unknown.statusCode, recorded.statusCode]).to.deep.equal([404, 201]);
    expect(JSON.parse(recorded.body).status).to.equal("recorded");
    const [write] = calls("dynamodb", "TransactWriteItems").slice(-1);
    const tables = (write.body.TransactItems as { Update: { TableName: string } }[]).map(
      (a) => a.Update.TableName,
    );
    expect(tables).to.deep.equal([TABLE, MERCHANT_TABLE]);
  });
});
