import { DynamoDBClient, GetItemCommand, TransactWriteItemsCommand } from "@aws-sdk/client-dynamodb";
import { marshall } from "@aws-sdk/util-dynamodb";
import type { DynamoDB } from "aws-sdk";
import { expect } from "chai";
import { makeV2OutcomeStore } from "../../bench/baseline/v2-adapters";
import { makeDynamoOutcomeStore } from "../../pipeline/runtime/aws/dynamodb-outcomes";
import { toItem } from "../../pipeline/runtime/contract/item";
import type { Outcome } from "../../pipeline/runtime/contract/outcome";
import { ERROR_NAMES, isRuntimeError } from "../../pipeline/runtime/errors";
import { useClientMock } from "../helpers/aws-mocks";
import { rejectionOf } from "../helpers/expect";
import { validOutcome } from "../helpers/outcomes";
import { FIXED_NOW, validTransaction } from "../helpers/transactions";

const TABLE = "dynamodb-transactions-bench";
const MERCHANT_TABLE = "dynamodb-merchant-risk-bench";
const RECEIVED_AT = FIXED_NOW + 3 * 86_400_000;

type Item = Record<string, unknown>;

/** The stored item, with extra attributes (an outcome already recorded, say). */
const stored = (extra: Item = {}) => marshall({ ...toItem(validTransaction(), FIXED_NOW), ...extra });

/** A cancelled transaction as aws-sdk v2 rejects it: name and code, reasons on the error. */
function v2Canceled(...codes: string[]): Error {
  const error = new Error(
    `Transaction cancelled, please refer cancellation reasons for specific reasons [${codes.join(", ")}]`,
  );
  return Object.assign(error, {
    name: "TransactionCanceledException",
    code: "TransactionCanceledException",
    CancellationReasons: codes.map((Code) => ({ Code })),
  });
}

/**
 * A v2 low-level client answering `getItem` with `items` in turn (the last one repeats; undefined
 * is no item) and `transactWriteItems` with `write`, recording every call's params.
 */
function fakeV2(items: readonly (Item | undefined)[], write: () => Promise<unknown> = async () => ({})) {
  const calls = {
    getItem: [] as DynamoDB.GetItemInput[],
    transactWriteItems: [] as DynamoDB.TransactWriteItemsInput[],
  };
  const client = {
    getItem(params: DynamoDB.GetItemInput) {
      calls.getItem.push(params);
      const item = items[Math.min(calls.getItem.length - 1, items.length - 1)];
      return { promise: async () => (item === undefined ? {} : { Item: item }) };
    },
    transactWriteItems(params: DynamoDB.TransactWriteItemsInput) {
      calls.transactWriteItems.push(params);
      return { promise: write };
    },
  };
  const store = makeV2OutcomeStore(client as unknown as DynamoDB, TABLE, MERCHANT_TABLE);
  return { store, calls };
}

describe("Function: makeV2OutcomeStore (baseline, same semantics as the v3 store)", () => {
  const ddb = useClientMock(DynamoDBClient);
  const v3Store = () =>
    makeDynamoOutcomeStore({
      client: new DynamoDBClient({}),
      tableName: TABLE,
      merchantRiskTableName: MERCHANT_TABLE,
    });

  for (const outcome of [
    validOutcome({ reported_at: FIXED_NOW - 5_000 }),
    validOutcome({ outcome: "legitimate", source: "analyst" }),
  ] as Outcome[]) {
    it(`records ${outcome.outcome} with the v3 store's GetItem and TransactWriteItems, item for item`, async () => {
      // Prepare
      ddb().on(GetItemCommand).resolves({ Item: stored() });
      ddb().on(TransactWriteItemsCommand).resolves({});
      const v2 = fakeV2([stored()]);

      // Act
      const v3Result = await v3Store().recordOutcome(outcome, RECEIVED_AT);
      const v2Result = await v2.store.recordOutcome(outcome, RECEIVED_AT);

      // Assess
      expect(v2Result).to.equal("recorded");
      expect(v2Result).to.equal(v3Result);
      expect(v2.calls.getItem).to.deep.equal([ddb().commandCalls(GetItemCommand)[0].args[0].input]);
      const v3Items = ddb().commandCalls(TransactWriteItemsCommand)[0].args[0].input.TransactItems;
      expect(v2.calls.transactWriteItems[0].TransactItems).to.deep.equal(v3Items);
      expect(v3Items?.length).to.equal(outcome.outcome === "fraud" ? 2 : 1);
    });
  }

  for (const [item, sent, expected] of [
    [undefined, "fraud", "not-found"],
    [{ outcome: "fraud", outcome_source: "dispute" }, "fraud", "duplicate"],
    [{ outcome: "legitimate", outcome_source: "dispute" }, "fraud", "conflict"],
  ] as const) {
    it(`answers ${expected} and writes nothing, as the v3 store does`, async () => {
      // Prepare
      const v2 = fakeV2([item === undefined ? undefined : stored(item)]);

      // Act
      const result = await v2.store.recordOutcome(validOutcome({ outcome: sent }), RECEIVED_AT);

      // Assess
      expect(result).to.equal(expected);
      expect(v2.calls.transactWriteItems.length).to.equal(0);
    });
  }

  it("reads again after a concurrent writer's ConditionalCheckFailed and classifies once more", async () => {
    // Prepare
    const v2 = fakeV2([stored(), stored({ outcome: "fraud", outcome_source: "dispute" })], async () => {
      throw v2Canceled("ConditionalCheckFailed", "None");
    });

    // Act
    const result = await v2.store.recordOutcome(validOutcome(), RECEIVED_AT);

    // Assess
    expect(result).to.equal("duplicate");
    expect(v2.calls.getItem.length).to.equal(2);
  });

  it("maps a cancellation by a transaction conflict to StorageThrottledError with the cause", async () => {
    // Prepare
    const cause = v2Canceled("None", "TransactionConflict");
    const v2 = fakeV2([stored()], async () => {
      throw cause;
    });

    // Act and Assess
    expect(await rejectionOf(v2.store.recordOutcome(validOutcome(), RECEIVED_AT))).to.satisfy(
      (err: Error) => {
        expect(isRuntimeError(err, ERROR_NAMES.storageThrottled)).to.be.ok;
        expect(err.cause).to.equal(cause);
        return true;
      },
    );
  });
});
