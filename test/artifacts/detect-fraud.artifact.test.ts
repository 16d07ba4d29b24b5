import {
  BatchGetItemCommand,
  DynamoDBClient,
  QueryCommand,
  UpdateItemCommand,
} from "@aws-sdk/client-dynamodb";
import { SendMessageBatchCommand, SQSClient } from "@aws-sdk/client-sqs";
import { marshall, unmarshall } from "@aws-sdk/util-dynamodb";
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from "aws-lambda";
import { expect } from "chai";
import { ACCOUNT_INDEX } from "../../pipeline/runtime/contract/item";
import type { Transaction } from "../../pipeline/runtime/contract/transaction";
import { dayOf } from "../../pipeline/runtime/detect/merchant-risk";
import type { FraudModel } from "../../pipeline/runtime/detect/model/format";
import { detectFraudFactory, makeDetectFraudFactory } from "../../pipeline/runtime/lambda/detect-fraud";
import { type LoadedArtifact, loadArtifact, useEnv } from "../helpers/artifact";
import { useClientMock } from "../helpers/aws-mocks";
import { fraudModel, treesModel } from "../helpers/model";
import { insertRecord, modifyRecord, streamEvent } from "../helpers/streams";
import { lambdaContext, validTransaction } from "../helpers/transactions";

const TABLE = "dynamodb-transactions-artifact";
const MERCHANT_TABLE = "dynamodb-merchant-risk-artifact";
const QUEUE_URL = "https://sqs.us-east-1.amazonaws.com/123456789012/sqs-fraud-alerts-artifact";
type DetectHandler = (event: DynamoDBStreamEvent, context: unknown) => Promise<DynamoDBBatchResponse>;

