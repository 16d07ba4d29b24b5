import {
  DynamoDBClient,
  ProvisionedThroughputExceededException,
  TransactionCanceledException,
  TransactWriteItemsCommand,
} from "@aws-sdk/client-dynamodb";
import { marshall, unmarshall } from "@aws-sdk/util-dynamodb";
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from "aws-lambda";
import { expect } from "chai";
import { processTransactionFactory } from "../../pipeline/runtime/lambda/process-transaction";
import type { ProcessHandler } from "../../pipeline/runtime/process/handler";
import { type LoadedArtifact, loadArtifact, useEnv } from "../helpers/artifact";
import { useClientMock } from "../helpers/aws-mocks";
import { apiGatewayEvent, lambdaContext, validTransaction } from "../helpers/transactions";

const TABLE = "dynamodb-transactions-artifact";

describe("Function: processTransactionFactory (serialized artifact)", () => {
  useEnv({ TABLE_NAME: TABLE, AWS_REGION: "us-east-1", POWERTOOLS_LOG_LEVEL: "SILENT" });
  const ddb = useClientMock(DynamoDBClient);
  let artifact: LoadedArtifact<ProcessHandler>;

  before(async () => {
    artifact = await loadArtifact<ProcessHandler>(processTransactionFactory);
  });

  after(() => artifact?.dispose());

  // The shipped factory reads the real clock, so event times are taken from it too.
  const recentTransaction = (id: string) =>
    validTransaction({ transaction_id: id, timestamp: Date.now() - 1_000 });
  const invoke = (event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> =>
    artifact.handler(event, lambdaContext({ functionName: "lambda-process-transaction-dev" }));

  it("exports an async (event, context) handler, not a callback-style one", () => {
    // Assess
    expect(artifact.handler.length).to.equal(2);
    expect(artifact.handler.constructor.name).to.equal("AsyncFunction");
  });

  it("captures no secrets, no configuration values and no @pulumi code", () => {
    // Assess
    expect(artifact.containsSecrets).to.equal(false);
    expect(artifact.text.includes(TABLE)).to.equal(false);
    expect(artifact.text).not.to.match(/@pulumi\/|OutputImpl/);
  });

  it("stores a valid transaction and its id guard with conditional Puts on the configured table and answers 201", async () => {
    // Prepare
    const tx = recentTransaction("tx-artifact-1");
    ddb().on(TransactWriteItemsCommand).resolves({});

    // Act
    const response = await invoke(apiGatewayEvent(tx));

    // Assess
    expect(response.statusCode).to.equal(201);
    expect(JSON.parse(response.body)).to.deep.equal({
      transaction_id: tx.transaction_id,
      timestamp: tx.timestamp,
      status: "accepted",
    });
    const [call] = ddb().commandCalls(TransactWriteItemsCommand);
    const [item, guard] = (call.args[0].input.TransactItems ?? []).map((entry) => entry.Put!);
    for (const put of [item, guard]) {
      expect(put.TableName).to.equal(TABLE);
      expect(put.ConditionExpression ?? "").to.match(/attribute_not_exists\(transaction_id\)/);
    }
    const stored = unmarshall(item.Item ?? {});
    expect(stored.transaction_id).to.equal(tx.transaction_id);
    expect(typeof stored.received_at).to.equal("number");
    expect(unmarshall(guard.Item ?? {}).timestamp).to.deep.equal(-1);
  });

  it("names every offending field in a 400 from inside the artifact (the codec survived serialization)", async () => {
    // Prepare
    const body = {
      ...recentTransaction("tx-artifact-2"),
      amount: "12.34",
      location: { latitude: 91 },
      pan: "4111",
    };

    // Act
    const response = await invoke(apiGatewayEvent(body));

    // Assess
    expect(response.statusCode).to.equal(400);
    const fields = (JSON.parse(response.body).fields as { field: string }[]).map((f) => f.field).sort();
    expect(fields).to.deep.equal(["amount", "location.latitude", "location.longitude", "pan"]);
    expect(ddb().commandCalls(TransactWriteItemsCommand).length).to.equal(0);
  });

  it("answers 200 duplicate for an exact retry, 409 for another body or another timestamp", async () => {
    // Prepare
    const tx = recentTransaction("tx-artifact-3");
    const stored = marshall({ ...tx, received_at: Date.now() });
    const conflicting = { ...tx, amount: tx.amount + 1 };
    const restamped = { ...tx, timestamp: tx.timestamp - 1 };
    const canceled = (itemCode: string, item?: typeof stored) =>
      new TransactionCanceledException({
        $metadata: {},
        message: "Transaction cancelled",
        CancellationReasons: [{ Code: itemCode, Item: item }, { Code: "ConditionalCheckFailed" }],
      });
    ddb()
      .on(TransactWriteItemsCommand)
      .rejectsOnce(canceled("ConditionalCheckFailed", stored))
      .rejectsOnce(canceled("ConditionalCheckFailed", stored))
      .rejectsOnce(canceled("None"));

    // Act
    const duplicate = await invoke(apiGatewayEvent(tx));
    const conflict = await invoke(apiGatewayEvent(conflicting));
    const idTaken = await invoke(apiGatewayEvent(restamped));

    // Assess
    expect(duplicate.statusCode).to.equal(200);
    expect(JSON.parse(duplicate.body).status).to.equal("duplicate");
    expect(conflict.statusCode).to.equal(409);
    expect(idTaken.statusCode).to.equal(409);
    expect(JSON.parse(idTaken.body).message).to.match(/different timestamp/);
  });

  it("answers 503 with Retry-After when DynamoDB throttles", async () => {
    // Prepare
    ddb()
      .on(TransactWriteItemsCommand)
      .rejects(
        new ProvisionedThroughputExceededException({
          $metadata: { httpStatusCode: 400 },
          message: "slow down",
        }),
      );

    // Act
    const response = await invoke(apiGatewayEvent(recentTransaction("tx-artifact-4")));

    // Assess
    expect(response.statusCode).to.equal(503);
    expect(Number(response.headers?.["Retry-After"]) >= 1).to.be.ok;
  });
});
