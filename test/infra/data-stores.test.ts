/** Key, tables, queues and topic as registered. */
import assert from "node:assert/strict";
import { ACCOUNT_INDEX } from "../../pipeline/runtime/contract/item";
import { MERCHANT_RISK_ATTRIBUTES } from "../../pipeline/runtime/detect/merchant-risk";
import { T } from "../helpers/infra-graph";
import { type LoadedStack, loadStack, ofType, single } from "../helpers/stack";

const FOURTEEN_DAYS = 1_209_600;

describe("Stack: encryption and data stores", () => {
  let stack: LoadedStack;

  before(async () => {
    stack = await loadStack();
  });

  it("rotates the key and names it alias/kms-fraud-pipeline-dev", () => {
    // Prepare
    const key = single(stack.resources, T.key, "fraud-pipeline");
    const alias = single(stack.resources, T.alias, "fraud-pipeline");
    // Assess
    assert.equal(key.inputs.enableKeyRotation, true);
    assert.equal(alias.inputs.name, "alias/kms-fraud-pipeline-dev");
    assert.equal(alias.inputs.targetKeyId, "mock-key-fraud-pipeline");
  });

  it("writes the caller's account id into the key policy", () => {
    const policy = JSON.parse(single(stack.resources, T.key, "fraud-pipeline").inputs.policy);
    assert.equal(policy.Statement[0].Principal.AWS, "arn:aws:iam::123456789012:root");
  });

  it("keys the table by transaction_id and timestamp, with the account history index", () => {
    // Prepare
    const table = single(stack.resources, T.table, "transactions");
    // Assess
    assert.equal(table.inputs.hashKey, "transaction_id");
    assert.equal(table.inputs.rangeKey, "timestamp");
    assert.deepEqual(table.inputs.attributes, [
      { name: "transaction_id", type: "S" },
      { name: "timestamp", type: "N" },
      { name: "account_id", type: "S" },
    ]);
    assert.deepEqual(table.inputs.globalSecondaryIndexes, [
      {
        name: ACCOUNT_INDEX,
        keySchemas: [
          { attributeName: "account_id", keyType: "HASH" },
          { attributeName: "timestamp", keyType: "RANGE" },
        ],
        projectionType: "ALL",
      },
    ]);
  });

  it("keys the merchant-risk table by merchant id alone, expiring idle merchants through TTL", () => {
    // Prepare
    const table = single(stack.resources, T.table, "merchant-risk");
    // Assess
    assert.equal(table.inputs.name, "dynamodb-merchant-risk-dev");
    assert.equal(table.inputs.hashKey, MERCHANT_RISK_ATTRIBUTES.merchantId);
    assert.equal(table.inputs.rangeKey, undefined);
    assert.deepEqual(table.inputs.attributes, [{ name: MERCHANT_RISK_ATTRIBUTES.merchantId, type: "S" }]);
    assert.equal(table.inputs.globalSecondaryIndexes, undefined);
    assert.deepEqual(table.inputs.ttl, { enabled: true, attributeName: MERCHANT_RISK_ATTRIBUTES.expiresAt });
    assert.equal(stack.outputs.merchantRiskTableName, "dynamodb-merchant-risk-dev");
  });

  it("streams only the transactions table: nothing consumes merchant-risk changes", () => {
    // Prepare
    const merchantRisk = single(stack.resources, T.table, "merchant-risk");
    // Assess
    assert.notEqual(merchantRisk.inputs.streamEnabled, true);
    assert.equal(merchantRisk.inputs.streamViewType, undefined);
    assert.ok(
      ofType(stack.resources, T.mapping).every(
        (mapping) => !String(mapping.inputs.eventSourceArn).includes("dynamodb-merchant-risk"),
      ),
    );
  });

  for (const name of ["transactions", "merchant-risk"]) {
    it(`encrypts the ${name} table with the pipeline key, keeps point-in-time recovery on and bills on demand`, () => {
      const table = single(stack.resources, T.table, name);
      assert.deepEqual(table.inputs.serverSideEncryption, {
        enabled: true,
        kmsKeyArn: stack.outputs.kmsKeyArn,
      });
      assert.deepEqual(table.inputs.pointInTimeRecovery, { enabled: true });
      assert.equal(table.inputs.billingMode, "PAY_PER_REQUEST");
      assert.equal(table.inputs.deletionProtectionEnabled, false);
    });
  }

  it("encrypts every queue with the pipeline key", () => {
    // Prepare
    const queues = ofType(stack.resources, T.queue);
    // Assess
    assert.equal(queues.length, 3);
    for (const queue of queues)
      assert.equal(queue.inputs.kmsMasterKeyId, stack.outputs.kmsKeyArn, queue.name);
  });

  it("moves an alert to sqs-fraud-alerts-dlq-dev after 5 receives", () => {
    const queue = single(stack.resources, T.queue, "fraud-alerts");
    assert.deepEqual(JSON.parse(queue.inputs.redrivePolicy), {
      deadLetterTargetArn: "arn:aws:sqs:us-east-1:123456789012:sqs-fraud-alerts-dlq-dev",
      maxReceiveCount: 5,
    });
  });

  it("keeps dead letters for 14 days", () => {
    assert.equal(
      single(stack.resources, T.queue, "fraud-alerts-dlq").inputs.messageRetentionSeconds,
      FOURTEEN_DAYS,
    );
    assert.equal(
      single(stack.resources, T.queue, "stream-failures").inputs.messageRetentionSeconds,
      FOURTEEN_DAYS,
    );
  });

  it("denies non-TLS requests on every queue", () => {
    // Prepare
    const queues = ofType(stack.resources, T.queue);
    const policies = ofType(stack.resources, T.queuePolicy);
    // Assess
    assert.equal(policies.length, queues.length);
    for (const queue of queues) {
      const url = `https://sqs.us-east-1.amazonaws.com/123456789012/${queue.inputs.name}`;
      const policy = policies.find((p) => p.inputs.queueUrl === url);
      assert.ok(policy, `${queue.inputs.name} has no queue policy`);
      const [statement] = JSON.parse(policy.inputs.policy).Statement;
      assert.equal(statement.Effect, "Deny");
      assert.equal(statement.Principal, "*");
      assert.deepEqual(statement.Condition, { Bool: { "aws:SecureTransport": "false" } });
      assert.equal(statement.Resource, `arn:aws:sqs:us-east-1:123456789012:${queue.inputs.name}`);
    }
  });

  it("encrypts the topic, denies non-TLS publish and emails the alert address", () => {
    // Prepare
    const topic = single(stack.resources, T.topic, "fraud-notifications");
    const [statement] = JSON.parse(
      single(stack.resources, T.topicPolicy, "fraud-notifications").inputs.policy,
    ).Statement;
    const subscription = single(stack.resources, T.subscription, "fraud-notifications-email");
    // Assess
    assert.equal(topic.inputs.kmsMasterKeyId, stack.outputs.kmsKeyArn);
    assert.equal(statement.Effect, "Deny");
    assert.deepEqual(statement.Action, ["sns:Publish"]);
    assert.deepEqual(statement.Condition, { Bool: { "aws:SecureTransport": "false" } });
    assert.deepEqual(
      { protocol: subscription.inputs.protocol, endpoint: subscription.inputs.endpoint },
      { protocol: "email", endpoint: "fraud-team@example.com" },
    );
  });
});
