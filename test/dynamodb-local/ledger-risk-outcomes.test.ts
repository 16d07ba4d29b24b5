import { DescribeTimeToLiveCommand, GetItemCommand } from "@aws-sdk/client-dynamodb";
import { marshall, unmarshall } from "@aws-sdk/util-dynamodb";
import { expect } from "chai";
import { makeDynamoTransactionStore } from "../../pipeline/runtime/aws/dynamodb";
import { makeDynamoNotificationLedger } from "../../pipeline/runtime/aws/dynamodb-ledger";
import {
  makeDynamoMerchantRiskReader,
  makeDynamoMerchantRiskWriter,
} from "../../pipeline/runtime/aws/dynamodb-merchant-risk";
import { makeDynamoOutcomeStore } from "../../pipeline/runtime/aws/dynamodb-outcomes";
import {
  dayOf,
  expiresAtSeconds,
  fraudsAttribute,
  transactionsAttribute,
} from "../../pipeline/runtime/detect/merchant-risk";
import { describeDynamoDBLocal } from "../helpers/dynamodb-local";
import { FIXED_NOW, validTransaction } from "../helpers/transactions";

describeDynamoDBLocal("DynamoDB Local: notification ledger, merchant-risk counters and outcomes", (db) => {
  let tableName: string;
  let merchantRiskTableName: string;
  const stored = async (name: string, key: Record<string, unknown>) => {
    const { Item } = await db.clients.dynamodb.send(
      new GetItemCommand({ TableName: name, Key: marshall(key), ConsistentRead: true }),
    );
    return Item === undefined ? undefined : unmarshall(Item);
  };
  const putTransaction = async (id: string, merchantId = "m-it") => {
    const tx = validTransaction({ transaction_id: id, merchant_id: merchantId });
    await makeDynamoTransactionStore({ client: db.clients.dynamodb, tableName }).putTransaction(
      tx,
      FIXED_NOW,
    );
    return { transaction_id: tx.transaction_id, timestamp: tx.timestamp };
  };

  before(async () => {
    ({ tableName, merchantRiskTableName } = await db.createPipelineTables());
  });

  it("claims a notification once, refuses a second claim while the lease runs, and releases and confirms it", async () => {
    // Prepare
    const key = await putTransaction("it-ledger-1");
    const ledger = makeDynamoNotificationLedger({ client: db.clients.dynamodb, tableName });

    // Act
    const first = await ledger.claim(key, FIXED_NOW, 30_000);
    const whileLeased = await ledger.claim(key, FIXED_NOW + 1_000, 30_000);
    await ledger.release(key);
    const afterRelease = await ledger.claim(key, FIXED_NOW + 2_000, 30_000);
    await ledger.confirm(key, FIXED_NOW + 3_000);
    const afterConfirm = await ledger.claim(key, FIXED_NOW + 60_000, 30_000);

    // Assess
    expect([first, whileLeased, afterRelease, afterConfirm]).to.deep.equal([
      "claimed",
      "in-progress",
      "claimed",
      "already-notified",
    ]);
    const item = await stored(tableName, key);
    expect(item).to.include({ notified_at: FIXED_NOW + 3_000 });
    expect(item).to.not.have.property("notify_lease_until");
  });

  it("claims again once an expired lease's notifier crashed", async () => {
    // Prepare
    const key = await putTransaction("it-ledger-2");
    const ledger = makeDynamoNotificationLedger({ client: db.clients.dynamodb, tableName });
    await ledger.claim(key, FIXED_NOW, 1_000);

    // Act
    const outcome = await ledger.claim(key, FIXED_NOW + 5_000, 1_000);

    // Assess
    expect(outcome).to.equal("claimed");
  });

  it("refuses to claim, and quietly confirms or releases nothing, for a transaction that is not stored", async () => {
    // Prepare
    const ledger = makeDynamoNotificationLedger({ client: db.clients.dynamodb, tableName });
    const key = { transaction_id: "it-ledger-none", timestamp: 1 };

    // Act
    const claim = await ledger.claim(key, FIXED_NOW, 1_000).catch((error: Error) => error);
    await ledger.confirm(key, FIXED_NOW);
    await ledger.release(key);

    // Assess
    expect((claim as Error).message).to.match(/it-ledger-none .* is not in table/);
    expect(await stored(tableName, key)).to.equal(undefined);
  });

  it("adds merchant counts atomically, sets the TTL attribute, and reads the profiles back", async () => {
    // Prepare
    const writer = makeDynamoMerchantRiskWriter({
      client: db.clients.dynamodb,
      tableName: merchantRiskTableName,
    });
    const reader = makeDynamoMerchantRiskReader({
      client: db.clients.dynamodb,
      tableName: merchantRiskTableName,
    });
    const day = dayOf(FIXED_NOW);

    // Act
    await writer.addToBuckets([{ merchantId: "m-risk-1", day, transactions: 2, frauds: 0 }], FIXED_NOW);
    await Promise.all([
      writer.addToBuckets([{ merchantId: "m-risk-1", day, transactions: 1, frauds: 1 }], FIXED_NOW),
      writer.addToBuckets([{ merchantId: "m-risk-2", day: day - 1, transactions: 1, frauds: 0 }], FIXED_NOW),
    ]);
    const profiles = await reader.profiles(["m-risk-1", "m-risk-2", "m-risk-none", "m-risk-1"]);
    const ttl = await db.clients.dynamodb.send(
      new DescribeTimeToLiveCommand({ TableName: merchantRiskTableName }),
    );

    // Assess
    expect([...profiles.keys()].sort()).to.deep.equal(["m-risk-1", "m-risk-2"]);
    expect(profiles.get("m-risk-1")).to.include({
      [transactionsAttribute(day)]: 3,
      [fraudsAttribute(day)]: 1,
      expires_at: expiresAtSeconds(FIXED_NOW),
    });
    expect(profiles.get("m-risk-2")).to.include({ [transactionsAttribute(day - 1)]: 1 });
    expect(ttl.TimeToLiveDescription?.AttributeName).to.equal("expires_at");
  });

  it("records an outcome with its fraud count in one transaction, once, and tells duplicates, conflicts and unknown keys", async () => {
    // Prepare
    const key = await putTransaction("it-outcome-1", "m-outcome");
    const outcomes = makeDynamoOutcomeStore({
      client: db.clients.dynamodb,
      tableName,
      merchantRiskTableName,
    });
    const fraud = { ...key, outcome: "fraud" as const, source: "chargeback" as const };

    // Act
    const results = [
      await outcomes.recordOutcome(fraud, FIXED_NOW),
      await outcomes.recordOutcome(fraud, FIXED_NOW + 1),
      await outcomes.recordOutcome({ ...fraud, outcome: "legitimate" }, FIXED_NOW + 2),
      await outcomes.recordOutcome({ ...fraud, transaction_id: "it-outcome-none" }, FIXED_NOW),
    ];

    // Assess
    expect(results).to.deep.equal(["recorded", "duplicate", "conflict", "not-found"]);
    expect(await stored(tableName, key)).to.include({
      outcome: "fraud",
      outcome_source: "chargeback",
      outcome_received_at: FIXED_NOW,
    });
    expect(await stored(merchantRiskTableName, { merchant_id: "m-outcome" })).to.include({
      [fraudsAttribute(dayOf(FIXED_NOW))]: 1,
    });
  });
});
