/** The REST API as registered: definition, deployment, stage, logging, keys and invoke permission. */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { T } from "../helpers/infra-graph";
import { type LoadedStack, loadStack, ofType, type RecordedResource, single } from "../helpers/stack";

const EXECUTION_ARN = "arn:aws:execute-api:us-east-1:123456789012:a1b2c3d4e5";
const STAGE_URL = "https://a1b2c3d4e5.execute-api.us-east-1.amazonaws.com/dev";
/** Each route's path and the function it proxies to. */
const ROUTE_FUNCTIONS = [
  ["/transactions", "process-transaction"],
  ["/transactions/outcomes", "record-outcome"],
] as const;
const ACCESS_LOG_GROUP_ARN =
  "arn:aws:logs:us-east-1:123456789012:log-group:/aws/apigateway/apigw-fraud-api-dev";

describe("Stack: REST API", () => {
  let stack: LoadedStack;
  let restApi: RecordedResource;
  // biome-ignore lint/suspicious/noExplicitAny: the OpenAPI body is untyped JSON.
  let body: any;

  before(async () => {
    stack = await loadStack();
    restApi = single(stack.resources, T.restApi, "fraud-api");
    body = JSON.parse(restApi.inputs.body);
  });

  it("is a regional API that reads the API key from the header", () => {
    assert.deepEqual(restApi.inputs.endpointConfiguration, { types: "REGIONAL" });
    assert.equal(restApi.inputs.apiKeySource, "HEADER");
    assert.equal(restApi.inputs.name, "apigw-fraud-api-dev");
  });

  for (const [path, fn] of ROUTE_FUNCTIONS) {
    it(`proxies POST ${path} to ${fn} and requires the API key`, () => {
      // Prepare
      const post = body.paths[path].post;
      // Assess
      assert.deepEqual(Object.keys(body.paths), ["/transactions", "/transactions/outcomes"]);
      assert.equal(post["x-amazon-apigateway-integration"].type, "aws_proxy");
      assert.equal(post["x-amazon-apigateway-integration"].httpMethod, "POST");
      assert.match(
        post["x-amazon-apigateway-integration"].uri,
        new RegExp(`:function:lambda-${fn}-dev/invocations$`),
      );
      assert.deepEqual(post.security, [{ api_key: [] }]);
      assert.deepEqual(body.securityDefinitions.api_key, { type: "apiKey", name: "x-api-key", in: "header" });
    });

    it(`validates the body and parameters of POST ${path} against its own model`, () => {
      // Prepare
      const post = body.paths[path].post;
      const validator =
        body["x-amazon-apigateway-request-validators"][post["x-amazon-apigateway-request-validator"]];
      const [parameter] = post.parameters;
      // Assess
      assert.deepEqual(validator, { validateRequestBody: true, validateRequestParameters: true });
      assert.equal(parameter.in, "body");
      assert.equal(parameter.required, true);
      assert.ok(body.definitions[parameter.schema.$ref.replace("#/definitions/", "")], path);
    });
  }

  it("gives each route a model of its own", () => {
    // Act
    const models = Object.values(body.paths).map(
      (item) =>
        (item as { post: { parameters: { schema: { $ref: string } }[] } }).post.parameters[0]?.schema.$ref,
    );
    // Assess
    assert.deepEqual(models, ["#/definitions/Transaction", "#/definitions/Outcome"]);
  });

  it("answers a body that fails either model with a JSON 400 carrying a fixed message and the request id", () => {
    // The gateway response is API-wide: it applies to every route's validation failure.
    const response = body["x-amazon-apigateway-gateway-responses"].BAD_REQUEST_BODY;
    const template = JSON.parse(response.responseTemplates["application/json"]);
    assert.equal(response.statusCode, "400");
    assert.deepEqual(Object.keys(template), ["error", "message", "request_id"]);
    assert.equal(template.error, "invalid_request");
    assert.equal(template.request_id, "$context.requestId");
    assert.doesNotMatch(template.message, /\$/, "the message substitutes nothing");
  });

  const permissions = [
    ["fraud-api-invoke-process", "permission-apigateway-invoke-dev", "process-transaction", "/transactions"],
    [
      "fraud-api-invoke-record",
      "permission-apigateway-invoke-outcomes-dev",
      "record-outcome",
      "/transactions/outcomes",
    ],
  ] as const;
  for (const [logicalName, statementId, fn, path] of permissions) {
    it(`lets only this API's POST ${path} invoke ${fn}`, () => {
      // Prepare
      const permission = single(stack.resources, T.permission, logicalName);
      // Assess
      assert.equal(permission.inputs.statementId, statementId);
      assert.equal(permission.inputs.principal, "apigateway.amazonaws.com");
      assert.equal(permission.inputs.action, "lambda:InvokeFunction");
      assert.equal(permission.inputs.function, `lambda-${fn}-dev`);
      assert.equal(permission.inputs.sourceArn, `${EXECUTION_ARN}/*/POST${path}`);
    });
  }

  it("exports the URL of each route on the stage", () => {
    assert.equal(stack.outputs.apiUrl, `${STAGE_URL}/transactions`);
    assert.equal(stack.outputs.outcomesUrl, `${STAGE_URL}/transactions/outcomes`);
  });

  it("redeploys when the definition changes: the trigger is the SHA-256 of the whole body, both routes included", () => {
    // Prepare
    const deployment = single(stack.resources, T.deployment, "fraud-api");
    // Assess
    assert.deepEqual(Object.keys(body.paths), ["/transactions", "/transactions/outcomes"]);
    assert.equal(
      deployment.inputs.triggers.redeployment,
      createHash("sha256").update(restApi.inputs.body).digest("hex"),
    );
  });

  it("serves stage dev with X-Ray and access logs to its own log group", () => {
    // Prepare
    const stage = single(stack.resources, T.stage, "fraud-api");
    // Assess
    assert.equal(stage.inputs.stageName, "dev");
    assert.equal(stage.inputs.xrayTracingEnabled, true);
    assert.equal(stage.inputs.accessLogSettings.destinationArn, ACCESS_LOG_GROUP_ARN);
    assert.equal(JSON.parse(stage.inputs.accessLogSettings.format).requestId, "$context.requestId");
    assert.ok(
      stage.dependencies.some((d) => d.type === T.account),
      "stage must wait for the account log role",
    );
  });

  it("throttles every method of the stage", () => {
    const settings = single(stack.resources, T.methodSettings, "fraud-api");
    assert.equal(settings.inputs.methodPath, "*/*");
    assert.equal(settings.inputs.settings.throttlingRateLimit, 1000);
    assert.equal(settings.inputs.settings.throttlingBurstLimit, 2000);
  });

  it("sets the region's CloudWatch role to one only API Gateway assumes, with AWS's managed push-to-CloudWatch policy", () => {
    // Prepare
    const role = single(stack.resources, T.role, "apigateway-logs");
    const attachment = single(stack.resources, T.attachment, "apigateway-logs");
    const account = single(stack.resources, T.account, "apigateway-logs");
    // Assess
    assert.equal(role.inputs.name, "role-apigateway-logs-dev");
    assert.deepEqual(JSON.parse(role.inputs.assumeRolePolicy).Statement[0].Principal, {
      Service: "apigateway.amazonaws.com",
    });
    assert.equal(attachment.inputs.role, "role-apigateway-logs-dev");
    assert.equal(
      attachment.inputs.policyArn,
      "arn:aws:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs",
    );
    assert.equal(account.inputs.cloudwatchRoleArn, "arn:aws:iam::123456789012:role/role-apigateway-logs-dev");
    assert.ok(
      account.dependencies.some((d) => d.type === T.attachment),
      "the role must carry its policy first",
    );
    assert.equal(ofType(stack.resources, T.rolePolicy).filter((p) => p.name === "apigateway-logs").length, 0);
  });

  it("keeps the region's CloudWatch setting, its role and the role's policy on destroy", () => {
    for (const type of [T.role, T.attachment, T.account]) {
      assert.equal(single(stack.resources, type, "apigateway-logs").retainOnDelete, true, type);
    }
  });

  it("meters the API key through a usage plan (1000 rps, burst 2000, daily quota)", () => {
    // Prepare
    const plan = single(stack.resources, T.usagePlan, "fraud-api");
    const planKey = single(stack.resources, T.usagePlanKey, "fraud-api");
    // Assess
    assert.deepEqual(plan.inputs.throttleSettings, { rateLimit: 1000, burstLimit: 2000 });
    assert.equal(plan.inputs.quotaSettings.period, "DAY");
    assert.ok(plan.inputs.quotaSettings.limit > 0);
    assert.deepEqual(plan.inputs.apiStages, [{ apiId: "a1b2c3d4e5", stage: "dev" }]);
    assert.equal(planKey.inputs.keyType, "API_KEY");
    assert.equal(planKey.inputs.keyId, "mockapikeyid");
  });
});
