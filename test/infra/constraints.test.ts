/**
 * The mandatory constraints of docs/design.md (rows 1 to 15), asserted on the resource graph the program
 * registers under mocks.
 */
import { expect } from "chai";
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

describe("Stack: the mandatory constraints (docs/design.md)", () => {
  let stack: LoadedStack;
  const functions = () => ofType(stack.resources, T.fn);
  const tables = () => ofType(stack.resources, T.table);

  before(async () => {
    stack = await loadStack();
  });

  it("constraint 1: every Lambda has reserved concurrency exactly 50", () => {
    // Assess
    expect(
      functions()
        .map((fn) => fn.name)
        .sort(),
    ).to.deep.equal([...PURPOSES].sort());
    for (const fn of functions()) expect(fn.inputs.reservedConcurrentExecutions, fn.name).to.equal(50);
  });

  it("constraint 2: every Lambda has 512 MB of memory", () => {
    for (const fn of functions()) expect(fn.inputs.memorySize, fn.name).to.equal(512);
  });

  it("constraint 3: every Lambda pins runtime nodejs24.x explicitly", () => {
    for (const fn of functions()) expect(fn.inputs.runtime, fn.name).to.equal("nodejs24.x");
  });

  it("constraint 4: every Lambda encrypts its environment with the pipeline key", () => {
    // Prepare
    const key = ofType(stack.resources, T.key);
    // Assess
    expect(key.length).to.equal(1);
    for (const fn of functions()) expect(fn.inputs.kmsKeyArn, fn.name).to.equal(stack.outputs.kmsKeyArn);
  });

  it("constraint 5: every DynamoDB table is on-demand (PAY_PER_REQUEST)", () => {
    expect(
      tables()
        .map((table) => table.name)
        .sort(),
    ).to.deep.equal([...TABLES].sort());
    for (const table of tables()) expect(table.inputs.billingMode, table.name).to.equal("PAY_PER_REQUEST");
  });

  it("constraint 6: the transactions table streams NEW_AND_OLD_IMAGES, and no table streams anything else", () => {
    // Prepare
    const transactions = single(stack.resources, T.table, "transactions");
    // Assess
    expect(transactions.inputs.streamEnabled).to.equal(true);
    expect(transactions.inputs.streamViewType).to.equal("NEW_AND_OLD_IMAGES");
    for (const table of tables().filter((t) => t.inputs.streamEnabled === true)) {
      expect(table.inputs.streamViewType, table.name).to.equal("NEW_AND_OLD_IMAGES");
    }
  });

  it("constraint 7: the API is a REST API (apigateway.RestApi), not an HTTP API", () => {
    // Assess
    expect(ofType(stack.resources, T.restApi).length).to.equal(1);
    expect(stack.resources.filter((r) => r.type.startsWith("aws:apigatewayv2/"))).to.deep.equal([]);
  });

  it("constraint 8: on every route a validator checks body and parameters, with the route's JSON Schema model", () => {
    // Prepare
    const body = JSON.parse(single(stack.resources, T.restApi, "fraud-api").inputs.body);
    // Assess
    expect(Object.keys(body.paths)).to.deep.equal(ROUTE_MODELS.map(([path]) => path));
    for (const [path, schema] of ROUTE_MODELS) {
      const post = body.paths[path].post;
      const { $schema, ...expectedModel } = schema;
      expect($schema, path).to.equal("http://json-schema.org/draft-04/schema#");
      expect(
        body["x-amazon-apigateway-request-validators"][post["x-amazon-apigateway-request-validator"]],
        path,
      ).to.deep.equal({ validateRequestBody: true, validateRequestParameters: true });
      const bodyParameter = post.parameters.find((p: { in: string }) => p.in === "body");
      expect(bodyParameter.required, path).to.equal(true);
      const modelName = bodyParameter.schema.$ref.replace("#/definitions/", "");
      expect(body.definitions[modelName], path).to.deep.equal(expectedModel);
    }
  });

  it("constraint 9: the fraud-alerts queue has a 300 s visibility timeout", () => {
    const queue = single(stack.resources, T.queue, "fraud-alerts");
    expect(queue.inputs.visibilityTimeoutSeconds).to.equal(300);
  });

  it("constraint 10: every taggable resource carries Environment=production and CostCenter=fraud-detection", () => {
    // Prepare
    const taggable = stack.resources.filter((r) => isTaggableType(r.type));
    const provider = single(stack.resources, T.provider, "aws-us-east-1");
    // Assess
    expect(taggable.length >= 20, `only ${taggable.length} taggable resources recorded`).to.be.ok;
    for (const r of taggable) {
      expect(r.inputs.tags?.Environment, `${r.type} ${r.name}`).to.equal(REQUIRED_TAGS.Environment);
      expect(r.inputs.tags?.CostCenter, `${r.type} ${r.name}`).to.equal(REQUIRED_TAGS.CostCenter);
    }
    expect(JSON.parse(provider.inputs.defaultTags).tags).to.deep.equal(REQUIRED_TAGS);
  });

  it("constraint 11: everything is destroyable (no protect, retainOnDelete, deletion protection; KMS window 7 days)", () => {
    // Assess: only the region's API Gateway CloudWatch setting and its role outlive the stack, as
    // other stacks' APIs log through them.
    const retained = stack.resources.filter((r) => r.retainOnDelete).map((r) => `${r.type} ${r.name}`);
    expect(retained.sort()).to.deep.equal([
      `${T.account} apigateway-logs`,
      `${T.role} apigateway-logs`,
      `${T.attachment} apigateway-logs`,
    ]);
    for (const r of stack.resources) {
      const where = `${r.type} ${r.name}`;
      expect(r.protect, where).to.equal(false);
      expect(r.inputs.deletionProtectionEnabled, where).not.to.equal(true);
      expect(r.inputs.skipDestroy, where).not.to.equal(true);
    }
    for (const table of tables()) expect(table.inputs.deletionProtectionEnabled, table.name).to.equal(false);
    expect(single(stack.resources, T.key, "fraud-pipeline").inputs.deletionWindowInDays).to.equal(7);
  });

  it("constraint 12: every physical name is {resource-type}-{purpose}-{environmentSuffix}", () => {
    // Prepare
    const named = stack.resources.filter((r) => acceptsInput(r.type, "name"));
    // Assess
    expect(named.length >= 20, `only ${named.length} nameable resources recorded`).to.be.ok;
    for (const r of named) {
      const prefixes = [NAME_PREFIXES[r.type] ?? []].flat();
      expect(prefixes.length > 0, `no naming rule for ${r.type}`).to.be.ok;
      expect(typeof r.inputs.name, `${r.type} ${r.name} is auto-named`).to.equal("string");
      expect(
        prefixes.some((prefix) => r.inputs.name.startsWith(prefix)),
        `${r.inputs.name} should start with ${prefixes.join(" or ")}`,
      ).to.be.ok;
      expect(r.inputs.name, `${r.type} ${r.name}`).to.match(/-[a-z0-9-]+-dev$/);
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
      expect(names.includes(expected), expected).to.be.ok;
    }
  });

  it("constraint 13: everything deploys through one provider pinned to us-east-1, with no VPC", () => {
    // Prepare
    const providers = ofType(stack.resources, T.provider);
    const awsResources = stack.resources.filter((r) => r.type.startsWith("aws:"));
    // Assess
    expect(providers.length).to.equal(1);
    expect(providers[0]?.inputs.region).to.equal("us-east-1");
    for (const r of awsResources) expect(r.provider, `${r.type} ${r.name}`).to.match(/::aws-us-east-1::/);
    for (const call of stack.invokes) expect(call.provider, call.token).to.match(/::aws-us-east-1::/);
    expect(
      awsResources.filter((r) => r.type.startsWith("aws:ec2/") || r.inputs.vpcConfig !== undefined),
    ).to.deep.equal([]);
  });

  it("constraint 14: every log group keeps 7 days and is encrypted with the pipeline key", () => {
    // Prepare
    const groups = ofType(stack.resources, T.logGroup);
    // Assess: one per function, the API's access log group and WAF's log group.
    expect(groups.length).to.equal(PURPOSES.length + 2);
    for (const group of groups) {
      expect(group.inputs.retentionInDays, group.name).to.equal(7);
      expect(group.inputs.kmsKeyId, group.name).to.equal(stack.outputs.kmsKeyArn);
    }
  });

  it("constraint 15: one role per function, least privilege, no * action, no * resource except X-Ray", () => {
    // Prepare
    const graphs = PURPOSES.map((purpose) => functionGraph(stack.resources, purpose));
    // Assess
    expect(new Set(graphs.map((g) => g.role.inputs.name)).size).to.equal(PURPOSES.length);
    // The one managed policy: AWS's documented policy for the region's API Gateway CloudWatch role.
    expect(
      ofType(stack.resources, T.attachment).map((a) => [a.name, a.inputs.role, a.inputs.policyArn]),
    ).to.deep.equal([
      [
        "apigateway-logs",
        "role-apigateway-logs-dev",
        "arn:aws:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs",
      ],
    ]);
    for (const { role } of graphs) expect(role.inputs.managedPolicyArns, role.name).to.equal(undefined);
    for (const { source, document } of iamDocuments(stack.resources)) {
      for (const statement of document.Statement) {
        const where = `${source} ${statement.Sid}`;
        expect(!statement.Action.includes("*"), where).to.be.ok;
        if (statement.Effect === "Allow") {
          expect(
            statement.Action.every((a) => !a.includes("*")),
            `${where} allows a wildcard action`,
          ).to.be.ok;
        }
        const isKeyPolicy = source.startsWith(T.key);
        const isXray = statement.Action.every((a) => a.startsWith("xray:"));
        if (!isKeyPolicy && !isXray)
          expect(!resources(statement).includes("*"), `${where} targets *`).to.be.ok;
      }
    }
  });
});
