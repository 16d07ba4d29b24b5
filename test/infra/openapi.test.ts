/** The API definition, as pure data. */
import assert from "node:assert/strict";
import {
  API_ROUTES,
  type ApiRoute,
  apiDefinition,
  REQUEST_VALIDATOR,
  ROUTE_SCHEMAS,
} from "../../pipeline/infra/openapi";
import { OUTCOME_MODEL_SCHEMA } from "../../pipeline/runtime/contract/outcome-schema";
import { TRANSACTION_MODEL_SCHEMA } from "../../pipeline/runtime/contract/schema";

const invokeArn = (fn: string) =>
  `arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:${fn}/invocations`;
const INVOKE_ARNS = { transactions: invokeArn("process"), outcomes: invokeArn("record") } as const;
const ROUTES = Object.keys(API_ROUTES) as ApiRoute[];

describe("Function: apiDefinition", () => {
  // biome-ignore lint/suspicious/noExplicitAny: the definition is untyped JSON.
  const definition: any = apiDefinition({ title: "apigw-fraud-api-dev", invokeArns: INVOKE_ARNS });
  const post = (route: ApiRoute) => definition.paths[API_ROUTES[route].path].post;

  it("is a Swagger 2.0 document titled with the API name", () => {
    assert.equal(definition.swagger, "2.0");
    assert.equal(definition.info.title, "apigw-fraud-api-dev");
  });

  it("serves exactly POST /transactions and POST /transactions/outcomes", () => {
    assert.deepEqual(
      Object.entries(definition.paths).map(([path, item]) => [path, Object.keys(item as object)]),
      [
        ["/transactions", ["post"]],
        ["/transactions/outcomes", ["post"]],
      ],
    );
  });

  it("validates body and parameters of every route with the one validator", () => {
    assert.deepEqual(definition["x-amazon-apigateway-request-validators"], {
      [REQUEST_VALIDATOR]: { validateRequestBody: true, validateRequestParameters: true },
    });
    for (const route of ROUTES) {
      assert.equal(post(route)["x-amazon-apigateway-request-validator"], REQUEST_VALIDATOR, route);
    }
  });

  it("uses each contract's JSON Schema as its route's body model, without the $schema key", () => {
    // Prepare
    const expected = [
      ["transactions", "Transaction", TRANSACTION_MODEL_SCHEMA],
      ["outcomes", "Outcome", OUTCOME_MODEL_SCHEMA],
    ] as const;
    // Assess
    assert.deepEqual(Object.keys(definition.definitions), ["Transaction", "Outcome"]);
    for (const [route, model, schema] of expected) {
      const { $schema, ...withoutSchema } = schema;
      assert.equal(typeof $schema, "string");
      assert.equal(ROUTE_SCHEMAS[route], schema);
      assert.deepEqual(post(route).parameters, [
        { in: "body", name: model, required: true, schema: { $ref: `#/definitions/${model}` } },
      ]);
      assert.deepEqual(definition.definitions[model], withoutSchema);
    }
  });

  it("leaves the exported schemas untouched", () => {
    assert.equal(TRANSACTION_MODEL_SCHEMA.$schema, "http://json-schema.org/draft-04/schema#");
    assert.equal(OUTCOME_MODEL_SCHEMA.$schema, "http://json-schema.org/draft-04/schema#");
  });

  it("proxies each route to its own invoke ARN and requires the API key on each", () => {
    for (const route of ROUTES) {
      assert.deepEqual(
        post(route)["x-amazon-apigateway-integration"],
        {
          type: "aws_proxy",
          httpMethod: "POST",
          uri: INVOKE_ARNS[route],
          passthroughBehavior: "when_no_match",
        },
        route,
      );
      assert.deepEqual(post(route).security, [{ api_key: [] }], route);
    }
  });

  it("documents every status each function answers with", () => {
    assert.deepEqual(Object.keys(post("transactions").responses), [
      "200",
      "201",
      "400",
      "403",
      "409",
      "413",
      "500",
      "503",
    ]);
    assert.deepEqual(Object.keys(post("outcomes").responses), [
      "200",
      "201",
      "400",
      "403",
      "404",
      "409",
      "413",
      "500",
      "503",
    ]);
  });

  it("changes when an integration target changes (so the deployment trigger changes)", () => {
    for (const route of ROUTES) {
      // Act
      const other = apiDefinition({
        title: "apigw-fraud-api-dev",
        invokeArns: { ...INVOKE_ARNS, [route]: `${INVOKE_ARNS[route]}x` },
      });
      // Assess
      assert.notEqual(JSON.stringify(other), JSON.stringify(definition), route);
    }
  });
});
