/**
 * Every AWS adapter that catches an SDK error keeps it reachable, so the handlers can log its name
 * and HTTP status with the record id: either the SDK error itself propagates, or the adapter's own
 * error carries it as `cause`.
 */
import { DynamoDBClient, ThrottlingException } from "@aws-sdk/client-dynamodb";
import { AuthorizationErrorException, SNSClient } from "@aws-sdk/client-sns";
import { KmsDisabled, SQSClient } from "@aws-sdk/client-sqs";
import { expect } from "chai";
import {
  makeDynamoAccountHistory,
  makeDynamoTransactionStore,
  makeDynamoVerdictStore,
} from "../../pipeline/runtime/aws/dynamodb";
import { makeDynamoNotificationLedger } from "../../pipeline/runtime/aws/dynamodb-ledger";
import {
  makeDynamoMerchantRiskReader,
  makeDynamoMerchantRiskWriter,
} from "../../pipeline/runtime/aws/dynamodb-merchant-risk";
import { makeDynamoOutcomeStore } from "../../pipeline/runtime/aws/dynamodb-outcomes";
import { makeSnsNotifier } from "../../pipeline/runtime/aws/sns";
import { makeSqsAlertQueue } from "../../pipeline/runtime/aws/sqs";
import { ERROR_NAMES, errorCode, runtimeError } from "../../pipeline/runtime/errors";
import { fraudAlert } from "../helpers/alerts";
import { useClientMock } from "../helpers/aws-mocks";
import { validOutcome } from "../helpers/outcomes";
import { FIXED_NOW, validTransaction } from "../helpers/transactions";

const KEY = { transaction_id: "tx-1", timestamp: FIXED_NOW };
const TABLE = { tableName: "dynamodb-transactions-dev" };

/** What `promise` rejected with; fails the test when it resolves. */
async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => expect.fail("expected a rejection"),
    (reason: unknown) => reason,
  );
}

describe("Function: errorCode", () => {
  it("finds the SDK error's name and HTTP status behind a runtime error", () => {
    // Prepare
    const sdk = new ThrottlingException({ $metadata: { httpStatusCode: 400 }, message: "slow down" });

    // Act
    const code = errorCode(runtimeError(ERROR_NAMES.storageThrottled, "retry later", { cause: sdk }));

    // Assess
    expect(code).to.deep.equal({ errorName: "ThrottlingException", httpStatusCode: 400 });
  });

  it("names an error without SDK metadata by its own name, and nothing for a non-error", () => {
    expect(errorCode(new TypeError("boom"))).to.deep.equal({ errorName: "TypeError" });
    expect(errorCode("boom")).to.deep.equal({});
  });

  it("omits the HTTP status when the SDK did not record one", () => {
    const sdk = new ThrottlingException({ $metadata: {}, message: "slow down" });
    expect(errorCode(new Error("wrapped", { cause: sdk }))).to.deep.equal({
      errorName: "ThrottlingException",
    });
  });
});

describe("AWS adapters: the SDK error stays reachable", () => {
  const ddb = useClientMock(DynamoDBClient);
  const sqs = useClientMock(SQSClient);
  const sns = useClientMock(SNSClient);
  const throttled = () =>
    new ThrottlingException({ $metadata: { httpStatusCode: 400 }, message: "slow down" });
  const expected = { errorName: "ThrottlingException", httpStatusCode: 400 };
  const client = () => new DynamoDBClient({});

  const dynamoCalls: Record<string, () => Promise<unknown>> = {
    "TransactionStore.putTransaction": () =>
      makeDynamoTransactionStore({ client: client(), ...TABLE }).putTransaction(
        validTransaction(),
        FIXED_NOW,
      ),
    "AccountHistory.recentForAccount": () =>
      makeDynamoAccountHistory({ client: client(), ...TABLE }).recentForAccount("acc-1", 0, FIXED_NOW, 10),
    "VerdictStore.recordVerdict": () =>
      makeDynamoVerdictStore({ client: client(), ...TABLE }).recordVerdict(KEY, {
        verdict: "flagged",
        score: 80,
        rules: [],
        reasons: [],
        decidedAt: FIXED_NOW,
      }),
    "NotificationLedger.claim": () =>
      makeDynamoNotificationLedger({ client: client(), ...TABLE }).claim(KEY, FIXED_NOW, 1_000),
    "MerchantRiskReader.profiles": () =>
      makeDynamoMerchantRiskReader({ client: client(), tableName: "dynamodb-merchant-risk-dev" }).profiles([
        "m-1",
      ]),
    "MerchantRiskWriter.addToBuckets": () =>
      makeDynamoMerchantRiskWriter({
        client: client(),
        tableName: "dynamodb-merchant-risk-dev",
      }).addToBuckets([{ merchantId: "m-1", day: 20_000, transactions: 1, frauds: 0 }], FIXED_NOW),
    "OutcomeStore.recordOutcome": () =>
      makeDynamoOutcomeStore({
        client: client(),
        ...TABLE,
        merchantRiskTableName: "dynamodb-merchant-risk-dev",
      }).recordOutcome(validOutcome(), FIXED_NOW),
  };

  for (const [operation, call] of Object.entries(dynamoCalls)) {
    it(`${operation}: a throttled call's error names ThrottlingException and its HTTP status`, async () => {
      // Prepare
      ddb().onAnyCommand().rejects(throttled());

      // Act
      const error = await rejection(call());

      // Assess
      expect(errorCode(error)).to.deep.equal(expected);
    });
  }

  it("AlertQueue.sendAlerts: a refused call's error names the KMS failure and its HTTP status", async () => {
    // Prepare
    sqs()
      .onAnyCommand()
      .rejects(new KmsDisabled({ $metadata: { httpStatusCode: 400 }, message: "key disabled" }));
    const queue = makeSqsAlertQueue({ client: new SQSClient({}), queueUrl: "https://sqs.example/q" });

    // Act
    const error = await rejection(queue.sendAlerts([fraudAlert()]));

    // Assess
    expect(errorCode(error)).to.deep.equal({ errorName: "KmsDisabled", httpStatusCode: 400 });
  });

  it("Notifier.publish: an authorization failure propagates with its name and HTTP status", async () => {
    // Prepare
    sns()
      .onAnyCommand()
      .rejects(new AuthorizationErrorException({ $metadata: { httpStatusCode: 403 }, message: "denied" }));
    const notifier = makeSnsNotifier({ client: new SNSClient({}), topicArn: "arn:aws:sns:us-east-1:1:t" });

    // Act
    const error = await rejection(notifier.publish({ subject: "s", body: "b", transactionId: "tx-1" }));

    // Assess
    expect(errorCode(error)).to.deep.equal({ errorName: "AuthorizationErrorException", httpStatusCode: 403 });
  });
});
