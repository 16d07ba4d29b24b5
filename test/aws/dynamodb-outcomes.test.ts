import assert from "node:assert/strict";
import {
  DynamoDBClient,
  GetItemCommand,
  ProvisionedThroughputExceededException,
  ResourceNotFoundException,
  TransactionCanceledException,
  TransactWriteItemsCommand,
  type Update,
} from "@aws-sdk/client-dynamodb";
import { marshall, unmarshall } from "@aws-sdk/util-dynamodb";
import { makeDynamoOutcomeStore } from "../../pipeline/runtime/aws/dynamodb-outcomes";
import { toItem } from "../../pipeline/runtime/contract/item";
import { dayOf, expiresAtSeconds, staleBucketAttributes } from "../../pipeline/runtime/detect/merchant-risk";
import { ERROR_NAMES, isRuntimeError } from "../../pipeline/runtime/errors";
import { useClientMock } from "../helpers/aws-mocks";
import { validOutcome } from "../helpers/outcomes";
import { FIXED_NOW, validTransaction } from "../helpers/transactions";

const TABLE = "dynamodb-transactions-dev";
const MERCHANT_TABLE = "dynamodb-merchant-risk-dev";
const RECEIVED_AT = FIXED_NOW + 3 * 86_400_000;

const storedTransaction = (extra: Record<string, unknown> = {}) => ({
  Item: marshall({ ...toItem(validTransaction(), FIXED_NOW), verdict: "cleared", ...extra }),
});

const canceled = (...codes: string[]) =>
  new TransactionCanceledException({
    $metadata: {},
    message: `Transaction cancelled, please refer cancellation reasons for specific reasons [${codes.join(", ")}]`,
    CancellationReasons: codes.map((Code) => ({ Code })),
  });

