import assert from "node:assert/strict";
import { DynamoDBClient, GetItemCommand, TransactWriteItemsCommand } from "@aws-sdk/client-dynamodb";
import { marshall, unmarshall } from "@aws-sdk/util-dynamodb";
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from "aws-lambda";
import { toItem } from "../../pipeline/runtime/contract/item";
import { dayOf } from "../../pipeline/runtime/detect/merchant-risk";
import { recordOutcomeFactory } from "../../pipeline/runtime/lambda/record-outcome";
import type { RecordOutcomeHandler } from "../../pipeline/runtime/outcome/handler";
import { type LoadedArtifact, loadArtifact, useEnv } from "../helpers/artifact";
import { useClientMock } from "../helpers/aws-mocks";
import { outcomeEvent, validOutcome } from "../helpers/outcomes";
import { lambdaContext, validTransaction } from "../helpers/transactions";

const TABLE = "dynamodb-transactions-artifact";
const MERCHANT_TABLE = "dynamodb-merchant-risk-artifact";

describe("Function: recordOutcomeFactory (serialized artifact)", () => {
  useEnv({
    TABLE_NAME: TABLE,
    MERCHANT_RISK_TABLE_NAME: MERCHANT_TABLE,
    AWS_REGION: "us-east-1",
    POWERTOOLS_LOG_LEVEL: "SILENT",
  });
  const ddb = useClientMock(DynamoDBClient);
  let artifact: LoadedArtifact<RecordOutcomeHandler>;

  before(async () => {
    artifact = await loadArtifact<RecordOutcomeHandler>(recordOutcomeFactory);
  });

  after(() => artifact?.dispose());

  const tx = validTransaction({ transaction_id: "tx-outcome-1" });
  const stored = (extra: Record<string, unknown> = {}) => ({
    Item: marshall({ ...toItem(tx, tx.timestamp), ...extra }),
  });
  const outcome = (overrides = {}) =>
    validOutcome({ transaction_id: tx.transaction_id, timestamp: tx.timestamp, ...overrides });
  const invoke = (event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> =>
    artifact.handler(event, lambdaContext({ functionName: "lambda-record-outcome-dev" }));

  it("exports an async (event, context) handler, not a callback-style one", () => {
    // Assess
    assert.equal(artifact.handler.length, 2);
    assert.equal(artifact.handler.constructor.name, "AsyncFunction");
  });

  it("captures no secrets, no configuration values and no @pulumi code", () => {
    // Assess
    assert.equal(artifact.containsSecrets, false);
    assert.equal(artifact.text.includes(TABLE), false);
    assert.equal(artifact.text.includes(MERCHANT_TABLE), false);
    assert.doesNotMatch(artifact.text, /@pulumi\/|OutputImpl/);
  });

  it("records a fraud with one TransactWriteItems on both configured tables and answers 201", async () => {
    // Prepare
    ddb().on(GetItemCommand).resolves(stored());
    ddb().on(TransactWriteItemsCommand).resolves({});
    const before = Date.now();

    // Act
    const response = await invoke(outcomeEvent(outcome()));

    // Assess
    assert.equal(response.statusCode, 201);
    assert.deepEqual(JSON.parse(response.body), {
      transaction_id: tx.transaction_id,
      timestamp: tx.timestamp,
      outcome: "fraud",
      status: "recorded",
    });
    assert.equal(ddb().commandCalls(GetItemCommand)[0].args[0].input.TableName, TABLE);
    const [item, merchant] =
      ddb().commandCalls(TransactWriteItemsCommand)[0].args[0].input.TransactItems ?? [];
    assert.equal(item.Update?.TableName, TABLE);
    assert.equal(merchant.Update?.TableName, MERCHANT_TABLE);
    const bucket = merchant.Update?.ExpressionAttributeNames?.["#a0"];
    assert.ok([`fraud_${dayOf(before)}`, `fraud_${dayOf(Date.now())}`].includes(bucket ?? ""), bucket);
  });

  it("answers 200 for an idempotent repeat without a second TransactWriteItems", async () => {
    // Prepare
    ddb()
      .on(GetItemCommand)
      .resolvesOnce(stored())
      .resolves(stored({ outcome: "fraud", outcome_source: "chargeback", outcome_received_at: Date.now() }));
    ddb().on(TransactWriteItemsCommand).resolves({});

    // Act
    const first = await invoke(outcomeEvent(outcome()));
    const repeat = await invoke(outcomeEvent(outcome()));

    // Assess
    assert.deepEqual([first.statusCode, repeat.statusCode], [201, 200]);
    assert.equal(JSON.parse(repeat.body).status, "duplicate");
    assert.equal(ddb().commandCalls(TransactWriteItemsCommand).length, 1);
  });

  it("answers 409 naming the recorded outcome for a contradicting one", async () => {
    // Prepare
    ddb()
      .on(GetItemCommand)
      .resolves(stored({ outcome: "fraud", outcome_source: "chargeback", outcome_received_at: Date.now() }));

    // Act
    const response = await invoke(outcomeEvent(outcome({ outcome: "legitimate", source: "analyst" })));

    // Assess
    assert.equal(response.statusCode, 409);
    assert.equal(JSON.parse(response.body).recorded_outcome, "fraud");
    assert.equal(ddb().commandCalls(TransactWriteItemsCommand).length, 0);
  });

  it("answers 404 for an unknown transaction", async () => {
    // Prepare
    ddb().on(GetItemCommand).resolves({});

    // Act
    const response = await invoke(outcomeEvent(outcome({ transaction_id: "tx-never-seen" })));

    // Assess
    assert.equal(response.statusCode, 404);
    assert.deepEqual(unmarshall(ddb().commandCalls(GetItemCommand)[0].args[0].input.Key ?? {}), {
      transaction_id: "tx-never-seen",
      timestamp: tx.timestamp,
    });
  });

  it("names every offending field in a 400 from inside the artifact (the codec survived serialization)", async () => {
    // Prepare
    const body = { ...outcome(), outcome: "chargeback", source: 7, note: "x" };

    // Act
    const response = await invoke(outcomeEvent(body));

    // Assess
    assert.equal(response.statusCode, 400);
    const fields = (JSON.parse(response.body).fields as { field: string }[]).map((f) => f.field).sort();
    assert.deepEqual(fields, ["note", "outcome", "source"]);
    assert.equal(ddb().commandCalls(GetItemCommand).length, 0);
  });
});
