/**
 * DESIGN.md's mandatory constraints (rows 1 to 15), asserted on the resource graph the program
 * registers under mocks.
 */
import assert from "node:assert/strict";
import { TRANSACTION_MODEL_SCHEMA } from "../../pipeline/runtime/contract/schema";
import { functionGraph, iamDocuments, PURPOSES, resources, T } from "../helpers/infra-graph";
import { acceptsInput, isTaggableType, type LoadedStack, loadStack, ofType, single } from "../helpers/stack";

const REQUIRED_TAGS = { Environment: "production", CostCenter: "fraud-detection" };

/** Expected `{resource-type}-` prefix of the `name` input, by resource type. */
const NAME_PREFIXES: Record<string, string> = {
  [T.alias]: "alias/kms-",
  [T.table]: "dynamodb-",
  [T.queue]: "sqs-",
  [T.topic]: "sns-",
  [T.role]: "role-",
  [T.rolePolicy]: "policy-",
  [T.logGroup]: "/aws/",
  [T.fn]: "lambda-",
  [T.restApi]: "apigw-",
  [T.usagePlan]: "usageplan-",
  [T.apiKey]: "apikey-",
  [T.metricAlarm]: "cw-alarm-",
};

describe("Stack: DESIGN.md mandatory constraints", () => {
  let stack: LoadedStack;
  const functions = () => ofType(stack.resources, T.fn);

  before(async () => {
    stack = await loadStack();
  });

  it("constraint 1: every Lambda has reserved concurrency exactly 50", () => {
    // Assess
    assert.equal(functions().length, 3);
    for (const fn of functions()) assert.equal(fn.inputs.reservedConcurrentExecutions, 50, fn.name);
  });

  it("constraint 2: every Lambda has 512 MB of memory", () => {
    for (const fn of functions()) assert.equal(fn.inputs.memorySize, 512, fn.name);
  });

  it("constraint 3: every Lambda pins runtime nodejs24.x explicitly", () => {
    for (const fn of functions()) assert.equal(fn.inputs.runtime, "nodejs24.x", fn.name);
  });

  it("constraint 4: every Lambda encrypts its environment with the pipeline key", () => {
    // Prepare
    const key = ofType(stack.resources, T.key);
    // Assess
    assert.equal(key.length, 1);
    for (const fn of functions()) assert.equal(fn.inputs.kmsKeyArn, stack.outputs.kmsKeyArn, fn.name);
  });

  it("constraint 5: the DynamoDB table is on-demand (PAY_PER_REQUEST)", () => {
    const table = single(stack.resources, T.table, "transactions");
    assert.equal(table.inputs.billingMode, "PAY_PER_REQUEST");
  });

  it("constraint 6: the DynamoDB stream carries NEW_AND_OLD_IMAGES", () => {
    const table = single(stack.resources, T.table, "transactions");
    assert.equal(table.inputs.streamEnabled, true);
    assert.equal(table.inputs.streamViewType, "NEW_AND_OLD_IMAGES");
  });

  it("constraint 7: the API is a REST API (apigateway.RestApi), not an HTTP API", () => {
    // Assess
    assert.equal(ofType(stack.resources, T.restApi).length, 1);
    assert.deepEqual(
      stack.resources.filter((r) => r.type.startsWith("aws:apigatewayv2/")),
      [],
    );
  });

  it("constraint 8: a validator checks body and parameters, with the JSON Schema model on POST /transactions", () => {
    // Prepare
    const body = JSON.parse(single(stack.resources, T.restApi, "fraud-api").inputs.body);
    const post = body.paths["/transactions"].post;
    const { $schema, ...expectedModel } = TRANSACTION_MODEL_SCHEMA;
    // Assess
    assert.equal($schema, "http://json-schema.org/draft-04/schema#");
    assert.deepEqual(
      body["x-amazon-apigateway-request-validators"][post["x-amazon-apigateway-request-validator"]],
      {
        validateRequestBody: true,
        validateRequestParameters: true,
      },
    );
    const bodyParameter = post.parameters.find((p: { in: string }) => p.in === "body");
    assert.equal(bodyParameter.required, true);
    const modelName = bodyParameter.schema.$ref.replace("#/definitions/", "");
    assert.deepEqual(body.definitions[modelName], expectedModel);
  });

  it("constraint 9: the fraud-alerts queue has a 300 s visibility timeout", () => {
    const queue = single(stack.resources, T.queue, "fraud-alerts");
    assert.equal(queue.inputs.visibilityTimeoutSeconds, 300);
  });

  it("constraint 10: every taggable resource carries Environment=production and CostCenter=fraud-detection", () => {
    // Prepare
    const taggable = stack.resources.filter((r) => isTaggableType(r.type));
    const provider = single(stack.resources, T.provider, "aws-us-east-1");
    // Assess
    assert.ok(taggable.length >= 20, `only ${taggable.length} taggable resources recorded`);
    for (const r of taggable) {
      assert.equal(r.inputs.tags?.Environment, REQUIRED_TAGS.Environment, `${r.type} ${r.name}`);
      assert.equal(r.inputs.tags?.CostCenter, REQUIRED_TAGS.CostCenter, `${r.type} ${r.name}`);
    }
    assert.deepEqual(JSON.parse(provider.inputs.defaultTags).tags, REQUIRED_TAGS);
  });

  it("constraint 11: everything is destroyable (no protect, retainOnDelete, deletion protection; KMS window 7 days)", () => {
    // Assess
    for (const r of stack.resources) {
      const where = `${r.type} ${r.name}`;
      assert.equal(r.protect, false, where);
      assert.equal(r.retainOnDelete, false, where);
      assert.notEqual(r.inputs.deletionProtectionEnabled, true, where);
      assert.notEqual(r.inputs.skipDestroy, true, where);
    }
    assert.equal(single(stack.resources, T.table, "transactions").inputs.deletionProtectionEnabled, false);
    assert.equal(single(stack.resources, T.key, "fraud-pipeline").inputs.deletionWindowInDays, 7);
  });

  it("constraint 12: every physical name is {resource-type}-{purpose}-{environmentSuffix}", () => {
    // Prepare
    const named = stack.resources.filter((r) => acceptsInput(r.type, "name"));
    // Assess
    assert.ok(named.length >= 20, `only ${named.length} nameable resources recorded`);
    for (const r of named) {
      const prefix = NAME_PREFIXES[r.type];
      assert.ok(prefix, `no naming rule for ${r.type}`);
      assert.equal(typeof r.inputs.name, "string", `${r.type} ${r.name} is auto-named`);
      assert.ok(r.inputs.name.startsWith(prefix), `${r.inputs.name} should start with ${prefix}`);
      assert.match(r.inputs.name, /-[a-z0-9-]+-dev$/, `${r.type} ${r.name}`);
    }
    const names = named.map((r) => r.inputs.name);
    for (const expected of [
      "lambda-process-transaction-dev",
      "dynamodb-transactions-dev",
      "sqs-fraud-alerts-dev",
      "sns-fraud-notifications-dev",
    ]) {
      assert.ok(names.includes(expected), expected);
    }
  });

  it("constraint 13: everything deploys through one provider pinned to us-east-1, with no VPC", () => {
    // Prepare
    const providers = ofType(stack.resources, T.provider);
    const awsResources = stack.resources.filter((r) => r.type.startsWith("aws:"));
    // Assess
    assert.equal(providers.length, 1);
    assert.equal(providers[0]?.inputs.region, "us-east-1");
    for (const r of awsResources) assert.match(r.provider, /::aws-us-east-1::/, `${r.type} ${r.name}`);
    for (const call of stack.invokes) assert.match(call.provider, /::aws-us-east-1::/, call.token);
    assert.deepEqual(
      awsResources.filter((r) => r.type.startsWith("aws:ec2/") || r.inputs.vpcConfig !== undefined),
      [],
    );
  });

  it("constraint 14: every log group keeps 7 days and is encrypted with the pipeline key", () => {
    // Prepare
    const groups = ofType(stack.resources, T.logGroup);
    // Assess
    assert.equal(groups.length, 4);
    for (const group of groups) {
      assert.equal(group.inputs.retentionInDays, 7, group.name);
      assert.equal(group.inputs.kmsKeyId, stack.outputs.kmsKeyArn, group.name);
    }
  });

  it("constraint 15: one role per function, least privilege, no * action, no * resource except X-Ray", () => {
    // Prepare
    const graphs = PURPOSES.map((purpose) => functionGraph(stack.resources, purpose));
    // Assess
    assert.equal(new Set(graphs.map((g) => g.role.inputs.name)).size, 3);
    assert.equal(ofType(stack.resources, "aws:iam/rolePolicyAttachment:RolePolicyAttachment").length, 0);
    for (const { role } of graphs) assert.equal(role.inputs.managedPolicyArns, undefined, role.name);
    for (const { source, document } of iamDocuments(stack.resources)) {
      for (const statement of document.Statement) {
        const where = `${source} ${statement.Sid}`;
        assert.ok(!statement.Action.includes("*"), where);
        if (statement.Effect === "Allow") {
          assert.ok(
            statement.Action.every((a) => !a.includes("*")),
            `${where} allows a wildcard action`,
          );
        }
        const isKeyPolicy = source.startsWith(T.key);
        const isXray = statement.Action.every((a) => a.startsWith("xray:"));
        if (!isKeyPolicy && !isXray) assert.ok(!resources(statement).includes("*"), `${where} targets *`);
      }
    }
  });
});
