/** The REST API as registered: definition, deployment, stage, logging, keys and invoke permission. */

import { createHash } from "node:crypto";
import { expect } from "chai";
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
    expect(restApi.inputs.endpointConfiguration).to.deep.equal({ types: "REGIONAL" });
    expect(restApi.inputs.apiKeySource).to.equal("HEADER");
    expect(restApi.inputs.name).to.equal("apigw-fraud-api-dev");
  });

  for (const [path, fn] of ROUTE_FUNCTIONS) {
    it(`proxies POST ${path} to ${fn} and requires the API key`, () => {
      // Prepare
      const post = body.paths[path].post;
      // Assess
      expect(Object.keys(body.paths)).to.deep.equal(["/transactions", "/transactions/outcomes"]);
      expect(post["x-amazon-apigateway-integration"].type).to.equal("aws_proxy");
      expect(post["x-amazon-apigateway-integration"].httpMethod).to.equal("POST");
      expect(post["x-amazon-apigateway-integration"].uri).to.match(
        new RegExp(`:function:lambda-${fn}-dev/invocations$`),
      );
      expect(post.security).to.deep.equal([{ api_key: [] }]);
      expect(body.securityDefinitions.api_key).to.deep.equal({
        type: "apiKey",
        name: "x-api-key",
        in: "header",
      });
    });

    it(`validates the body and parameters of POST ${path} against its own model`, () => {
      // Prepare
      const post = body.paths[path].post;
      const validator =
        body["x-amazon-apigateway-request-validators"][post["x-amazon-apigateway-request-validator"]];
      const [parameter] = post.parameters;
      // Assess
      expect(validator).to.deep.equal({ validateRequestBody: true, validateRequestParameters: true });
      expect(parameter.in).to.equal("body");
      expect(parameter.required).to.equal(true);
      expect(body.definitions[parameter.schema.$ref.replace("#/definitions/", "")], path).to.be.ok;
    });
  }

  it("gives each route a model of its own", () => {
    // Act
    const models = Object.values(body.paths).map(
      (item) =>
        (item as { post: { parameters: { schema: { $ref: string } }[] } }).post.parameters[0]?.schema.$ref,
    );
    // Assess
    expect(models).to.deep.equal(["#/definitions/Transaction", "#/definitions/Outcome"]);
  });

  it("answers a body that fails either model with a JSON 400 carrying a fixed message and the request id", () => {
    // The gateway response is API-wide: it applies to every route's validation failure.
    const response = body["x-amazon-apigateway-gateway-responses"].BAD_REQUEST_BODY;
    const template = JSON.parse(response.responseTemplates["application/json"]);
    expect(response.statusCode).to.equal("400");
    expect(Object.keys(template)).to.deep.equal(["error", "message", "request_id"]);
    expect(template.error).to.equal("invalid_request");
    expect(template.request_id).to.equal("$context.requestId");
    expect(template.message, "the message substitutes nothing").not.to.match(/\$/);
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
      expect(permission.inputs.statementId).to.equal(statementId);
      expect(permission.inputs.principal).to.equal("apigateway.amazonaws.com");
      expect(permission.inputs.action).to.equal("lambda:InvokeFunction");
      expect(permission.inputs.function).to.equal(`lambda-${fn}-dev`);
      expect(permission.inputs.sourceArn).to.equal(`${EXECUTION_ARN}/*/POST${path}`);
    });
  }

  it("exports the URL of each route on the stage", () => {
    expect(stack.outputs.apiUrl).to.equal(`${STAGE_URL}/transactions`);
    expect(stack.outputs.outcomesUrl).to.equal(`${STAGE_URL}/transactions/outcomes`);
  });

  it("redeploys when the definition changes: the trigger is the SHA-256 of the whole body, both routes included", () => {
    // Prepare
    const deployment = single(stack.resources, T.deployment, "fraud-api");
    // Assess
    expect(Object.keys(body.paths)).to.deep.equal(["/transactions", "/transactions/outcomes"]);
    expect(deployment.inputs.triggers.redeployment).to.equal(
      createHash("sha256").update(restApi.inputs.body).digest("hex"),
    );
  });

  it("serves stage dev with X-Ray and access logs to its own log group", () => {
    // Prepare
    const stage = single(stack.resources, T.stage, "fraud-api");
    // Assess
    expect(stage.inputs.stageName).to.equal("dev");
    expect(stage.inputs.xrayTracingEnabled).to.equal(true);
    expect(stage.inputs.accessLogSettings.destinationArn).to.equal(ACCESS_LOG_GROUP_ARN);
    expect(JSON.parse(stage.inputs.accessLogSettings.format).requestId).to.equal("$context.requestId");
    expect(
      stage.dependencies.some((d) => d.type === T.account),
      "stage must wait for the account log role",
    ).to.be.ok;
  });

  it("throttles every method of the stage", () => {
    const settings = single(stack.resources, T.methodSettings, "fraud-api");
    expect(settings.inputs.methodPath).to.equal("*/*");
    expect(settings.inputs.settings.throttlingRateLimit).to.equal(1000);
    expect(settings.inputs.settings.throttlingBurstLimit).to.equal(2000);
  });

  it("sets the region's CloudWatch role to one only API Gateway assumes, with AWS's managed push-to-CloudWatch policy", () => {
    // Prepare
    const role = single(stack.resources, T.role, "apigateway-logs");
    const attachment = single(stack.resources, T.attachment, "apigateway-logs");
    const account = single(stack.resources, T.account, "apigateway-logs");
    // Assess
    expect(role.inputs.name).to.equal("role-apigateway-logs-dev");
    expect(JSON.parse(role.inputs.assumeRolePolicy).Statement[0].Principal).to.deep.equal({
      Service: "apigateway.amazonaws.com",
    });
    expect(attachment.inputs.role).to.equal("role-apigateway-logs-dev");
    expect(attachment.inputs.policyArn).to.equal(
      "arn:aws:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs",
    );
    expect(account.inputs.cloudwatchRoleArn).to.equal(
      "arn:aws:iam::123456789012:role/role-apigateway-logs-dev",
    );
    expect(
      account.dependencies.some((d) => d.type === T.attachment),
      "the role must carry its policy first",
    ).to.be.ok;
    expect(ofType(stack.resources, T.rolePolicy).filter((p) => p.name === "apigateway-logs").length).to.equal(
      0,
    );
  });

  it("keeps the region's CloudWatch setting, its role and the role's policy on destroy", () => {
    for (const type of [T.role, T.attachment, T.account]) {
      expect(single(stack.resources, type, "apigateway-logs").retainOnDelete, type).to.equal(true);
    }
  });

  it("meters the API key through a usage plan (1000 rps, burst 2000, daily quota)", () => {
    // Prepare
    const plan = single(stack.resources, T.usagePlan, "fraud-api");
    const planKey = single(stack.resources, T.usagePlanKey, "fraud-api");
    // Assess
    expect(plan.inputs.throttleSettings).to.deep.equal({ rateLimit: 1000, burstLimit: 2000 });
    expect(plan.inputs.quotaSettings.period).to.equal("DAY");
    expect(plan.inputs.quotaSettings.limit > 0).to.be.ok;
    expect(plan.inputs.apiStages).to.deep.equal([{ apiId: "a1b2c3d4e5", stage: "dev" }]);
    expect(planKey.inputs.keyType).to.equal("API_KEY");
    expect(planKey.inputs.keyId).to.equal("mockapikeyid");
  });
});
