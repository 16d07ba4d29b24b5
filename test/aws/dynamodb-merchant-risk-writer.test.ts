import {
  DynamoDBClient,
  ResourceNotFoundException,
  ThrottlingException,
  UpdateItemCommand,
} from "@aws-sdk/client-dynamodb";
import { marshall, unmarshall } from "@aws-sdk/util-dynamodb";
import { expect } from "chai";
import {
  makeDynamoMerchantRiskWriter,
  planBucketUpdates,
} from "../../pipeline/runtime/aws/dynamodb-merchant-risk";
import { expiresAtSeconds, staleBucketAttributes } from "../../pipeline/runtime/detect/merchant-risk";
import { ERROR_NAMES, isRuntimeError } from "../../pipeline/runtime/errors";
import { useClientMock } from "../helpers/aws-mocks";
import { rejectionOf } from "../helpers/expect";
import { FIXED_NOW } from "../helpers/transactions";

const TABLE = "dynamodb-merchant-risk-dev";
const DAY = 20_417;

const key = (merchantId: string) => marshall({ merchant_id: merchantId });
const ids = (count: number, prefix = "m-") => Array.from({ length: count }, (_, i) => `${prefix}${i}`);

describe("Function: makeDynamoMerchantRiskWriter", () => {
  const ddb = useClientMock(DynamoDBClient);
  const writer = () => makeDynamoMerchantRiskWriter({ client: new DynamoDBClient({}), tableName: TABLE });
  const updates = () =>
    ddb()
      .commandCalls(UpdateItemCommand)
      .map((call) => call.args[0].input);

  it("merges increments and sends one UpdateItem per merchant: ADD counters, SET expiry, REMOVE stale buckets", async () => {
    // Prepare
    ddb().on(UpdateItemCommand).resolves({});

    // Act
    await writer().addToBuckets(
      [
        { merchantId: "m-1", day: DAY, transactions: 1, frauds: 0 },
        { merchantId: "m-1", day: DAY, transactions: 1, frauds: 0 },
        { merchantId: "m-1", day: DAY - 1, transactions: 1, frauds: 1 },
        { merchantId: "m-2", day: DAY, transactions: 1, frauds: 0 },
      ],
      FIXED_NOW,
    );

    // Assess
    const [first, second] = updates();
    expect(updates().length).to.equal(2);
    expect(first.TableName).to.equal(TABLE);
    expect(unmarshall(first.Key!)).to.deep.equal({ merchant_id: "m-1" });
    const stale = staleBucketAttributes(DAY);
    expect(first.UpdateExpression).to.equal(
      `ADD #a0 :a0, #a1 :a1, #a2 :a2 SET #expires = :expires REMOVE ${stale.map((_, i) => `#r${i}`).join(", ")}`,
    );
    expect(first.ExpressionAttributeNames).to.deep.equal({
      "#a0": `tx_${DAY}`,
      "#a1": `tx_${DAY - 1}`,
      "#a2": `fraud_${DAY - 1}`,
      "#expires": "expires_at",
      ...Object.fromEntries(stale.map((name, i) => [`#r${i}`, name])),
    });
    expect(unmarshall(first.ExpressionAttributeValues!)).to.deep.equal({
      ":a0": 2,
      ":a1": 1,
      ":a2": 1,
      ":expires": expiresAtSeconds(FIXED_NOW),
    });
    expect(first.ConditionExpression).to.equal(undefined);
    expect(unmarshall(second.Key!)).to.deep.equal({ merchant_id: "m-2" });
    expect(unmarshall(second.ExpressionAttributeValues!)).to.deep.equal({
      ":a0": 1,
      ":expires": expiresAtSeconds(FIXED_NOW),
    });
  });

  it("never removes a bucket it adds to (an old day alongside the latest)", async () => {
    // Prepare
    ddb().on(UpdateItemCommand).resolves({});
    const oldDay = DAY - 30;

    // Act
    await writer().addToBuckets(
      [
        { merchantId: "m-1", day: DAY, transactions: 1, frauds: 0 },
        { merchantId: "m-1", day: oldDay, transactions: 0, frauds: 1 },
      ],
      FIXED_NOW,
    );

    // Assess
    const [input] = updates();
    const names = input.ExpressionAttributeNames ?? {};
    const removed = Object.entries(names)
      .filter(([placeholder]) => placeholder.startsWith("#r"))
      .map(([, name]) => name);
    expect(staleBucketAttributes(DAY).includes(`fraud_${oldDay}`)).to.be.ok;
    expect(removed.includes(`fraud_${oldDay}`)).to.equal(false);
    expect(removed.includes(`tx_${oldDay}`)).to.be.ok;
    expect(names["#a1"]).to.equal(`fraud_${oldDay}`);
  });

  it("sends nothing for increments that are all zero", async () => {
    // Act
    await writer().addToBuckets([{ merchantId: "m-1", day: DAY, transactions: 0, frauds: 0 }], FIXED_NOW);

    // Assess
    expect(updates().length).to.equal(0);
  });

  it("throws StorageThrottledError naming how many merchants failed, the SDK error as cause", async () => {
    // Prepare
    const cause = new ThrottlingException({ $metadata: {}, message: "slow down" });
    ddb().on(UpdateItemCommand).resolves({});
    ddb()
      .on(UpdateItemCommand, { Key: key("m-2") })
      .rejects(cause);

    // Act and Assess
    expect(
      await rejectionOf(
        writer().addToBuckets(
          ids(3).map((merchantId) => ({ merchantId, day: DAY, transactions: 1, frauds: 0 })),
          FIXED_NOW,
        ),
      ),
    ).to.satisfy((err: Error) => {
      expect(isRuntimeError(err, ERROR_NAMES.storageThrottled)).to.be.ok;
      expect(err.message).to.match(/UpdateItem for 1 of 3 merchants on table dynamodb-merchant-risk-dev/);
      expect(err.cause).to.equal(cause);
      return true;
    });
    expect(updates().length).to.equal(3);
  });

  it("throws an Error naming the merchant count for a non-transient failure, the SDK error as cause", async () => {
    // Prepare
    const cause = new ResourceNotFoundException({ $metadata: {}, message: "no table" });
    ddb().on(UpdateItemCommand).rejects(cause);

    // Act and Assess
    expect(
      await rejectionOf(
        writer().addToBuckets(
          ids(2).map((merchantId) => ({ merchantId, day: DAY, transactions: 1, frauds: 0 })),
          FIXED_NOW,
        ),
      ),
    ).to.satisfy((err: Error) => {
      expect(err.name).to.equal("Error");
      expect(err.message).to.match(
        /UpdateItem for 2 of 2 merchants on table .* failed \(ResourceNotFoundException\)/,
      );
      expect(err.cause).to.equal(cause);
      return true;
    });
  });
});

describe("Function: planBucketUpdates", () => {
  it("plans the expiry from now and the stale removal from the merchant's latest increment day", () => {
    // Act
    const [plan] = planBucketUpdates(
      [
        { merchantId: "m-1", day: DAY - 2, transactions: 1, frauds: 0 },
        { merchantId: "m-1", day: DAY, transactions: 0, frauds: 1 },
      ],
      FIXED_NOW,
    );

    // Assess
    expect([...plan.add]).to.deep.equal([
      [`tx_${DAY - 2}`, 1],
      [`fraud_${DAY}`, 1],
    ]);
    expect(plan.remove).to.deep.equal(staleBucketAttributes(DAY));
    expect(plan.expiresAt).to.equal(expiresAtSeconds(FIXED_NOW));
  });
});
