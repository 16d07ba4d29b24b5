/** The API definition, as pure data. */
import assert from "node:assert/strict";
import { REQUEST_VALIDATOR, transactionApiDefinition } from "../../pipeline/infra/openapi";
import { TRANSACTION_MODEL_SCHEMA } from "../../pipeline/runtime/contract/schema";

const INVOKE_ARN =
  "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:f/invocations";

describe("Function: transactionApiDefinition", () => {
  // biome-ignore lint/suspicious/noExplicitAny: the definition is untyped JSON.
  const definition: any = transactionApiDefinition({
    title: "apigw-fraud-api-dev",
    processInvokeArn: INVOKE_ARN,
  });
  const post = definition.paths["/transactions"].post;

  it("is a Swagger 2.0 document titled with the API name", () => {
    assert.equal(definition.swagger, "2.0");
    assert.equal(definition.info.title, "apigw-fraud-api-dev");
  });

  it("validates body and parameters of POST /transactions with one validator", () => {
    assert.equal(post["x-amazon-apigateway-request-validator"], REQUEST_VALIDATOR);
    assert.deepEqual(definition["x-amazon-apigateway-request-validators"], {
      [REQUEST_VALIDATOR]: { validateRequestBody: true, validateRequestParameters: true },
    });
  });

  it("uses the contract's JSON Schema as the body model, without the $schema key", () => {
    // Prepare
    const { $schema, ...expected } = TRANSACTION_MODEL_SCHEMA;
    // Assess
    assert.equal(typeof $schema, "string");
    assert.deepEqual(post.parameters, [
      { in: "body", name: "Transaction", required: true, schema: { $ref: "#/definitions/Transaction" } },
    ]);
    assert.deepEqual(definition.definitions.Transaction, expected);
    assert.equal(definition.definitions.Transaction.$schema, undefined);
  });

  it("leaves the exported schema untouched", () => {
    assert.equal(TRANSACTION_MODEL_SCHEMA.$schema, "http://json-schema.org/draft-04/schema#");
  });

  it("proxies to the given invoke ARN", () => {
    assert.deepEqual(post["x-amazon-apigateway-integration"], {
      type: "aws_proxy",
      httpMethod: "POST",
      uri: INVOKE_ARN,
      passthroughBehavior: "when_no_match",
    });
  });

  it("documents every status the function answers with", () => {
    assert.deepEqual(Object.keys(post.responses).sort(), [
      "200",
      "201",
      "400",
      "403",
      "409",
      "413",
      "500",
      "503",
    ]);
  });

  it("changes when the integration target changes (so the deployment trigger changes)", () => {
    // Act
    const other = transactionApiDefinition({
      title: "apigw-fraud-api-dev",
      processInvokeArn: `${INVOKE_ARN}x`,
    });
    // Assess
    assert.notEqual(JSON.stringify(other), JSON.stringify(definition));
  });
});