describe("Function: makeDynamoOutcomeStore", () => {
  const ddb = useClientMock(DynamoDBClient);
  const store = () =>
    makeDynamoOutcomeStore({
      client: new DynamoDBClient({}),
      tableName: TABLE,
      merchantRiskTableName: MERCHANT_TABLE,
    });
  const transactItems = (call = 0): Update[] =>
    (ddb().commandCalls(TransactWriteItemsCommand)[call].args[0].input.TransactItems ?? []).map(
      (item) => item.Update!,
    );

  it("reads the transaction with a consistent GetItem by its key", async () => {
    // Prepare
    ddb().on(GetItemCommand).resolves({});

    // Act
    await store().recordOutcome(validOutcome(), RECEIVED_AT);

    // Assess
    const input = ddb().commandCalls(GetItemCommand)[0].args[0].input;
    assert.equal(input.TableName, TABLE);
    assert.equal(input.ConsistentRead, true);
    const tx = validTransaction();
    assert.deepEqual(unmarshall(input.Key!), { transaction_id: tx.transaction_id, timestamp: tx.timestamp });
  });

  it("answers not-found and writes nothing when the transaction does not exist", async () => {
    // Prepare
    ddb().on(GetItemCommand).resolves({});

    // Act
    const result = await store().recordOutcome(validOutcome(), RECEIVED_AT);

    // Assess
    assert.equal(result, "not-found");
    assert.equal(ddb().commandCalls(TransactWriteItemsCommand).length, 0);
  });

  for (const [recorded, sent, expected] of [
    ["fraud", "fraud", "duplicate"],
    ["legitimate", "legitimate", "duplicate"],
    ["fraud", "legitimate", "conflict"],
    ["legitimate", "fraud", "conflict"],
  ] as const) {
    it(`answers ${expected} and writes nothing when the item carries ${recorded} and ${sent} is sent`, async () => {
      // Prepare
      ddb()
        .on(GetItemCommand)
        .resolves(storedTransaction({ outcome: recorded, outcome_source: "analyst" }));

      // Act
      const result = await store().recordOutcome(validOutcome({ outcome: sent }), RECEIVED_AT);

      // Assess
      assert.equal(result, expected);
      assert.equal(ddb().commandCalls(TransactWriteItemsCommand).length, 0);
    });
  }

  it("records a fraud on the item and counts it in the merchant's bucket of the receive day, in one transaction", async () => {
    // Prepare
    ddb().on(GetItemCommand).resolves(storedTransaction());
    ddb().on(TransactWriteItemsCommand).resolves({});
    const outcome = validOutcome({ reported_at: FIXED_NOW - 5_000 });

    // Act
    const result = await store().recordOutcome(outcome, RECEIVED_AT);

    // Assess
    assert.equal(result, "recorded");
    const [item, merchant] = transactItems();
    assert.equal(item.TableName, TABLE);
    assert.deepEqual(unmarshall(item.Key!), {
      transaction_id: outcome.transaction_id,
      timestamp: outcome.timestamp,
    });
    assert.equal(
      item.UpdateExpression,
      "SET #outcome = :outcome, #source = :source, #receivedAt = :receivedAt, #reportedAt = :reportedAt",
    );
    assert.equal(
      item.ConditionExpression,
      "attribute_exists(transaction_id) AND attribute_not_exists(#outcome) AND #merchant = :merchant",
    );
    assert.deepEqual(item.ExpressionAttributeNames, {
      "#outcome": "outcome",
      "#source": "outcome_source",
      "#receivedAt": "outcome_received_at",
      "#reportedAt": "outcome_reported_at",
      "#merchant": "merchant_id",
    });
    assert.deepEqual(unmarshall(item.ExpressionAttributeValues!), {
      ":outcome": "fraud",
      ":source": "chargeback",
      ":receivedAt": RECEIVED_AT,
      ":reportedAt": FIXED_NOW - 5_000,
      ":merchant": "merchant-0001",
    });

    const day = dayOf(RECEIVED_AT);
    const stale = staleBucketAttributes(day);
    assert.equal(merchant.TableName, MERCHANT_TABLE);
    assert.deepEqual(unmarshall(merchant.Key!), { merchant_id: "merchant-0001" });
    assert.equal(merchant.ConditionExpression, undefined);
    assert.equal(
      merchant.UpdateExpression,
      `ADD #a0 :a0 SET #expires = :expires REMOVE ${stale.map((_, i) => `#r${i}`).join(", ")}`,
    );
    assert.deepEqual(merchant.ExpressionAttributeNames, {
      "#a0": `fraud_${day}`,
      "#expires": "expires_at",
      ...Object.fromEntries(stale.map((name, i) => [`#r${i}`, name])),
    });
    assert.deepEqual(unmarshall(merchant.ExpressionAttributeValues!), {
      ":a0": 1,
      ":expires": expiresAtSeconds(RECEIVED_AT),
    });
  });

  it("records a legitimate outcome on the item alone, without reported_at when none was sent", async () => {
    // Prepare
    ddb().on(GetItemCommand).resolves(storedTransaction());
    ddb().on(TransactWriteItemsCommand).resolves({});

    // Act
    const result = await store().recordOutcome(validOutcome({ outcome: "legitimate" }), RECEIVED_AT);

    // Assess
    assert.equal(result, "recorded");
    const items = transactItems();
    assert.equal(items.length, 1);
    assert.equal(
      items[0].UpdateExpression,
      "SET #outcome = :outcome, #source = :source, #receivedAt = :receivedAt",
    );
    assert.equal("#reportedAt" in (items[0].ExpressionAttributeNames ?? {}), false);
    assert.equal(":reportedAt" in (items[0].ExpressionAttributeValues ?? {}), false);
  });

  describe("a concurrent writer between the read and the write", () => {
    for (const [winner, expected] of [
      ["fraud", "duplicate"],
      ["legitimate", "conflict"],
    ] as const) {
      it(`reads again and answers ${expected} when the other request recorded ${winner}`, async () => {
        // Prepare
        ddb()
          .on(GetItemCommand)
          .resolvesOnce(storedTransaction())
          .resolves(storedTransaction({ outcome: winner, outcome_source: "dispute" }));
        ddb().on(TransactWriteItemsCommand).rejects(canceled("ConditionalCheckFailed", "None"));

        // Act
        const result = await store().recordOutcome(validOutcome({ outcome: "fraud" }), RECEIVED_AT);

        // Assess
        assert.equal(result, expected);
        assert.equal(ddb().commandCalls(GetItemCommand).length, 2);
        assert.equal(ddb().commandCalls(GetItemCommand)[1].args[0].input.ConsistentRead, true);
        assert.equal(ddb().commandCalls(TransactWriteItemsCommand).length, 1);
      });
    }

    it("answers not-found when the item disappeared in between", async () => {
      // Prepare
      ddb().on(GetItemCommand).resolvesOnce(storedTransaction()).resolves({});
      ddb().on(TransactWriteItemsCommand).rejects(canceled("ConditionalCheckFailed", "None"));

      // Act
      const result = await store().recordOutcome(validOutcome(), RECEIVED_AT);

      // Assess
      assert.equal(result, "not-found");
    });

    it("classifies only once more: an item still without outcome is an error naming the key", async () => {
      // Prepare
      ddb().on(GetItemCommand).resolves(storedTransaction());
      ddb().on(TransactWriteItemsCommand).rejects(canceled("ConditionalCheckFailed", "None"));

      // Act
      const failure = store().recordOutcome(validOutcome(), RECEIVED_AT);

      // Assess
      await assert.rejects(failure, (err: Error) => {
        assert.match(err.message, /tx-0001 .* carries no outcome/);
        assert.equal((err.cause as Error).name, "TransactionCanceledException");
        return true;
      });
      assert.equal(ddb().commandCalls(GetItemCommand).length, 2);
      assert.equal(ddb().commandCalls(TransactWriteItemsCommand).length, 1);
    });
  });

  describe("failures", () => {
    it("maps a cancellation by a transaction conflict to StorageThrottledError with the cause", async () => {
      // Prepare
      ddb().on(GetItemCommand).resolves(storedTransaction());
      const cause = canceled("None", "TransactionConflict");
      ddb().on(TransactWriteItemsCommand).rejects(cause);

      // Act
      const failure = store().recordOutcome(validOutcome(), RECEIVED_AT);

      // Assess
      await assert.rejects(failure, (err: Error) => {
        assert.ok(isRuntimeError(err, ERROR_NAMES.storageThrottled));
        assert.match(err.message, /TransactionConflict/);
        assert.equal(err.cause, cause);
        return true;
      });
      assert.equal(ddb().commandCalls(GetItemCommand).length, 1);
    });

    it("propagates a cancellation for any other reason unchanged", async () => {
      // Prepare
      ddb().on(GetItemCommand).resolves(storedTransaction());
      const cause = canceled("None", "ValidationError");
      ddb().on(TransactWriteItemsCommand).rejects(cause);

      // Act and Assess
      await assert.rejects(store().recordOutcome(validOutcome(), RECEIVED_AT), (err) => err === cause);
    });

    it("maps a throttled read to StorageThrottledError with the cause", async () => {
      // Prepare
      const cause = new ProvisionedThroughputExceededException({ $metadata: {}, message: "slow down" });
      ddb().on(GetItemCommand).rejects(cause);

      // Act and Assess
      await assert.rejects(store().recordOutcome(validOutcome(), RECEIVED_AT), (err: Error) => {
        assert.ok(isRuntimeError(err, ERROR_NAMES.storageThrottled));
        assert.match(err.message, /GetItem on table dynamodb-transactions-dev/);
        assert.equal(err.cause, cause);
        return true;
      });
    });

    it("propagates a non-transient error unchanged", async () => {
      // Prepare
      const cause = new ResourceNotFoundException({ $metadata: {}, message: "no table" });
      ddb().on(GetItemCommand).rejects(cause);

      // Act and Assess
      await assert.rejects(store().recordOutcome(validOutcome(), RECEIVED_AT), (err) => err === cause);
    });

    it("refuses to record on an item without a merchant_id", async () => {
      // Prepare
      const { merchant_id: _merchant, ...withoutMerchant } = toItem(validTransaction(), FIXED_NOW);
      ddb()
        .on(GetItemCommand)
        .resolves({ Item: marshall(withoutMerchant) });

      // Act and Assess
      await assert.rejects(store().recordOutcome(validOutcome(), RECEIVED_AT), /has no merchant_id/);
      assert.equal(ddb().commandCalls(TransactWriteItemsCommand).length, 0);
    });
  });
});
