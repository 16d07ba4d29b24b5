import { BatchGetItemCommand, DynamoDBClient, ThrottlingException } from "@aws-sdk/client-dynamodb";
import { marshall, unmarshall } from "@aws-sdk/util-dynamodb";
import { expect } from "chai";
import { makeDynamoMerchantRiskReader } from "../../pipeline/runtime/aws/dynamodb-merchant-risk";
import { ERROR_NAMES, isRuntimeError } from "../../pipeline/runtime/errors";
import { useClientMock } from "../helpers/aws-mocks";
import { rejectionOf } from "../helpers/expect";

const TABLE = "dynamodb-merchant-risk-dev";
const DAY = 20_417;

const key = (merchantId: string) => marshall({ merchant_id: merchantId });
const riskItem = (merchantId: string, counts: Record<string, number> = {}) =>
  marshall({ merchant_id: merchantId, ...counts, expires_at: 1_766_000_000 });
const ids = (count: number, prefix = "m-") => Array.from({ length: count }, (_, i) => `${prefix}${i}`);

describe("Function: makeDynamoMerchantRiskReader", () => {
  const ddb = useClientMock(DynamoDBClient);
  const reader = () => makeDynamoMerchantRiskReader({ client: new DynamoDBClient({}), tableName: TABLE });
  const requestedKeys = (call: number) =>
    (ddb().commandCalls(BatchGetItemCommand)[call].args[0].input.RequestItems?.[TABLE].Keys ?? []).map(
      (k) => unmarshall(k).merchant_id,
    );

  it("reads distinct merchants with one BatchGetItem and returns unmarshalled items by merchant_id", async () => {
    // Prepare
    ddb()
      .on(BatchGetItemCommand)
      .resolves({ Responses: { [TABLE]: [riskItem("m-1", { [`tx_${DAY}`]: 3, [`fraud_${DAY}`]: 1 })] } });

    // Act
    const profiles = await reader().profiles(["m-1", "m-2", "m-1"]);

    // Assess
    expect(ddb().commandCalls(BatchGetItemCommand).length).to.equal(1);
    expect(requestedKeys(0)).to.deep.equal(["m-1", "m-2"]);
    expect([...profiles]).to.deep.equal([
      ["m-1", { merchant_id: "m-1", [`tx_${DAY}`]: 3, [`fraud_${DAY}`]: 1, expires_at: 1_766_000_000 }],
    ]);
  });

  it("sends nothing for no merchants", async () => {
    // Act
    const profiles = await reader().profiles([]);

    // Assess
    expect(profiles.size).to.equal(0);
    expect(ddb().commandCalls(BatchGetItemCommand).length).to.equal(0);
  });

  it("splits more than 100 distinct merchants into chunks of at most 100", async () => {
    // Prepare
    ddb().on(BatchGetItemCommand).resolves({});

    // Act
    await reader().profiles(ids(250));

    // Assess
    const sizes = ddb()
      .commandCalls(BatchGetItemCommand)
      .map((_, call) => requestedKeys(call).length);
    expect(sizes).to.deep.equal([100, 100, 50]);
    expect(
      ddb()
        .commandCalls(BatchGetItemCommand)
        .flatMap((_, call) => requestedKeys(call)),
    ).to.deep.equal(ids(250));
  });

  it("retries unprocessed keys, with backoff, until every key is read", async () => {
    // Prepare
    ddb()
      .on(BatchGetItemCommand)
      .resolvesOnce({
        Responses: { [TABLE]: [riskItem("m-1")] },
        UnprocessedKeys: { [TABLE]: { Keys: [key("m-2"), key("m-3")] } },
      })
      .resolvesOnce({
        Responses: { [TABLE]: [riskItem("m-2")] },
        UnprocessedKeys: { [TABLE]: { Keys: [key("m-3")] } },
      })
      .resolves({ Responses: { [TABLE]: [riskItem("m-3")] }, UnprocessedKeys: {} });
    const started = Date.now();

    // Act
    const profiles = await reader().profiles(["m-1", "m-2", "m-3"]);

    // Assess
    expect([...profiles.keys()].sort()).to.deep.equal(["m-1", "m-2", "m-3"]);
    expect([requestedKeys(1), requestedKeys(2)]).to.deep.equal([["m-2", "m-3"], ["m-3"]]);
    expect(Date.now() - started >= 70, "waits 25 ms, then 50 ms").to.be.ok;
  });

  it("gives up with StorageThrottledError naming the keys left after the last attempt", async () => {
    // Prepare
    ddb()
      .on(BatchGetItemCommand)
      .resolves({ UnprocessedKeys: { [TABLE]: { Keys: [key("m-2")] } } });

    // Act and Assess
    expect(await rejectionOf(reader().profiles(["m-1", "m-2"]))).to.satisfy((err: Error) => {
      expect(isRuntimeError(err, ERROR_NAMES.storageThrottled)).to.be.ok;
      expect(err.message).to.match(/left 1 of 2 merchants unprocessed after 4 attempts/);
      return true;
    });
    expect(ddb().commandCalls(BatchGetItemCommand).length).to.equal(4);
  });

  it("maps throttling to StorageThrottledError with the cause", async () => {
    // Prepare
    const cause = new ThrottlingException({ $metadata: {}, message: "slow down" });
    ddb().on(BatchGetItemCommand).rejects(cause);

    // Act and Assess
    expect(await rejectionOf(reader().profiles(["m-1"]))).to.satisfy((err: Error) => {
      expect(isRuntimeError(err, ERROR_NAMES.storageThrottled)).to.be.ok;
      expect(err.cause).to.equal(cause);
      return true;
    });
  });
});
