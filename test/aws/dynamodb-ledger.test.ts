import assert from "node:assert/strict";
import {
  ConditionalCheckFailedException,
  DynamoDBClient,
  ProvisionedThroughputExceededException,
  UpdateItemCommand,
} from "@aws-sdk/client-dynamodb";
import { marshall, unmarshall } from "@aws-sdk/util-dynamodb";
import { makeDynamoNotificationLedger } from "../../pipeline/runtime/aws/dynamodb-ledger";
import { toItem } from "../../pipeline/runtime/contract/item";
import { ERROR_NAMES, isRuntimeError } from "../../pipeline/runtime/errors";
import { useClientMock } from "../helpers/aws-mocks";
import { FIXED_NOW, validTransaction } from "../helpers/transactions";

const TABLE = "dynamodb-transactions-dev";
const LEASE_MS = 120_000;
const key = { transaction_id: "tx-0001", timestamp: FIXED_NOW - 60_000 };

const conditionFailed = (item?: Record<string, unknown>) =>
  new ConditionalCheckFailedException({
    $metadata: {},
    message: "The conditional request failed",
    Item: item === undefined ? undefined : marshall(item),
  });

describe("Function: makeDynamoNotificationLedger", () => {
  const ddb = useClientMock(DynamoDBClient);

  it("claims with a lease on an existing, not yet notified item whose lease is absent or expired", async () => {
    // Prepare
    ddb().on(UpdateItemCommand).resolves({});
    const ledger = makeDynamoNotificationLedger({ client: new DynamoDBClient({}), tableName: TABLE });

    // Act
    const outcome = await ledger.claim(key, FIXED_NOW, LEASE_MS);

    // Assess
    assert.equal(outcome, "claimed");
    const input = ddb().commandCalls(UpdateItemCommand)[0].args[0].input;
    assert.equal(input.TableName, TABLE);
    assert.deepEqual(unmarshall(input.Key!), key);
    assert.equal(input.UpdateExpression, "SET #lease = :leaseUntil");
    assert.equal(
      input.ConditionExpression,
      "attribute_exists(transaction_id) AND attribute_not_exists(#notified) " +
        "AND (attribute_not_exists(#lease) OR #lease < :now)",
    );
    assert.deepEqual(input.ExpressionAttributeNames, {
      "#notified": "notified_at",
      "#lease": "notify_lease_until",
    });
    assert.deepEqual(unmarshall(input.ExpressionAttributeValues!), {
      ":leaseUntil": FIXED_NOW + LEASE_MS,
      ":now": FIXED_NOW,
    });
    assert.equal(input.ReturnValuesOnConditionCheckFailure, "ALL_OLD");
  });

  it("answers already-notified when the old item carries notified_at", async () => {
    // Prepare
    const old = { ...toItem(validTransaction(), FIXED_NOW), notified_at: FIXED_NOW - 10 };
    ddb().on(UpdateItemCommand).rejects(conditionFailed(old));
    const ledger = makeDynamoNotificationLedger({ client: new DynamoDBClient({}), tableName: TABLE });

    // Act
    const outcome = await ledger.claim(key, FIXED_NOW, LEASE_MS);

    // Assess
    assert.equal(outcome, "already-notified");
  });

  it("answers in-progress when the old item carries a live lease", async () => {
    // Prepare
    const old = { ...toItem(validTransaction(), FIXED_NOW), notify_lease_until: FIXED_NOW + 60_000 };
    ddb().on(UpdateItemCommand).rejects(conditionFailed(old));
    const ledger = makeDynamoNotificationLedger({ client: new DynamoDBClient({}), tableName: TABLE });

    // Act
    const outcome = await ledger.claim(key, FIXED_NOW, LEASE_MS);

    // Assess
    assert.equal(outcome, "in-progress");
  });

  it("rejects naming the key and table when the transaction does not exist", async () => {
    // Prepare
    ddb().on(UpdateItemCommand).rejects(conditionFailed());
    const ledger = makeDynamoNotificationLedger({ client: new DynamoDBClient({}), tableName: TABLE });

    // Act + Assess
    await assert.rejects(ledger.claim(key, FIXED_NOW, LEASE_MS), (err: Error) => {
      assert.match(err.message, /tx-0001/);
      assert.match(err.message, new RegExp(TABLE));
      return true;
    });
  });

  it("maps throttling of a claim to StorageThrottledError", async () => {
    // Prepare
    ddb()
      .on(UpdateItemCommand)
      .rejects(new ProvisionedThroughputExceededException({ $metadata: {}, message: "Rate exceeded" }));
    const ledger = makeDynamoNotificationLedger({ client: new DynamoDBClient({}), tableName: TABLE });

    // Act + Assess
    await assert.rejects(ledger.claim(key, FIXED_NOW, LEASE_MS), (err) =>
      isRuntimeError(err, ERROR_NAMES.storageThrottled),
    );
  });

  it("confirms by setting notified_at and removing the lease on the existing item", async () => {
    // Prepare
    ddb().on(UpdateItemCommand).resolves({});
    const ledger = makeDynamoNotificationLedger({ client: new DynamoDBClient({}), tableName: TABLE });

    // Act
    await ledger.confirm(key, FIXED_NOW + 5);

    // Assess
    const input = ddb().commandCalls(UpdateItemCommand)[0].args[0].input;
    assert.equal(input.TableName, TABLE);
    assert.deepEqual(unmarshall(input.Key!), key);
    assert.equal(input.UpdateExpression, "SET #notified = :now REMOVE #lease");
    assert.equal(input.ConditionExpression, "attribute_exists(transaction_id)");
    assert.deepEqual(unmarshall(input.ExpressionAttributeValues!), { ":now": FIXED_NOW + 5 });
  });

  it("releases by removing the lease on the existing item", async () => {
    // Prepare
    ddb().on(UpdateItemCommand).resolves({});
    const ledger = makeDynamoNotificationLedger({ client: new DynamoDBClient({}), tableName: TABLE });

    // Act
    await ledger.release(key);

    // Assess
    const input = ddb().commandCalls(UpdateItemCommand)[0].args[0].input;
    assert.equal(input.UpdateExpression, "REMOVE #lease");
    assert.equal(input.ConditionExpression, "attribute_exists(transaction_id)");
    assert.deepEqual(input.ExpressionAttributeNames, { "#lease": "notify_lease_until" });
    assert.equal(input.ExpressionAttributeValues, undefined);
  });

  it("confirms and releases quietly when the item has disappeared, but not when throttled", async () => {
    // Prepare
    ddb()
      .on(UpdateItemCommand)
      .rejectsOnce(conditionFailed())
      .rejectsOnce(conditionFailed())
      .rejectsOnce(new ProvisionedThroughputExceededException({ $metadata: {}, message: "Rate exceeded" }));
    const ledger = makeDynamoNotificationLedger({ client: new DynamoDBClient({}), tableName: TABLE });

    // Act + Assess
    await assert.doesNotReject(ledger.confirm(key, FIXED_NOW));
    await assert.doesNotReject(ledger.release(key));
    await assert.rejects(ledger.release(key), (err) => isRuntimeError(err, ERROR_NAMES.storageThrottled));
  });
});