describe("Function: detectFraudFactory (serialized artifact)", () => {
  /** SQS accepts every message of a batch. */
  const acceptAllMessages = () =>
    sqs()
      .on(SendMessageBatchCommand)
      .callsFake((input: { Entries: { Id: string }[] }) => ({
        Successful: input.Entries.map((e) => ({ Id: e.Id, MessageId: `m-${e.Id}`, MD5OfMessageBody: "x" })),
        Failed: [],
      }));
  useEnv({
    TABLE_NAME: TABLE,
    ACCOUNT_INDEX_NAME: ACCOUNT_INDEX,
    ALERT_QUEUE_URL: QUEUE_URL,
    MERCHANT_RISK_TABLE_NAME: MERCHANT_TABLE,
    // An override proves the rules configuration is parsed inside the artifact: USD limit 5,000.00.
    FRAUD_RULES_CONFIG: JSON.stringify({ rules: { highAmount: { limits: { USD: 500_000 } } } }),
    AWS_REGION: "us-east-1",
    POWERTOOLS_LOG_LEVEL: "SILENT",
    POWERTOOLS_METRICS_DISABLED: "true",
  });
  const ddb = useClientMock(DynamoDBClient);
  const sqs = useClientMock(SQSClient);
  let artifact: LoadedArtifact<DetectHandler>;

  before(async () => {
    artifact = await loadArtifact<DetectHandler>(detectFraudFactory);
  });

  after(() => artifact?.dispose());

  it("exports an async (event, context) handler, not a callback-style one", () => {
    // Assess
    expect(artifact.handler.length).to.equal(2);
    expect(artifact.handler.constructor.name).to.equal("AsyncFunction");
  });

  it("captures no secrets, no configuration values and no @pulumi code", () => {
    // Assess
    expect(artifact.containsSecrets).to.equal(false);
    expect(artifact.text.includes(QUEUE_URL)).to.equal(false);
    expect(artifact.text).not.to.match(/@pulumi\/|OutputImpl/);
  });

  it("flags a stream batch's suspicious INSERT, clears the rest, skips MODIFY and fails only the malformed record", async () => {
    // Prepare
    const normal = validTransaction({ transaction_id: "tx-normal", account_id: "acc-a", amount: 25_00 });
    const large = validTransaction({ transaction_id: "tx-large", account_id: "acc-b", amount: 900_000 });
    const malformed = insertRecord(validTransaction({ transaction_id: "tx-bad" }));
    malformed.dynamodb!.NewImage!.amount = { S: "not a number" };
    ddb().on(QueryCommand).resolves({ Items: [] });
    ddb()
      .on(BatchGetItemCommand)
      .resolves({ Responses: { [MERCHANT_TABLE]: [] } });
    ddb().on(UpdateItemCommand).resolves({});
    acceptAllMessages();

    // Act
    const response = await artifact.handler(
      streamEvent([insertRecord(normal), malformed, insertRecord(large), modifyRecord(normal)]),
      lambdaContext({ functionName: "lambda-detect-fraud-dev" }),
    );

    // Assess
    expect(response).to.deep.equal({
      batchItemFailures: [{ itemIdentifier: malformed.dynamodb!.SequenceNumber }],
    });
    const [send] = sqs().commandCalls(SendMessageBatchCommand);
    expect(send.args[0].input.QueueUrl).to.equal(QUEUE_URL);
    const alerts = (send.args[0].input.Entries ?? []).map((e) => JSON.parse(e.MessageBody ?? "{}"));
    expect(alerts.map((a) => a.transaction_id)).to.deep.equal(["tx-large"]);
    expect(alerts[0].rules.some((r: { rule: string }) => r.rule === "high-amount")).to.be.ok;
    const query = ddb().commandCalls(QueryCommand)[0].args[0].input;
    expect(query.TableName).to.equal(TABLE);
    expect(query.IndexName).to.equal(ACCOUNT_INDEX);
    const verdicts = ddb()
      .commandCalls(UpdateItemCommand)
      .filter((c) => c.args[0].input.TableName === TABLE)
      .map((c) => ({
        key: unmarshall(c.args[0].input.Key ?? {}),
        verdict: unmarshall(c.args[0].input.ExpressionAttributeValues ?? {}),
        table: c.args[0].input.TableName,
      }));
    expect(verdicts.map((v) => [v.key.transaction_id, v.table]).sort()).to.deep.equal([
      ["tx-large", TABLE],
      ["tx-normal", TABLE],
    ]);
    const flagged = verdicts.find((v) => v.key.transaction_id === "tx-large");
    expect(Object.values(flagged?.verdict ?? {}).includes("flagged")).to.be.ok;
    const [read] = ddb().commandCalls(BatchGetItemCommand);
    expect(
      read.args[0].input.RequestItems?.[MERCHANT_TABLE]?.Keys?.map((key) => unmarshall(key)),
      "one read of the batch's merchants",
    ).to.deep.equal([{ merchant_id: normal.merchant_id }]);
    const counted = ddb()
      .commandCalls(UpdateItemCommand)
      .filter((c) => c.args[0].input.TableName === MERCHANT_TABLE);
    expect(counted.length, "one counter update for the batch's one merchant").to.equal(1);
    const { ExpressionAttributeNames: names, ExpressionAttributeValues: values } = counted[0].args[0].input;
    expect(Object.values(names ?? {}).includes(`tx_${dayOf(normal.timestamp)}`), "the transactions' day").to
      .be.ok;
    expect(Object.values(unmarshall(values ?? {})).includes(2), "both first verdicts counted once each").to.be
      .ok;
  });

  it("fails the records whose alert could not be sent, so the mapping retries them", async () => {
    // Prepare
    const large = validTransaction({ transaction_id: "tx-large-2", account_id: "acc-c", amount: 900_000 });
    const record = insertRecord(large);
    ddb()
      .on(QueryCommand)
      .resolves({ Items: [marshall({ ...large, transaction_id: "tx-old", timestamp: 1 })] });
    ddb()
      .on(BatchGetItemCommand)
      .resolves({ Responses: { [MERCHANT_TABLE]: [] } });
    ddb().on(UpdateItemCommand).resolves({});
    sqs()
      .on(SendMessageBatchCommand)
      .callsFake((input: { Entries: { Id: string }[] }) => ({
        Successful: [],
        Failed: input.Entries.map((e) => ({ Id: e.Id, Code: "InternalError", SenderFault: false })),
      }));

    // Act
    const response = await artifact.handler(streamEvent([record]), lambdaContext());

    // Assess
    expect(response).to.deep.equal({
      batchItemFailures: [{ itemIdentifier: record.dynamodb!.SequenceNumber }],
    });
    expect(
      ddb().commandCalls(UpdateItemCommand).length,
      "no verdict is written before the alert is sent",
    ).to.equal(0);
  });

  /**
   * Runs one transaction through an artifact built with `model`, against an empty history and no
   * merchant profile; resolves with the response, the artifact's text and the alert sent.
   */
  async function alertWithModel(model: FraudModel, tx: Transaction) {
    const withModel = await loadArtifact<DetectHandler>(makeDetectFraudFactory(model));
    ddb().on(QueryCommand).resolves({ Items: [] });
    ddb()
      .on(BatchGetItemCommand)
      .resolves({ Responses: { [MERCHANT_TABLE]: [] } });
    ddb().on(UpdateItemCommand).resolves({});
    acceptAllMessages();
    try {
      const response = await withModel.handler(streamEvent([insertRecord(tx)]), lambdaContext());
      const [send] = sqs().commandCalls(SendMessageBatchCommand);
      const alert = JSON.parse(send?.args[0].input.Entries?.[0].MessageBody ?? "{}");
      return { response, text: withModel.text, alert };
    } finally {
      withModel.dispose();
    }
  }

  it("scores with the model it was built with: the model ships inside the artifact as plain data", async () => {
    // Prepare: a model whose only term is the amount; 900.00 USD scores well above its threshold
    const model = fraudModel(
      { amount_log: { weight: 3, mean: 7, scale: 1 } },
      { intercept: -6, threshold: 40 },
    );
    const tx = validTransaction({ transaction_id: "tx-model", account_id: "acc-m", amount: 900_00 });

    // Act
    const { response, text, alert } = await alertWithModel(model, tx);

    // Assess
    expect(response).to.deep.equal({ batchItemFailures: [] });
    expect(text).to.match(/"logistic-regression"/);
    const z = -6 + 3 * (Math.log1p(900_00) - 7);
    expect(alert.score).to.equal(Math.round(1_000_000 / (1 + Math.exp(-z))) / 10_000);
    expect(alert.reasons).to.deep.equal(["amount 900.00 USD"]);
  });

  it("scores with a gradient-boosted trees model inside the artifact, reasons from its path attribution", async () => {
    // Prepare: one stump on the amount: above log1p(500.00) it adds 3 log-odds to −2
    const model = treesModel(
      [
        [
          { feature: "amount_log", threshold: Math.log1p(500_00), left: 1, right: 2, value: 0 },
          { feature: null, value: -1 },
          { feature: null, value: 3 },
        ],
      ],
      { baseScore: -2, threshold: 40 },
    );
    const tx = validTransaction({ transaction_id: "tx-trees", account_id: "acc-t", amount: 900_00 });

    // Act
    const { response, text, alert } = await alertWithModel(model, tx);

    // Assess
    expect(response).to.deep.equal({ batchItemFailures: [] });
    expect(text).to.match(/"gradient-boosted-trees"/);
    expect(alert.score).to.equal(Math.round(1_000_000 / (1 + Math.exp(-1))) / 10_000);
    expect(alert.reasons).to.deep.equal(["amount 900.00 USD"]);
  });
});
