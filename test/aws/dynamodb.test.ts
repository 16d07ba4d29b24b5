import {
  ConditionalCheckFailedException,
  DynamoDBClient,
  InternalServerError,
  ProvisionedThroughputExceededException,
  QueryCommand,
  ResourceNotFoundException,
  ThrottlingException,
  TransactionCanceledException,
  TransactWriteItemsCommand,
  UpdateItemCommand,
} from "@aws-sdk/client-dynamodb";
import { marshall, unmarshall } from "@aws-sdk/util-dynamodb";
import { assert, expect } from "chai";
import {
  makeDynamoAccountHistory,
  makeDynamoTransactionStore,
  makeDynamoVerdictStore,
} from "../../pipeline/runtime/aws/dynamodb";
import { ACCOUNT_INDEX, toItem } from "../../pipeline/runtime/contract/item";
import { ERROR_NAMES, isRuntimeError } from "../../pipeline/runtime/errors";
import { useClientMock } from "../helpers/aws-mocks";
import { rejectionOf } from "../helpers/expect";
import { FIXED_NOW, fullTransaction, validTransaction } from "../helpers/transactions";

const TABLE = "dynamodb-transactions-dev";

describe("Function: makeDynamoTransactionStore", () => {
  const ddb = useClientMock(DynamoDBClient);

  /** A cancelled transaction whose item (0) and guard (1) reasons are `codes`, old items attached. */
  const canceled = (
    codes: [string, string],
    items: [Record<string, unknown>?, Record<string, unknown>?] = [],
  ) =>
    new TransactionCanceledException({
      $metadata: {},
      message: "Transaction cancelled",
      CancellationReasons: codes.map((Code, index) => ({
        Code,
        Item:
          items[index] === undefined ? undefined : marshall(items[index], { removeUndefinedValues: true }),
      })),
    });
  const conditionFailed = (item?: Record<string, unknown>) =>
    canceled(["ConditionalCheckFailed", "ConditionalCheckFailed"], [item]);
  const puts = () => ddb().commandCalls(TransactWriteItemsCommand)[0].args[0].input.TransactItems!;

  it("puts the item with its received time and its id guard, each under a not-exists condition", async () => {
    // Prepare
    ddb().on(TransactWriteItemsCommand).resolves({});
    const tx = fullTransaction();
    const store = makeDynamoTransactionStore({ client: new DynamoDBClient({}), tableName: TABLE });

    // Act
    const outcome = await store.putTransaction(tx, FIXED_NOW);

    // Assess
    expect(outcome).to.equal("created");
    const [item, guard] = puts().map((entry) => entry.Put!);
    for (const put of [item, guard]) {
      expect(put.TableName).to.equal(TABLE);
      expect(put.ConditionExpression).to.equal("attribute_not_exists(transaction_id)");
      expect(put.ReturnValuesOnConditionCheckFailure).to.equal("ALL_OLD");
    }
    expect(unmarshall(item.Item!)).to.deep.equal({ ...tx, received_at: FIXED_NOW });
    expect(unmarshall(guard.Item!)).to.deep.equal({
      transaction_id: tx.transaction_id,
      timestamp: -1,
      guarded_timestamp: tx.timestamp,
      received_at: FIXED_NOW,
    });
  });

  it("omits absent optional fields instead of failing to marshal them", async () => {
    // Prepare
    ddb().on(TransactWriteItemsCommand).resolves({});
    const store = makeDynamoTransactionStore({ client: new DynamoDBClient({}), tableName: TABLE });

    // Act
    await store.putTransaction({ ...validTransaction(), country: undefined }, FIXED_NOW);

    // Assess
    const item = puts()[0].Put!.Item!;
    expect("country" in item).to.equal(false);
  });

  it("stores a coordinate closer to zero than DynamoDB can hold as 0, and knows the retry as a duplicate", async () => {
    // Prepare: valid by the contract (within -90..90), but PutItem rejects magnitudes below 1e-130
    const tx = validTransaction({ location: { latitude: 1e-200, longitude: -5e-324 } });
    ddb()
      .on(TransactWriteItemsCommand)
      .resolvesOnce({})
      .rejects(conditionFailed({ ...tx, location: { latitude: 0, longitude: 0 } }));
    const store = makeDynamoTransactionStore({ client: new DynamoDBClient({}), tableName: TABLE });

    // Act
    const first = await store.putTransaction(tx, FIXED_NOW);
    const retry = await store.putTransaction(tx, FIXED_NOW);

    // Assess
    expect([first, retry]).to.deep.equal(["created", "duplicate"]);
    const item = puts()[0].Put!.Item!;
    expect(item.location).to.deep.equal({ M: { latitude: { N: "0" }, longitude: { N: "0" } } });
    for (const value of Object.values(item)) {
      const magnitude = value.N === undefined ? 0 : Math.abs(Number(value.N));
      expect(magnitude === 0 || (magnitude >= 1e-130 && magnitude < 1e126), value.N).to.be.ok;
    }
  });

  it("answers duplicate when the stored item has the same contract fields", async () => {
    // Prepare
    const tx = fullTransaction();
    const stored = { ...toItem(tx, FIXED_NOW - 1000), location: { longitude: -74.006, latitude: 40.7128 } };
    ddb()
      .on(TransactWriteItemsCommand)
      .rejects(conditionFailed({ ...stored, verdict: "cleared", fraud_score: 0 }));
    const store = makeDynamoTransactionStore({ client: new DynamoDBClient({}), tableName: TABLE });

    // Act
    const outcome = await store.putTransaction(tx, FIXED_NOW);

    // Assess
    expect(outcome).to.equal("duplicate");
  });

  it("answers duplicate for an exact retry of an item stored before its id had a guard", async () => {
    // Prepare
    const tx = validTransaction();
    ddb()
      .on(TransactWriteItemsCommand)
      .rejects(canceled(["ConditionalCheckFailed", "None"], [toItem(tx, FIXED_NOW - 1000)]));
    const store = makeDynamoTransactionStore({ client: new DynamoDBClient({}), tableName: TABLE });

    // Act
    const outcome = await store.putTransaction(tx, FIXED_NOW);

    // Assess
    expect(outcome).to.equal("duplicate");
  });

  it("answers conflict when the stored item differs in a contract field", async () => {
    // Prepare
    const tx = validTransaction();
    ddb()
      .on(TransactWriteItemsCommand)
      .rejects(conditionFailed(toItem({ ...tx, amount: tx.amount + 1 }, FIXED_NOW)));
    const store = makeDynamoTransactionStore({ client: new DynamoDBClient({}), tableName: TABLE });

    // Act
    const outcome = await store.putTransaction(tx, FIXED_NOW);

    // Assess
    expect(outcome).to.equal("conflict");
  });

  it("answers conflict when the stored item has an optional field the new one lacks", async () => {
    // Prepare
    const tx = validTransaction();
    ddb()
      .on(TransactWriteItemsCommand)
      .rejects(conditionFailed(toItem({ ...tx, country: "US" }, FIXED_NOW)));
    const store = makeDynamoTransactionStore({ client: new DynamoDBClient({}), tableName: TABLE });

    // Act
    const outcome = await store.putTransaction(tx, FIXED_NOW);

    // Assess
    expect(outcome).to.equal("conflict");
  });

  it("answers conflict when DynamoDB does not return the old item", async () => {
    // Prepare
    ddb().on(TransactWriteItemsCommand).rejects(conditionFailed());
    const store = makeDynamoTransactionStore({ client: new DynamoDBClient({}), tableName: TABLE });

    // Act
    const outcome = await store.putTransaction(validTransaction(), FIXED_NOW);

    // Assess
    expect(outcome).to.equal("conflict");
  });

  it("answers id-taken when only the guard's condition fails: the id is stored with another timestamp", async () => {
    // Prepare
    const tx = validTransaction();
    const guard = { transaction_id: tx.transaction_id, timestamp: -1, guarded_timestamp: tx.timestamp - 5 };
    ddb()
      .on(TransactWriteItemsCommand)
      .rejects(canceled(["None", "ConditionalCheckFailed"], [undefined, guard]));
    const store = makeDynamoTransactionStore({ client: new DynamoDBClient({}), tableName: TABLE });

    // Act
    const outcome = await store.putTransaction(tx, FIXED_NOW);

    // Assess
    expect(outcome).to.equal("id-taken");
  });

  it("maps a cancellation by a concurrent transaction on the same id to StorageThrottledError", async () => {
    // Prepare
    const error = canceled(["None", "TransactionConflict"]);
    ddb().on(TransactWriteItemsCommand).rejects(error);
    const store = makeDynamoTransactionStore({ client: new DynamoDBClient({}), tableName: TABLE });

    // Act
    const failure = await store.putTransaction(validTransaction(), FIXED_NOW).catch((err: unknown) => err);

    // Assess
    expect(isRuntimeError(failure, ERROR_NAMES.storageThrottled)).to.equal(true);
    expect((failure as Error).message).to.include(`TransactWriteItems on table ${TABLE}`);
    expect((failure as Error).cause).to.equal(error);
  });

  it("lets a cancellation for any other reason through unchanged", async () => {
    // Prepare
    const error = canceled(["ValidationError", "None"]);
    ddb().on(TransactWriteItemsCommand).rejects(error);
    const store = makeDynamoTransactionStore({ client: new DynamoDBClient({}), tableName: TABLE });

    // Act
    const failure = await store.putTransaction(validTransaction(), FIXED_NOW).catch((err: unknown) => err);

    // Assess
    expect(failure).to.equal(error);
  });

  for (const error of [
    new ProvisionedThroughputExceededException({ $metadata: {}, message: "Rate exceeded" }),
    new ThrottlingException({ $metadata: {}, message: "Throughput exceeds the limit" }),
    new InternalServerError({ $metadata: { httpStatusCode: 500 }, message: "Internal error" }),
    Object.assign(new Error("Service Unavailable"), {
      name: "ServiceUnavailable",
      $metadata: { httpStatusCode: 503 },
    }),
    // What the SDK rethrows when the socket drops after its retries: no HTTP status at all.
    Object.assign(new Error("socket hang up"), { name: "ECONNRESET", code: "ECONNRESET" }),
  ]) {
    it(`maps ${error.name} to StorageThrottledError with the cause attached`, async () => {
      // Prepare
      ddb().on(TransactWriteItemsCommand).rejects(error);
      const store = makeDynamoTransactionStore({ client: new DynamoDBClient({}), tableName: TABLE });

      // Act
      const failure = await store.putTransaction(validTransaction(), FIXED_NOW).then(
        () => expect.fail("expected a rejection"),
        (err: unknown) => err,
      );

      // Assess
      assert.ok(isRuntimeError(failure, ERROR_NAMES.storageThrottled));
      expect(failure.message).to.match(new RegExp(`TransactWriteItems on table ${TABLE}`));
      expect((failure as Error & { cause?: unknown }).cause).to.equal(error);
    });
  }

  it("lets a non-transient error through unchanged", async () => {
    // Prepare
    const error = new ResourceNotFoundException({
      $metadata: { httpStatusCode: 400 },
      message: "Requested resource not found",
    });
    ddb().on(TransactWriteItemsCommand).rejects(error);
    const store = makeDynamoTransactionStore({ client: new DynamoDBClient({}), tableName: TABLE });

    // Act + Assess
    expect(await rejectionOf(store.putTransaction(validTransaction(), FIXED_NOW))).to.satisfy(
      (err: unknown) => err === error,
    );
  });
});

