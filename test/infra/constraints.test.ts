/**
 * DESIGN.md's mandatory constraints (rows 1 to 15), asserted on the resource graph the program
 * registers under mocks.
 */
import assert from "node:assert/strict";
import { OUTCOME_MODEL_SCHEMA } from "../../pipeline/runtime/contract/outcome-schema";
import { TRANSACTION_MODEL_SCHEMA } from "../../pipeline/runtime/contract/schema";
import { functionGraph, iamDocuments, PURPOSES, resources, T } from "../helpers/infra-graph";
import { acceptsInput, isTaggableType, type LoadedStack, loadStack, ofType, single } from "../helpers/stack";

const REQUIRED_TAGS = { Environment: "production", CostCenter: "fraud-detection" };

/** Expected `{resource-type}-` prefix (or prefixes) of the `name` input, by resource type. */
const NAME_PREFIXES: Record<string, string | readonly string[]> = {
  [T.alias]: "alias/kms-",
  [T.table]: "dynamodb-",
  [T.queue]: "sqs-",
  [T.topic]: "sns-",
  [T.role]: "role-",
  [T.rolePolicy]: "policy-",
  // WAF accepts only log groups named aws-waf-logs-...: that prefix is their {resource-type}.
  [T.logGroup]: ["/aws/", "aws-waf-logs-"],
  [T.fn]: "lambda-",
  [T.restApi]: "apigw-",
  [T.usagePlan]: "usageplan-",
  [T.apiKey]: "apikey-",
  [T.metricAlarm]: "cw-alarm-",
  [T.webAcl]: "waf-",
};

/** The tables the stack creates, by logical name. */
const TABLES = ["transactions", "merchant-risk"];

/** Each API route with the JSON Schema its body is validated against. */
const ROUTE_MODELS = [
  ["/transactions", TRANSACTION_MODEL_SCHEMA],
  ["/transactions/outcomes", OUTCOME_MODEL_SCHEMA],
] as const;

describe("Stack: DESIGN.md mandatory constraints", () => {
  let stack: LoadedStack;
  const functions = () => ofType(stack.resources, T.fn);
  const tables = () => ofType(stack.resources, T.table);

  before(async () => {
    stack = await loadStack();
  });

  it("constraint 1: every Lambda has reserved concurrency exactly 50", () => {
    // Assess
    assert.deepEqual(
      functions()
        .map((fn) => fn.name)
        .sort(),
      [...PURPOSES].sort(),
    );
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

  it("constraint 5: every DynamoDB table is on-demand (PAY_PER_REQUEST)", () => {
    assert.deepEqual(
      tables()
        .map((table) => table.name)
        .sort(),
      [...TABLES].sort(),
    );
    for (const table of tables()) assert.equal(table.inputs.billingMode, "PAY_PER_REQUEST", table.name);
  });

  it("constraint 6: the transactions table streams NEW_AND_OLD_IMAGES, and no table streams anything else", () => {
    // Prepare
    const transactions = single(stack.resources, T.table, "transactions");
    // Assess
    assert.equal(transactions.inputs.streamEnabled, true);
    assert.equal(transactions.inputs.streamViewType, "NEW_AND_OLD_IMAGES");
    for (const table of tables().filter((t) => t.inputs.streamEnabled === true)) {
      assert.equal(table.inputs.streamViewType, "NEW_AND_OLD_IMAGES", table.name);
    }
  });

  it("constraint 7: the API is a REST API (apigateway.RestApi), not an HTTP API", () => {
    // Assess
    assert.equal(ofType(stack.resources, T.restApi).length, 1);
    assert.deepEqual(
      stack.resources.filter((r) => r.type.startsWith("aws:apigatewayv2/")),
      [],
    );
  });

  it("constraint 8: on every route a validator checks body and parameters, with the route's JSON Schema model", () => {
    // Prepare
    const body = JSON.parse(single(stack.resources, T.restApi, "fraud-api").inputs.body);
    // Assess
    assert.deepEqual(
      Object.keys(body.paths),
      ROUTE_MODELS.map(([path]) => path),
    );
    for (const [path, schema] of ROUTE_MODELS) {
      const post = body.paths[path].post;
      const { $schema, ...expectedModel } = schema;
      assert.equal($schema, "http://json-schema.org/draft-04/schema#", path);
      assert.deepEqual(
        body["x-amazon-apigateway-request-validators"][post["x-amazon-apigateway-request-validator"]],
        { validateRequestBody: true, validateRequestParameters: true },
        path,
      );
      const bodyParameter = post.parameters.find((p: { in: string }) => p.in === "body");
      assert.equal(bodyParameter.required, true, path);
      const modelName = bodyParameter.schema.$ref.replace("#/definitions/", "");
      assert.deepEqual(body.definitions[modelName], expectedModel, path);
    }
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
    for (const table of tables()) assert.equal(table.inputs.deletionProtectionEnabled, false, table.name);
    assert.equal(single(stack.resources, T.key, "fraud-pipeline").inputs.deletionWindowInDays, 7);
  });

  it("constraint 12: every physical name is {resource-type}-{purpose}-{environmentSuffix}", () => {
    // Prepare
    const named = stack.resources.filter((r) => acceptsInput(r.type, "name"));
    // Assess
    assert.ok(named.length >= 20, `only ${named.length} nameable resources recorded`);
    for (const r of named) {
      const prefixes = [NAME_PREFIXES[r.type] ?? []].flat();
      assert.ok(prefixes.length > 0, `no naming rule for ${r.type}`);
      assert.equal(typeof r.inputs.name, "string", `${r.type} ${r.name} is auto-named`);
      assert.ok(
        prefixes.some((prefix) => r.inputs.name.startsWith(prefix)),
        `${r.inputs.name} should start with ${prefixes.join(" or ")}`,
      );
      assert.match(r.inputs.name, /-[a-z0-9-]+-dev$/, `${r.type} ${r.name}`);
    }
    const names = named.map((r) => r.inputs.name);
    for (const expected of [
      "lambda-process-transaction-dev",
      "lambda-record-outcome-dev",
      "dynamodb-transactions-dev",
      "dynamodb-merchant-risk-dev",
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
    // Assess: one per function, the API's access log group and WAF's log group.
    assert.equal(groups.length, PURPOSES.length + 2);
    for (const group of groups) {
      assert.equal(group.inputs.retentionInDays, 7, group.name);
      assert.equal(group.inputs.kmsKeyId, stack.outputs.kmsKeyArn, group.name);
    }
  });

  it("constraint 15: one role per function, least privilege, no * action, no * resource except X-Ray", () => {
    // Prepare
    const graphs = PURPOSES.map((purpose) => functionGraph(stack.resources, purpose));
    // Assess
    assert.equal(new Set(graphs.map((g) => g.role.inputs.name)).size, PURPOSES.length);
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
