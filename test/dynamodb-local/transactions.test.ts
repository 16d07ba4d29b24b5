import { DescribeTableCommand, GetItemCommand, PutItemCommand, QueryCommand } from "@aws-sdk/client-dynamodb";
import { marshall, unmarshall } from "@aws-sdk/util-dynamodb";
import { expect } from "chai";
import sinon from "sinon";
import { ensureTable } from "../../local/dynamodb-tables";
import {
  makeDynamoAccountHistory,
  makeDynamoTransactionStore,
  makeDynamoVerdictStore,
} from "../../pipeline/runtime/aws/dynamodb";
import { ACCOUNT_INDEX, ID_GUARD } from "../../pipeline/runtime/contract/item";
import type { Transaction, Verdict } from "../../pipeline/runtime/contract/transaction";
import { TRANSACTION_TABLE } from "../../pipeline/runtime/table-definitions";
import { describeDynamoDBLocal } from "../helpers/dynamodb-local";
import { FIXED_NOW, fullTransaction, validTransaction } from "../helpers/transactions";

const verdict = (decidedAt: number): Verdict => ({
  verdict: "flagged",
  score: 72.5,
  rules: ["velocity"],
  reasons: ["5 transactions in 10 minutes"],
  decidedAt,
});

describeDynamoDBLocal("DynamoDB Local: the transactions table and its adapters", (db) => {
  let tableName: string;
  const store = () => makeDynamoTransactionStore({ client: db.clients.dynamodb, tableName });
  const getItem = async (transaction_id: string, timestamp: number) => {
    const { Item } = await db.clients.dynamodb.send(
      new GetItemCommand({
        TableName: tableName,
        Key: marshall({ transaction_id, timestamp }),
        ConsistentRead: true,
      }),
    );
    return Item === undefined ? undefined : unmarshall(Item);
  };

  before(async () => {
    tableName = db.tableName("transactions");
    await ensureTable(db.clients.dynamodb, TRANSACTION_TABLE, tableName);
  });

  it("creates the table with the stack's keys, account index and stream", async () => {
    // Act
    const { Table } = await db.clients.dynamodb.send(new DescribeTableCommand({ TableName: tableName }));

    // Assess
    expect(Table?.KeySchema).to.deep.equal([
      { AttributeName: "transaction_id", KeyType: "HASH" },
      { AttributeName: "timestamp", KeyType: "RANGE" },
    ]);
    expect(
      Table?.GlobalSecondaryIndexes?.map((index) => [index.IndexName, index.Projection?.ProjectionType]),
    ).to.deep.equal([[ACCOUNT_INDEX, "ALL"]]);
    expect(Table?.StreamSpecification).to.deep.equal({
      StreamEnabled: true,
      StreamViewType: "NEW_AND_OLD_IMAGES",
    });
  });

  describe("the transaction store (TransactWriteItems of the item and its id guard)", () => {
    it("creates once, then tells an exact retry (duplicate) from another body (conflict) by the old item", async () => {
      // Prepare
      const tx = fullTransaction({ transaction_id: "it-store-1" });

      // Act
      const outcomes = [
        await store().putTransaction(tx, FIXED_NOW),
        await store().putTransaction(tx, FIXED_NOW + 5),
        await store().putTransaction({ ...tx, amount: tx.amount + 1 }, FIXED_NOW + 9),
      ];

      // Assess
      expect(outcomes).to.deep.equal(["created", "duplicate", "conflict"]);
      expect(await getItem(tx.transaction_id, tx.timestamp)).to.deep.equal({ ...tx, received_at: FIXED_NOW });
    });

    it("answers id-taken for a known id at another timestamp and stores nothing new", async () => {
      // Prepare
      const tx = validTransaction({ transaction_id: "it-store-2" });
      await store().putTransaction(tx, FIXED_NOW);

      // Act
      const outcome = await store().putTransaction({ ...tx, timestamp: tx.timestamp + 1_000 }, FIXED_NOW);

      // Assess
      expect(outcome).to.equal("id-taken");
      expect(await getItem(tx.transaction_id, tx.timestamp + 1_000)).to.equal(undefined);
      expect(await getItem(tx.transaction_id, ID_GUARD.timestamp)).to.deep.equal({
        transaction_id: tx.transaction_id,
        timestamp: ID_GUARD.timestamp,
        guarded_timestamp: tx.timestamp,
        received_at: FIXED_NOW,
      });
    });

    it("lets exactly one of concurrent posts of one id with different timestamps through", async () => {
      // Prepare
      const tx = validTransaction({ transaction_id: "it-store-3" });

      // Act
      const settled = await Promise.allSettled(
        Array.from({ length: 8 }, (_, i) =>
          store().putTransaction({ ...tx, timestamp: tx.timestamp + i }, FIXED_NOW),
        ),
      );

      // Assess: the losers see the guard (id-taken) or a transaction conflict (503, retry later)
      const created = settled.filter((s) => s.status === "fulfilled" && s.value === "created");
      expect(created).to.have.length(1);
      for (const result of settled) {
        if (result.status === "fulfilled") expect(result.value).to.be.oneOf(["created", "id-taken"]);
        else expect((result.reason as Error).name).to.equal("StorageThrottledError");
      }
    });

    it("stores a coordinate below DynamoDB's smallest magnitude as 0, and knows the retry", async () => {
      // Prepare
      const tx = validTransaction({
        transaction_id: "it-store-4",
        location: { latitude: 1e-200, longitude: 1 },
      });

      // Act
      const outcomes = [
        await store().putTransaction(tx, FIXED_NOW),
        await store().putTransaction(tx, FIXED_NOW),
      ];

      // Assess
      expect(outcomes).to.deep.equal(["created", "duplicate"]);
      expect((await getItem(tx.transaction_id, tx.timestamp))?.location).to.deep.equal({
        latitude: 0,
        longitude: 1,
      });
    });
  });

  describe("the account history (Query of the account index)", () => {
    const account = "acct-history-it";
    const txs: Transaction[] = Array.from({ length: 30 }, (_, i) =>
      validTransaction({
        transaction_id: `it-hist-${i}`,
        account_id: account,
        timestamp: FIXED_NOW - (30 - i) * 60_000,
      }),
    );

    before(async () => {
      for (const tx of txs) await store().putTransaction(tx, FIXED_NOW);
    });

    it("returns the window newest first, at most `limit`, and never the id guards", async () => {
      // Prepare
      const history = makeDynamoAccountHistory({ client: db.clients.dynamodb, tableName });

      // Act
      const all = await history.recentForAccount(account, 0, FIXED_NOW, 100);
      const limited = await history.recentForAccount(account, 0, FIXED_NOW, 7);
      const window = await history.recentForAccount(account, txs[10].timestamp, txs[12].timestamp, 100);
      const none = await history.recentForAccount(account, 0, FIXED_NOW, 0);

      // Assess
      const ids = (items: unknown[]) => items.map((item) => (item as Transaction).transaction_id);
      expect(ids(all)).to.deep.equal(txs.map((tx) => tx.transaction_id).reverse());
      expect(ids(limited)).to.deep.equal(ids(all).slice(0, 7));
      expect(ids(window)).to.deep.equal(["it-hist-12", "it-hist-11", "it-hist-10"]);
      expect(none).to.deep.equal([]);
      expect(all[0]).to.deep.equal({ ...txs[29] });
    });

    it("keeps the id guards out of the index: it is sparse and they carry no account_id", async () => {
      // Act
      const page = await db.clients.dynamodb.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: "transaction_id = :id",
          ExpressionAttributeValues: marshall({ ":id": "it-hist-0" }),
        }),
      );
      const indexed = await db.clients.dynamodb.send(
        new QueryCommand({
          TableName: tableName,
          IndexName: ACCOUNT_INDEX,
          KeyConditionExpression: "account_id = :account",
          ExpressionAttributeValues: marshall({ ":account": account }),
        }),
      );

      // Assess: the table holds the transaction and its guard; the index only the transactions
      expect(page.Items?.map((item) => unmarshall(item).timestamp)).to.deep.equal([
        ID_GUARD.timestamp,
        txs[0].timestamp,
      ]);
      expect(indexed.Count).to.equal(txs.length);
    });

    it("follows the pages DynamoDB cuts at 1 MB until it has `limit` items", async () => {
      // Prepare: four 350 KB items of one account cannot come back in one 1 MB page
      const padded = Array.from({ length: 4 }, (_, i) => ({
        ...validTransaction({
          transaction_id: `it-page-${i}`,
          account_id: "acct-pages",
          timestamp: FIXED_NOW - i,
        }),
        padding: "x".repeat(350_000),
      }));
      for (const item of padded) {
        await db.clients.dynamodb.send(new PutItemCommand({ TableName: tableName, Item: marshall(item) }));
      }
      const history = makeDynamoAccountHistory({ client: db.clients.dynamodb, tableName });
      const send = sinon.spy(db.clients.dynamodb, "send");

      // Act
      let items: unknown[];
      try {
        items = await history.recentForAccount("acct-pages", 0, FIXED_NOW, 4);
      } finally {
        send.restore();
      }

      // Assess
      expect(items.map((item) => (item as Transaction).transaction_id)).to.deep.equal(
        padded.map((p) => p.transaction_id),
      );
      expect(items[0]).to.not.have.property("padding");
      expect(send.callCount).to.be.greaterThan(1);
    });
  });

  describe("the verdict write-back (conditional UpdateItem)", () => {
    it("writes the verdict, tells the first from a redelivered one, and never creates an item", async () => {
      // Prepare
      const tx = validTransaction({ transaction_id: "it-verdict-1" });
      await store().putTransaction(tx, FIXED_NOW);
      const verdicts = makeDynamoVerdictStore({ client: db.clients.dynamodb, tableName });
      const key = { transaction_id: tx.transaction_id, timestamp: tx.timestamp };

      // Act
      const first = await verdicts.recordVerdict(key, verdict(FIXED_NOW + 1));
      const again = await verdicts.recordVerdict(key, verdict(FIXED_NOW + 2));
      const missing = await verdicts.recordVerdict(
        { transaction_id: "it-verdict-none", timestamp: 1 },
        verdict(3),
      );

      // Assess
      expect([first, again, missing]).to.deep.equal([{ first: true }, { first: false }, { first: false }]);
      expect(await getItem(tx.transaction_id, tx.timestamp)).to.include({
        verdict: "flagged",
        fraud_score: 72.5,
        verdict_at: FIXED_NOW + 2,
      });
      expect(await getItem("it-verdict-none", 1)).to.equal(undefined);
    });
  });
});
