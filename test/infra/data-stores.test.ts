/** Key, tables, queues and topic as registered. */
import { assert, expect } from "chai";
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
    expect(key.inputs.enableKeyRotation).to.equal(true);
    expect(alias.inputs.name).to.equal("alias/kms-fraud-pipeline-dev");
    expect(alias.inputs.targetKeyId).to.equal("mock-key-fraud-pipeline");
  });

  it("writes the caller's account id into the key policy", () => {
    const policy = JSON.parse(single(stack.resources, T.key, "fraud-pipeline").inputs.policy);
    expect(policy.Statement[0].Principal.AWS).to.equal("arn:aws:iam::123456789012:root");
  });

  it("keys the table by transaction_id and timestamp, with the account history index", () => {
    // Prepare
    const table = single(stack.resources, T.table, "transactions");
    // Assess
    expect(table.inputs.hashKey).to.equal("transaction_id");
    expect(table.inputs.rangeKey).to.equal("timestamp");
    expect(table.inputs.attributes).to.deep.equal([
      { name: "transaction_id", type: "S" },
      { name: "timestamp", type: "N" },
      { name: "account_id", type: "S" },
    ]);
    expect(table.inputs.globalSecondaryIndexes).to.deep.equal([
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
    expect(table.inputs.name).to.equal("dynamodb-merchant-risk-dev");
    expect(table.inputs.hashKey).to.equal(MERCHANT_RISK_ATTRIBUTES.merchantId);
    expect(table.inputs.rangeKey).to.equal(undefined);
    expect(table.inputs.attributes).to.deep.equal([{ name: MERCHANT_RISK_ATTRIBUTES.merchantId, type: "S" }]);
    expect(table.inputs.globalSecondaryIndexes).to.equal(undefined);
    expect(table.inputs.ttl).to.deep.equal({
      enabled: true,
      attributeName: MERCHANT_RISK_ATTRIBUTES.expiresAt,
    });
    expect(stack.outputs.merchantRiskTableName).to.equal("dynamodb-merchant-risk-dev");
  });

  it("streams only the transactions table: nothing consumes merchant-risk changes", () => {
    // Prepare
    const merchantRisk = single(stack.resources, T.table, "merchant-risk");
    // Assess
    expect(merchantRisk.inputs.streamEnabled).not.to.equal(true);
    expect(merchantRisk.inputs.streamViewType).to.equal(undefined);
    expect(
      ofType(stack.resources, T.mapping).every(
        (mapping) => !String(mapping.inputs.eventSourceArn).includes("dynamodb-merchant-risk"),
      ),
    ).to.be.ok;
  });

  for (const name of ["transactions", "merchant-risk"]) {
    it(`encrypts the ${name} table with the pipeline key, keeps point-in-time recovery on and bills on demand`, () => {
      const table = single(stack.resources, T.table, name);
      expect(table.inputs.serverSideEncryption).to.deep.equal({
        enabled: true,
        kmsKeyArn: stack.outputs.kmsKeyArn,
      });
      expect(table.inputs.pointInTimeRecovery).to.deep.equal({ enabled: true });
      expect(table.inputs.billingMode).to.equal("PAY_PER_REQUEST");
      expect(table.inputs.deletionProtectionEnabled).to.equal(false);
    });
  }

  it("encrypts every queue with the pipeline key", () => {
    // Prepare
    const queues = ofType(stack.resources, T.queue);
    // Assess
    expect(queues.length).to.equal(3);
    for (const queue of queues)
      expect(queue.inputs.kmsMasterKeyId, queue.name).to.equal(stack.outputs.kmsKeyArn);
  });

  it("moves an alert to sqs-fraud-alerts-dlq-dev after 5 receives", () => {
    const queue = single(stack.resources, T.queue, "fraud-alerts");
    expect(JSON.parse(queue.inputs.redrivePolicy)).to.deep.equal({
      deadLetterTargetArn: "arn:aws:sqs:us-east-1:123456789012:sqs-fraud-alerts-dlq-dev",
      maxReceiveCount: 5,
    });
  });

  it("keeps dead letters for 14 days", () => {
    expect(single(stack.resources, T.queue, "fraud-alerts-dlq").inputs.messageRetentionSeconds).to.equal(
      FOURTEEN_DAYS,
    );
    expect(single(stack.resources, T.queue, "stream-failures").inputs.messageRetentionSeconds).to.equal(
      FOURTEEN_DAYS,
    );
  });

  it("denies non-TLS requests on every queue", () => {
    // Prepare
    const queues = ofType(stack.resources, T.queue);
    const policies = ofType(stack.resources, T.queuePolicy);
    // Assess
    expect(policies.length).to.equal(queues.length);
    for (const queue of queues) {
      const url = `https://sqs.us-east-1.amazonaws.com/123456789012/${queue.inputs.name}`;
      const policy = policies.find((p) => p.inputs.queueUrl === url);
      assert.ok(policy, `${queue.inputs.name} has no queue policy`);
      const [statement] = JSON.parse(policy.inputs.policy).Statement;
      expect(statement.Effect).to.equal("Deny");
      expect(statement.Principal).to.equal("*");
      expect(statement.Condition).to.deep.equal({ Bool: { "aws:SecureTransport": "false" } });
      expect(statement.Resource).to.equal(`arn:aws:sqs:us-east-1:123456789012:${queue.inputs.name}`);
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
    expect(topic.inputs.kmsMasterKeyId).to.equal(stack.outputs.kmsKeyArn);
    expect(statement.Effect).to.equal("Deny");
    expect(statement.Action).to.deep.equal(["sns:Publish"]);
    expect(statement.Condition).to.deep.equal({ Bool: { "aws:SecureTransport": "false" } });
    expect({ protocol: subscription.inputs.protocol, endpoint: subscription.inputs.endpoint }).to.deep.equal({
      protocol: "email",
      endpoint: "fraud-team@example.com",
    });
  });
});