describe("Function: makeDynamoAccountHistory", () => {
  const ddb = useClientMock(DynamoDBClient);

  it("queries the account index newest first within the time window", async () => {
    // Prepare
    const older = fullTransaction({ transaction_id: "tx-old", timestamp: FIXED_NOW - 5000 });
    const newer = validTransaction({ transaction_id: "tx-new", timestamp: FIXED_NOW - 1000 });
    ddb()
      .on(QueryCommand)
      .resolves({
        Items: [
          marshall({ ...toItem(newer, FIXED_NOW), verdict: "cleared" }),
          marshall(toItem(older, FIXED_NOW)),
        ],
      });
    const history = makeDynamoAccountHistory({ client: new DynamoDBClient({}), tableName: TABLE });

    // Act
    const found = await history.recentForAccount("acc-0001", FIXED_NOW - 60_000, FIXED_NOW, 25);

    // Assess
    expect(found).to.deep.equal([newer, older]);
    const input = ddb().commandCalls(QueryCommand)[0].args[0].input;
    expect(input.TableName).to.equal(TABLE);
    expect(input.IndexName).to.equal(ACCOUNT_INDEX);
    expect(input.KeyConditionExpression).to.equal("account_id = :account AND #ts BETWEEN :since AND :until");
    expect(input.ExpressionAttributeNames).to.deep.equal({ "#ts": "timestamp" });
    expect(unmarshall(input.ExpressionAttributeValues!)).to.deep.equal({
      ":account": "acc-0001",
      ":since": FIXED_NOW - 60_000,
      ":until": FIXED_NOW,
    });
    expect(input.ScanIndexForward).to.equal(false);
    expect(input.Limit).to.equal(25);
  });

  it("follows pages until it has the requested number of items", async () => {
    // Prepare
    const items = [1, 2, 3].map((n) =>
      marshall(toItem(validTransaction({ transaction_id: `tx-${n}` }), FIXED_NOW)),
    );
    const lastKey = marshall({ transaction_id: "tx-2", timestamp: FIXED_NOW, account_id: "acc-0001" });
    ddb()
      .on(QueryCommand)
      .resolvesOnce({ Items: items.slice(0, 2), LastEvaluatedKey: lastKey })
      .resolvesOnce({ Items: items.slice(2) });
    const history = makeDynamoAccountHistory({
      client: new DynamoDBClient({}),
      tableName: TABLE,
      indexName: "idx",
    });

    // Act
    const found = await history.recentForAccount("acc-0001", 0, FIXED_NOW, 3);

    // Assess
    expect(found.map((item) => (item as { transaction_id: unknown }).transaction_id)).to.deep.equal([
      "tx-1",
      "tx-2",
      "tx-3",
    ]);
    const calls = ddb()
      .commandCalls(QueryCommand)
      .map((call) => call.args[0].input);
    expect(calls.length).to.equal(2);
    expect(calls[0].IndexName).to.equal("idx");
    expect(calls[1].ExclusiveStartKey).to.deep.equal(lastKey);
    expect(calls[1].Limit).to.equal(1);
  });

  it("does not call DynamoDB for a limit of zero", async () => {
    // Prepare
    const history = makeDynamoAccountHistory({ client: new DynamoDBClient({}), tableName: TABLE });

    // Act
    const found = await history.recentForAccount("acc-0001", 0, FIXED_NOW, 0);

    // Assess
    expect(found).to.deep.equal([]);
    expect(ddb().commandCalls(QueryCommand).length).to.equal(0);
  });

  it("maps throttling to StorageThrottledError", async () => {
    // Prepare
    ddb()
      .on(QueryCommand)
      .rejects(new ProvisionedThroughputExceededException({ $metadata: {}, message: "Rate exceeded" }));
    const history = makeDynamoAccountHistory({ client: new DynamoDBClient({}), tableName: TABLE });

    // Act + Assess
    expect(await rejectionOf(history.recentForAccount("acc-0001", 0, FIXED_NOW, 10))).to.satisfy(
      (err: unknown) => isRuntimeError(err, ERROR_NAMES.storageThrottled),
    );
  });
});

