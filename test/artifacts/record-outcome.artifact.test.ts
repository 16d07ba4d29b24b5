import { DynamoDBClient, GetItemCommand, TransactWriteItemsCommand } from "@aws-sdk/client-dynamodb";
import { marshall, unmarshall } from "@aws-sdk/util-dynamodb";
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from "aws-lambda";
import { expect } from "chai";
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
    expect(artifact.handler.length).to.equal(2);
    expect(artifact.handler.constructor.name).to.equal("AsyncFunction");
  });

  it("captures no secrets, no configuration values and no @pulumi code", () => {
    // Assess
    expect(artifact.containsSecrets).to.equal(false);
    expect(artifact.text.includes(TABLE)).to.equal(false);
    expect(artifact.text.includes(MERCHANT_TABLE)).to.equal(false);
    expect(artifact.text).not.to.match(/@pulumi\/|OutputImpl/);
  });

  it("records a fraud with one TransactWriteItems on both configured tables and answers 201", async () => {
    // Prepare
    ddb().on(GetItemCommand).resolves(stored());
    ddb().on(TransactWriteItemsCommand).resolves({});
    const before = Date.now();

    // Act
    const response = await invoke(outcomeEvent(outcome()));

    // Assess
    expect(response.statusCode).to.equal(201);
    expect(JSON.parse(response.body)).to.deep.equal({
      transaction_id: tx.transaction_id,
      timestamp: tx.timestamp,
      outcome: "fraud",
      status: "recorded",
    });
    expect(ddb().commandCalls(GetItemCommand)[0].args[0].input.TableName).to.equal(TABLE);
    const [item, merchant] =
      ddb().commandCalls(TransactWriteItemsCommand)[0].args[0].input.TransactItems ?? [];
    expect(item.Update?.TableName).to.equal(TABLE);
    expect(merchant.Update?.TableName).to.equal(MERCHANT_TABLE);
    const bucket = merchant.Update?.ExpressionAttributeNames?.["#a0"];
    expect([`fraud_${dayOf(before)}`, `fraud_${dayOf(Date.now())}`].includes(bucket ?? ""), bucket).to.be.ok;
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
    expect([first.statusCode, repeat.statusCode]).to.deep.equal([201, 200]);
    expect(JSON.parse(repeat.body).status).to.equal("duplicate");
    expect(ddb().commandCalls(TransactWriteItemsCommand).length).to.equal(1);
  });

  it("answers 409 naming the recorded outcome for a contradicting one", async () => {
    // Prepare
    ddb()
      .on(GetItemCommand)
      .resolves(stored({ outcome: "fraud", outcome_source: "chargeback", outcome_received_at: Date.now() }));

    // Act
    const response = await invoke(outcomeEvent(outcome({ outcome: "legitimate", source: "analyst" })));

    // Assess
    expect(response.statusCode).to.equal(409);
    expect(JSON.parse(response.body).recorded_outcome).to.equal("fraud");
    expect(ddb().commandCalls(TransactWriteItemsCommand).length).to.equal(0);
  });

  it("answers 404 for an unknown transaction", async () => {
    // Prepare
    ddb().on(GetItemCommand).resolves({});

    // Act
    const response = await invoke(outcomeEvent(outcome({ transaction_id: "tx-never-seen" })));

    // Assess
    expect(response.statusCode).to.equal(404);
    expect(unmarshall(ddb().commandCalls(GetItemCommand)[0].args[0].input.Key ?? {})).to.deep.equal({
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
    expect(response.statusCode).to.equal(400);
    const fields = (JSON.parse(response.body).fields as { field: string }[]).map((f) => f.field).sort();
    expect(fields).to.deep.equal(["note", "outcome", "source"]);
    expect(ddb().commandCalls(GetItemCommand).length).to.equal(0);
  });
});
