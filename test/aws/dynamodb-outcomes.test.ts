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
import { expect } from "chai";
import { makeDynamoOutcomeStore } from "../../pipeline/runtime/aws/dynamodb-outcomes";
import { toItem } from "../../pipeline/runtime/contract/item";
import { dayOf, expiresAtSeconds, staleBucketAttributes } from "../../pipeline/runtime/detect/merchant-risk";
import { ERROR_NAMES, isRuntimeError } from "../../pipeline/runtime/errors";
import { useClientMock } from "../helpers/aws-mocks";
import { rejectionOf } from "../helpers/expect";
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
    expect(input.TableName).to.equal(TABLE);
    expect(input.ConsistentRead).to.equal(true);
    const tx = validTransaction();
    expect(unmarshall(input.Key!)).to.deep.equal({
      transaction_id: tx.transaction_id,
      timestamp: tx.timestamp,
    });
  });

  it("answers not-found and writes nothing when the transaction does not exist", async () => {
    // Prepare
    ddb().on(GetItemCommand).resolves({});

    // Act
    const result = await store().recordOutcome(validOutcome(), RECEIVED_AT);

    // Assess
    expect(result).to.equal("not-found");
    expect(ddb().commandCalls(TransactWriteItemsCommand).length).to.equal(0);
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
      expect(result).to.equal(expected);
      expect(ddb().commandCalls(TransactWriteItemsCommand).length).to.equal(0);
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
    expect(result).to.equal("recorded");
    const [item, merchant] = transactItems();
    expect(item.TableName).to.equal(TABLE);
    expect(unmarshall(item.Key!)).to.deep.equal({
      transaction_id: outcome.transaction_id,
      timestamp: outcome.timestamp,
    });
    expect(item.UpdateExpression).to.equal(
      "SET #outcome = :outcome, #source = :source, #receivedAt = :receivedAt, #reportedAt = :reportedAt",
    );
    expect(item.ConditionExpression).to.equal(
      "attribute_exists(transaction_id) AND attribute_not_exists(#outcome) AND #merchant = :merchant",
    );
    expect(item.ExpressionAttributeNames).to.deep.equal({
      "#outcome": "outcome",
      "#source": "outcome_source",
      "#receivedAt": "outcome_received_at",
      "#reportedAt": "outcome_reported_at",
      "#merchant": "merchant_id",
    });
    expect(unmarshall(item.ExpressionAttributeValues!)).to.deep.equal({
      ":outcome": "fraud",
      ":source": "chargeback",
      ":receivedAt": RECEIVED_AT,
      ":reportedAt": FIXED_NOW - 5_000,
      ":merchant": "merchant-0001",
    });

    const day = dayOf(RECEIVED_AT);
    const stale = staleBucketAttributes(day);
    expect(merchant.TableName).to.equal(MERCHANT_TABLE);
    expect(unmarshall(merchant.Key!)).to.deep.equal({ merchant_id: "merchant-0001" });
    expect(merchant.ConditionExpression).to.equal(undefined);
    expect(merchant.UpdateExpression).to.equal(
      `ADD #a0 :a0 SET #expires = :expires REMOVE ${stale.map((_, i) => `#r${i}`).join(", ")}`,
    );
    expect(merchant.ExpressionAttributeNames).to.deep.equal({
      "#a0": `fraud_${day}`,
      "#expires": "expires_at",
      ...Object.fromEntries(stale.map((name, i) => [`#r${i}`, name])),
    });
    expect(unmarshall(merchant.ExpressionAttributeValues!)).to.deep.equal({
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
    expect(result).to.equal("recorded");
    const items = transactItems();
    expect(items.length).to.equal(1);
    expect(items[0].UpdateExpression).to.equal(
      "SET #outcome = :outcome, #source = :source, #receivedAt = :receivedAt",
    );
    expect("#reportedAt" in (items[0].ExpressionAttributeNames ?? {})).to.equal(false);
    expect(":reportedAt" in (items[0].ExpressionAttributeValues ?? {})).to.equal(false);
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
        expect(result).to.equal(expected);
        expect(ddb().commandCalls(GetItemCommand).length).to.equal(2);
        expect(ddb().commandCalls(GetItemCommand)[1].args[0].input.ConsistentRead).to.equal(true);
        expect(ddb().commandCalls(TransactWriteItemsCommand).length).to.equal(1);
      });
    }

    it("answers not-found when the item disappeared in between", async () => {
      // Prepare
      ddb().on(GetItemCommand).resolvesOnce(storedTransaction()).resolves({});
      ddb().on(TransactWriteItemsCommand).rejects(canceled("ConditionalCheckFailed", "None"));

      // Act
      const result = await store().recordOutcome(validOutcome(), RECEIVED_AT);

      // Assess
      expect(result).to.equal("not-found");
    });

    it("classifies only once more: an item still without outcome is an error naming the key", async () => {
      // Prepare
      ddb().on(GetItemCommand).resolves(storedTransaction());
      ddb().on(TransactWriteItemsCommand).rejects(canceled("ConditionalCheckFailed", "None"));

      // Act
      const failure = store().recordOutcome(validOutcome(), RECEIVED_AT);

      // Assess
      expect(await rejectionOf(failure)).to.satisfy((err: Error) => {
        expect(err.message).to.match(/tx-0001 .* carries no outcome/);
        expect((err.cause as Error).name).to.equal("TransactionCanceledException");
        return true;
      });
      expect(ddb().commandCalls(GetItemCommand).length).to.equal(2);
      expect(ddb().commandCalls(TransactWriteItemsCommand).length).to.equal(1);
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
      expect(await rejectionOf(failure)).to.satisfy((err: Error) => {
        expect(isRuntimeError(err, ERROR_NAMES.storageThrottled)).to.be.ok;
        expect(err.message).to.match(/TransactionConflict/);
        expect(err.cause).to.equal(cause);
        return true;
      });
      expect(ddb().commandCalls(GetItemCommand).length).to.equal(1);
    });

    it("propagates a cancellation for any other reason unchanged", async () => {
      // Prepare
      ddb().on(GetItemCommand).resolves(storedTransaction());
      const cause = canceled("None", "ValidationError");
      ddb().on(TransactWriteItemsCommand).rejects(cause);

      // Act and Assess
      expect(await rejectionOf(store().recordOutcome(validOutcome(), RECEIVED_AT))).to.satisfy(
        (err: unknown) => err === cause,
      );
    });

    it("maps a throttled read to StorageThrottledError with the cause", async () => {
      // Prepare
      const cause = new ProvisionedThroughputExceededException({ $metadata: {}, message: "slow down" });
      ddb().on(GetItemCommand).rejects(cause);

      // Act and Assess
      expect(await rejectionOf(store().recordOutcome(validOutcome(), RECEIVED_AT))).to.satisfy(
        (err: Error) => {
          expect(isRuntimeError(err, ERROR_NAMES.storageThrottled)).to.be.ok;
          expect(err.message).to.match(/GetItem on table dynamodb-transactions-dev/);
          expect(err.cause).to.equal(cause);
          return true;
        },
      );
    });

    it("propagates a non-transient error unchanged", async () => {
      // Prepare
      const cause = new ResourceNotFoundException({ $metadata: {}, message: "no table" });
      ddb().on(GetItemCommand).rejects(cause);

      // Act and Assess
      expect(await rejectionOf(store().recordOutcome(validOutcome(), RECEIVED_AT))).to.satisfy(
        (err: unknown) => err === cause,
      );
    });

    it("refuses to record on an item without a merchant_id", async () => {
      // Prepare
      const { merchant_id: _merchant, ...withoutMerchant } = toItem(validTransaction(), FIXED_NOW);
      ddb()
        .on(GetItemCommand)
        .resolves({ Item: marshall(withoutMerchant) });

      // Act and Assess
      expect(String(await rejectionOf(store().recordOutcome(validOutcome(), RECEIVED_AT)))).to.match(
        /has no merchant_id/,
      );
      expect(ddb().commandCalls(TransactWriteItemsCommand).length).to.equal(0);
    });
  });
});