describe("Function: makeDynamoVerdictStore", () => {
  const ddb = useClientMock(DynamoDBClient);

  const key = { transaction_id: "tx-0001", timestamp: FIXED_NOW - 60_000 };
  const verdict = {
    verdict: "flagged",
    score: 85,
    rules: ["amount-spike", "velocity"],
    reasons: ["amount 8.2x this account's 30 days average of 42.10 USD (12 transactions)"],
    decidedAt: FIXED_NOW,
  } as const;

  it("updates only an existing item with the verdict attributes", async () => {
    // Prepare
    ddb().on(UpdateItemCommand).resolves({});
    const verdicts = makeDynamoVerdictStore({ client: new DynamoDBClient({}), tableName: TABLE });

    // Act
    const outcome = await verdicts.recordVerdict(key, verdict);

    // Assess
    expect(outcome).to.deep.equal({ first: true });
    const input = ddb().commandCalls(UpdateItemCommand)[0].args[0].input;
    expect(input.TableName).to.equal(TABLE);
    expect(unmarshall(input.Key!)).to.deep.equal(key);
    expect(input.ConditionExpression).to.equal("attribute_exists(transaction_id)");
    expect(input.ReturnValues).to.equal("UPDATED_OLD");
    expect(input.UpdateExpression).to.equal(
      "SET #verdict = :verdict, #score = :score, #rules = :rules, #reasons = :reasons, #verdictAt = :verdictAt",
    );
    expect(input.ExpressionAttributeNames).to.deep.equal({
      "#verdict": "verdict",
      "#score": "fraud_score",
      "#rules": "fraud_rules",
      "#reasons": "fraud_reasons",
      "#verdictAt": "verdict_at",
    });
    expect(unmarshall(input.ExpressionAttributeValues!)).to.deep.equal({
      ":verdict": "flagged",
      ":score": 85,
      ":rules": ["amount-spike", "velocity"],
      ":reasons": [...verdict.reasons],
      ":verdictAt": FIXED_NOW,
    });
  });

  it("tells a redelivered record's verdict from a first one by the old verdict time", async () => {
    // Prepare
    ddb()
      .on(UpdateItemCommand)
      .resolves({ Attributes: { verdict_at: { N: String(FIXED_NOW - 1_000) } } });
    const verdicts = makeDynamoVerdictStore({ client: new DynamoDBClient({}), tableName: TABLE });

    // Act
    const outcome = await verdicts.recordVerdict(key, verdict);

    // Assess
    expect(outcome).to.deep.equal({ first: false });
  });

  it("resolves without writing when the item no longer exists", async () => {
    // Prepare
    ddb()
      .on(UpdateItemCommand)
      .rejects(new ConditionalCheckFailedException({ $metadata: {}, message: "failed" }));
    const verdicts = makeDynamoVerdictStore({ client: new DynamoDBClient({}), tableName: TABLE });

    // Act
    const outcome = await verdicts.recordVerdict(key, verdict);

    // Assess
    expect(outcome).to.deep.equal({ first: false });
    expect(ddb().commandCalls(UpdateItemCommand).length).to.equal(1);
  });

  it("maps throttling to StorageThrottledError and lets other errors through", async () => {
    // Prepare
    const missingTable = new ResourceNotFoundException({
      $metadata: {},
      message: "Requested resource not found",
    });
    ddb()
      .on(UpdateItemCommand)
      .rejectsOnce(new ThrottlingException({ $metadata: {}, message: "slow down" }))
      .rejectsOnce(missingTable);
    const verdicts = makeDynamoVerdictStore({ client: new DynamoDBClient({}), tableName: TABLE });

    // Act + Assess
    expect(await rejectionOf(verdicts.recordVerdict(key, verdict))).to.satisfy((err: unknown) =>
      isRuntimeError(err, ERROR_NAMES.storageThrottled),
    );
    expect(await rejectionOf(verdicts.recordVerdict(key, verdict))).to.satisfy(
      (err: unknown) => err === missingTable,
    );
  });
});
