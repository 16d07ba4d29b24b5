import assert from "node:assert/strict";
import {
  DynamoDBClient,
  ProvisionedThroughputExceededException,
  TransactionCanceledException,
  TransactWriteItemsCommand,
} from "@aws-sdk/client-dynamodb";
import { marshall, unmarshall } from "@aws-sdk/util-dynamodb";
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from "aws-lambda";
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
    assert.equal(artifact.handler.length, 2);
    assert.equal(artifact.handler.constructor.name, "AsyncFunction");
  });

  it("captures no secrets, no configuration values and no @pulumi code", () => {
    // Assess
    assert.equal(artifact.containsSecrets, false);
    assert.equal(artifact.text.includes(TABLE), false);
    assert.doesNotMatch(artifact.text, /@pulumi\/|OutputImpl/);
  });

  it("stores a valid transaction and its id guard with conditional Puts on the configured table and answers 201", async () => {
    // Prepare
    const tx = recentTransaction("tx-artifact-1");
    ddb().on(TransactWriteItemsCommand).resolves({});

    // Act
    const response = await invoke(apiGatewayEvent(tx));

    // Assess
    assert.equal(response.statusCode, 201);
    assert.deepEqual(JSON.parse(response.body), {
      transaction_id: tx.transaction_id,
      timestamp: tx.timestamp,
      status: "accepted",
    });
    const [call] = ddb().commandCalls(TransactWriteItemsCommand);
    const [item, guard] = (call.args[0].input.TransactItems ?? []).map((entry) => entry.Put!);
    for (const put of [item, guard]) {
      assert.equal(put.TableName, TABLE);
      assert.match(put.ConditionExpression ?? "", /attribute_not_exists\(transaction_id\)/);
    }
    const stored = unmarshall(item.Item ?? {});
    assert.equal(stored.transaction_id, tx.transaction_id);
    assert.equal(typeof stored.received_at, "number");
    assert.deepEqual(unmarshall(guard.Item ?? {}).timestamp, -1);
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
    assert.equal(response.statusCode, 400);
    const fields = (JSON.parse(response.body).fields as { field: string }[]).map((f) => f.field).sort();
    assert.deepEqual(fields, ["amount", "location.latitude", "location.longitude", "pan"]);
    assert.equal(ddb().commandCalls(TransactWriteItemsCommand).length, 0);
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
    assert.equal(duplicate.statusCode, 200);
    assert.equal(JSON.parse(duplicate.body).status, "duplicate");
    assert.equal(conflict.statusCode, 409);
    assert.equal(idTaken.statusCode, 409);
    assert.match(JSON.parse(idTaken.body).message, /different timestamp/);
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
    assert.equal(response.statusCode, 503);
    assert.ok(Number(response.headers?.["Retry-After"]) >= 1);
  });
});
