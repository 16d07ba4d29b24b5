import { GetItemCommand } from "@aws-sdk/client-dynamodb";
import { marshall, unmarshall } from "@aws-sdk/util-dynamodb";
import { expect } from "chai";
import { latestStreamArn, readStream } from "../../local/dynamodb-stream";
import { matchesFilter } from "../../local/event-filter";
import {
  makeDynamoAccountHistory,
  makeDynamoTransactionStore,
  makeDynamoVerdictStore,
} from "../../pipeline/runtime/aws/dynamodb";
import {
  makeDynamoMerchantRiskReader,
  makeDynamoMerchantRiskWriter,
} from "../../pipeline/runtime/aws/dynamodb-merchant-risk";
import { makeTransactionCodec } from "../../pipeline/runtime/contract/codec";
import type { Transaction } from "../../pipeline/runtime/contract/transaction";
import { makeDetectHandler } from "../../pipeline/runtime/detect/handler";
import { dayOf, transactionsAttribute } from "../../pipeline/runtime/detect/merchant-risk";
import { TRANSACTION_STREAM_FILTER } from "../../pipeline/runtime/table-definitions";
import { memoryAlerts, memoryLog, memoryMetrics, rulesOnlyConfig } from "../helpers/detect";
import { describeDynamoDBLocal } from "../helpers/dynamodb-local";
import { FIXED_NOW, lambdaContext, validTransaction } from "../helpers/transactions";

/** Velocity fires from the 4th transaction in 10 minutes and alone reaches the threshold. */
const VELOCITY = rulesOnlyConfig({ rules: { velocity: { maxCount: 3, baseScore: 60, maxScore: 80 } } });

describeDynamoDBLocal("DynamoDB Local: the stream, read back and fed to detect-fraud", (db) => {
  let tableName: string;
  let merchantRiskTableName: string;

  before(async () => {
    ({ tableName, merchantRiskTableName } = await db.createPipelineTables());
  });

  it("delivers only transaction INSERTs through the stack's filter, and detection flags the burst end to end", async () => {
    // Prepare: a burst of five on one account, one quiet transaction, and a re-stamped id
    const client = db.clients.dynamodb;
    const store = makeDynamoTransactionStore({ client, tableName });
    const burst: Transaction[] = Array.from({ length: 5 }, (_, i) =>
      validTransaction({
        transaction_id: `it-burst-${i + 1}`,
        account_id: "acct-stream-busy",
        merchant_id: `m-stream-${i}`,
        timestamp: FIXED_NOW - (5 - i) * 60_000,
      }),
    );
    const quiet = validTransaction({ transaction_id: "it-quiet", account_id: "acct-stream-quiet" });
    const outcomes: string[] = [];
    for (const tx of [...burst, quiet]) outcomes.push(await store.putTransaction(tx, FIXED_NOW));
    outcomes.push(await store.putTransaction({ ...quiet, timestamp: quiet.timestamp - 1 }, FIXED_NOW));
    const streamArn = await latestStreamArn(client, tableName);
    const alerts = memoryAlerts();
    const detect = makeDetectHandler({
      history: makeDynamoAccountHistory({ client, tableName }),
      verdicts: makeDynamoVerdictStore({ client, tableName }),
      merchantProfiles: makeDynamoMerchantRiskReader({ client, tableName: merchantRiskTableName }),
      merchantCounts: makeDynamoMerchantRiskWriter({ client, tableName: merchantRiskTableName }),
      alerts: alerts.port,
      config: VELOCITY,
      codec: makeTransactionCodec(),
      now: () => FIXED_NOW,
      log: memoryLog().port,
      metrics: memoryMetrics().port,
    });

    // Act
    const written = await readStream(db.clients.streams, streamArn);
    const delivered = written.filter((record) => matchesFilter(TRANSACTION_STREAM_FILTER, record));
    const response = await detect({ Records: delivered }, lambdaContext());
    const afterDetection = await readStream(db.clients.streams, streamArn);

    // Assess: twelve INSERTs were written (six transactions, six guards; the re-stamped id none)
    expect(outcomes).to.deep.equal([...burst.map(() => "created"), "created", "id-taken"]);
    expect(written.map((record) => record.eventName)).to.deep.equal(Array(12).fill("INSERT"));
    expect(delivered.map((record) => record.dynamodb?.NewImage?.transaction_id?.S)).to.deep.equal([
      ...burst.map((tx) => tx.transaction_id),
      "it-quiet",
    ]);
    expect(delivered[0].eventSourceARN).to.equal(streamArn);
    expect(delivered[0].dynamodb?.StreamViewType).to.equal("NEW_AND_OLD_IMAGES");
    expect(typeof delivered[0].dynamodb?.ApproximateCreationDateTime).to.equal("number");
    expect(response?.batchItemFailures).to.deep.equal([]);
    expect(alerts.calls.flat().map((alert) => alert.transaction_id)).to.deep.equal([
      "it-burst-4",
      "it-burst-5",
    ]);
    const verdictOf = async (tx: Transaction) => {
      const { Item } = await client.send(
        new GetItemCommand({
          TableName: tableName,
          Key: marshall({ transaction_id: tx.transaction_id, timestamp: tx.timestamp }),
        }),
      );
      return unmarshall(Item ?? {}).verdict;
    };
    expect(await Promise.all([...burst, quiet].map(verdictOf))).to.deep.equal([
      "cleared",
      "cleared",
      "cleared",
      "flagged",
      "flagged",
      "cleared",
    ]);
    const { Item: merchant } = await client.send(
      new GetItemCommand({ TableName: merchantRiskTableName, Key: marshall({ merchant_id: "m-stream-0" }) }),
    );
    expect(unmarshall(merchant ?? {})).to.include({ [transactionsAttribute(dayOf(burst[0].timestamp))]: 1 });
    // The verdict write-backs are MODIFY records: on the stream, but never delivered again.
    const modified = afterDetection.filter((record) => record.eventName === "MODIFY");
    expect(modified).to.have.length(6);
    expect(modified.filter((record) => matchesFilter(TRANSACTION_STREAM_FILTER, record))).to.deep.equal([]);
  });
});
