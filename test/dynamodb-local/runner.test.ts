import { GetItemCommand } from "@aws-sdk/client-dynamodb";
import { marshall, unmarshall } from "@aws-sdk/util-dynamodb";
import { expect } from "chai";
import { startDynamoPipeline } from "../../local/dynamodb-pipeline";
import { readOutbox } from "../../local/outbox-topic";
import { describeDynamoDBLocal } from "../helpers/dynamodb-local";
import {
  accountBurst,
  liveTransaction,
  postJson,
  quietTestOptions,
  useTestPipelines,
} from "../helpers/local";

/** Velocity fires from the 4th transaction in 10 minutes and alone reaches the threshold. */
const VELOCITY_RULES = { rules: { velocity: { maxCount: 3, baseScore: 60, maxScore: 80 } } };

describeDynamoDBLocal("npm start -- --dynamodb-endpoint: the local runner on DynamoDB Local", (db) => {
  const pipelines = useTestPipelines();

  it("drives transactions through the SDK adapters and the polled stream to detected, notified alerts", async () => {
    // Prepare
    const local = pipelines.keep(
      await startDynamoPipeline({
        ...quietTestOptions(pipelines.dir),
        dynamodbEndpoint: db.endpoint.href,
        rulesConfig: VELOCITY_RULES,
      }),
    );
    const burst = accountBurst("acct-runner-it", 5, Date.now() - 120_000);
    const quiet = liveTransaction({ transaction_id: "tx-runner-quiet", account_id: "acct-runner-quiet" });

    // Act
    const statuses: number[] = [];
    for (const tx of [...burst, quiet])
      statuses.push((await postJson(local.url, "/transactions", tx)).status);
    const retry = await postJson(local.url, "/transactions", quiet);
    const restamped = await postJson(local.url, "/transactions", {
      ...quiet,
      timestamp: quiet.timestamp - 1,
    });
    await local.idle();
    const outcome = await postJson(local.url, "/transactions/outcomes", {
      transaction_id: burst[4].transaction_id,
      timestamp: burst[4].timestamp,
      outcome: "fraud",
      source: "analyst",
    });

    // Assess
    expect(statuses).to.deep.equal([201, 201, 201, 201, 201, 201]);
    expect([retry.status, restamped.status]).to.deep.equal([200, 409]);
    expect(
      readOutbox(local.outbox)
        .map((entry) => entry.transaction_id)
        .sort(),
    ).to.deep.equal([burst[3].transaction_id, burst[4].transaction_id]);
    const { Item } = await db.clients.dynamodb.send(
      new GetItemCommand({
        TableName: local.tables.transactions,
        Key: marshall({ transaction_id: burst[4].transaction_id, timestamp: burst[4].timestamp }),
        ConsistentRead: true,
      }),
    );
    const stored = unmarshall(Item ?? {});
    expect(stored.verdict).to.equal("flagged");
    expect(stored.notified_at).to.be.a("number");
    expect(outcome.status).to.equal(201);
    expect(local.stream.delivered()).to.equal(6);
    expect(local.stream.deadLetters()).to.deep.equal([]);
  });
});
