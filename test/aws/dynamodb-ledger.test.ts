import {
  ConditionalCheckFailedException,
  DynamoDBClient,
  ProvisionedThroughputExceededException,
  UpdateItemCommand,
} from "@aws-sdk/client-dynamodb";
import { marshall, unmarshall } from "@aws-sdk/util-dynamodb";
import { expect } from "chai";
import { makeDynamoNotificationLedger } from "../../pipeline/runtime/aws/dynamodb-ledger";
import { toItem } from "../../pipeline/runtime/contract/item";
import { ERROR_NAMES, isRuntimeError } from "../../pipeline/runtime/errors";
import { useClientMock } from "../helpers/aws-mocks";
import { rejectionOf } from "../helpers/expect";
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
    expect(outcome).to.equal("claimed");
    const input = ddb().commandCalls(UpdateItemCommand)[0].args[0].input;
    expect(input.TableName).to.equal(TABLE);
    expect(unmarshall(input.Key!)).to.deep.equal(key);
    expect(input.UpdateExpression).to.equal("SET #lease = :leaseUntil");
    expect(input.ConditionExpression).to.equal(
      "attribute_exists(transaction_id) AND attribute_not_exists(#notified) " +
        "AND (attribute_not_exists(#lease) OR #lease < :now)",
    );
    expect(input.ExpressionAttributeNames).to.deep.equal({
      "#notified": "notified_at",
      "#lease": "notify_lease_until",
    });
    expect(unmarshall(input.ExpressionAttributeValues!)).to.deep.equal({
      ":leaseUntil": FIXED_NOW + LEASE_MS,
      ":now": FIXED_NOW,
    });
    expect(input.ReturnValuesOnConditionCheckFailure).to.equal("ALL_OLD");
  });

  it("answers already-notified when the old item carries notified_at", async () => {
    // Prepare
    const old = { ...toItem(validTransaction(), FIXED_NOW), notified_at: FIXED_NOW - 10 };
    ddb().on(UpdateItemCommand).rejects(conditionFailed(old));
    const ledger = makeDynamoNotificationLedger({ client: new DynamoDBClient({}), tableName: TABLE });

    // Act
    const outcome = await ledger.claim(key, FIXED_NOW, LEASE_MS);

    // Assess
    expect(outcome).to.equal("already-notified");
  });

  it("answers in-progress when the old item carries a live lease", async () => {
    // Prepare
    const old = { ...toItem(validTransaction(), FIXED_NOW), notify_lease_until: FIXED_NOW + 60_000 };
    ddb().on(UpdateItemCommand).rejects(conditionFailed(old));
    const ledger = makeDynamoNotificationLedger({ client: new DynamoDBClient({}), tableName: TABLE });

    // Act
    const outcome = await ledger.claim(key, FIXED_NOW, LEASE_MS);

    // Assess
    expect(outcome).to.equal("in-progress");
  });

  it("rejects naming the key and table when the transaction does not exist", async () => {
    // Prepare
    ddb().on(UpdateItemCommand).rejects(conditionFailed());
    const ledger = makeDynamoNotificationLedger({ client: new DynamoDBClient({}), tableName: TABLE });

    // Act + Assess
    expect(await rejectionOf(ledger.claim(key, FIXED_NOW, LEASE_MS))).to.satisfy((err: Error) => {
      expect(err.message).to.match(/tx-0001/);
      expect(err.message).to.match(new RegExp(TABLE));
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
    expect(await rejectionOf(ledger.claim(key, FIXED_NOW, LEASE_MS))).to.satisfy((err: unknown) =>
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
    expect(input.TableName).to.equal(TABLE);
    expect(unmarshall(input.Key!)).to.deep.equal(key);
    expect(input.UpdateExpression).to.equal("SET #notified = :now REMOVE #lease");
    expect(input.ConditionExpression).to.equal("attribute_exists(transaction_id)");
    expect(unmarshall(input.ExpressionAttributeValues!)).to.deep.equal({ ":now": FIXED_NOW + 5 });
  });

  it("releases by removing the lease on the existing item", async () => {
    // Prepare
    ddb().on(UpdateItemCommand).resolves({});
    const ledger = makeDynamoNotificationLedger({ client: new DynamoDBClient({}), tableName: TABLE });

    // Act
    await ledger.release(key);

    // Assess
    const input = ddb().commandCalls(UpdateItemCommand)[0].args[0].input;
    expect(input.UpdateExpression).to.equal("REMOVE #lease");
    expect(input.ConditionExpression).to.equal("attribute_exists(transaction_id)");
    expect(input.ExpressionAttributeNames).to.deep.equal({ "#lease": "notify_lease_until" });
    expect(input.ExpressionAttributeValues).to.equal(undefined);
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
    await ledger.confirm(key, FIXED_NOW);
    await ledger.release(key);
    expect(await rejectionOf(ledger.release(key))).to.satisfy((err: unknown) =>
      isRuntimeError(err, ERROR_NAMES.storageThrottled),
    );
  });
});
