/** The API definition, as pure data. */
import { expect } from "chai";
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
    expect(definition.swagger).to.equal("2.0");
    expect(definition.info.title).to.equal("apigw-fraud-api-dev");
  });

  it("serves exactly POST /transactions and POST /transactions/outcomes", () => {
    expect(
      Object.entries(definition.paths).map(([path, item]) => [path, Object.keys(item as object)]),
    ).to.deep.equal([
      ["/transactions", ["post"]],
      ["/transactions/outcomes", ["post"]],
    ]);
  });

  it("validates body and parameters of every route with the one validator", () => {
    expect(definition["x-amazon-apigateway-request-validators"]).to.deep.equal({
      [REQUEST_VALIDATOR]: { validateRequestBody: true, validateRequestParameters: true },
    });
    for (const route of ROUTES) {
      expect(post(route)["x-amazon-apigateway-request-validator"], route).to.equal(REQUEST_VALIDATOR);
    }
  });

  it("uses each contract's JSON Schema as its route's body model, without the $schema key", () => {
    // Prepare
    const expected = [
      ["transactions", "Transaction", TRANSACTION_MODEL_SCHEMA],
      ["outcomes", "Outcome", OUTCOME_MODEL_SCHEMA],
    ] as const;
    // Assess
    expect(Object.keys(definition.definitions)).to.deep.equal(["Transaction", "Outcome"]);
    for (const [route, model, schema] of expected) {
      const { $schema, ...withoutSchema } = schema;
      expect(typeof $schema).to.equal("string");
      expect(ROUTE_SCHEMAS[route]).to.equal(schema);
      expect(post(route).parameters).to.deep.equal([
        { in: "body", name: model, required: true, schema: { $ref: `#/definitions/${model}` } },
      ]);
      expect(definition.definitions[model]).to.deep.equal(withoutSchema);
    }
  });

  it("leaves the exported schemas untouched", () => {
    expect(TRANSACTION_MODEL_SCHEMA.$schema).to.equal("http://json-schema.org/draft-04/schema#");
    expect(OUTCOME_MODEL_SCHEMA.$schema).to.equal("http://json-schema.org/draft-04/schema#");
  });

  it("proxies each route to its own invoke ARN and requires the API key on each", () => {
    for (const route of ROUTES) {
      expect(post(route)["x-amazon-apigateway-integration"], route).to.deep.equal({
        type: "aws_proxy",
        httpMethod: "POST",
        uri: INVOKE_ARNS[route],
        passthroughBehavior: "when_no_match",
      });
      expect(post(route).security, route).to.deep.equal([{ api_key: [] }]);
    }
  });

  it("documents every status each function answers with", () => {
    expect(Object.keys(post("transactions").responses)).to.deep.equal([
      "200",
      "201",
      "400",
      "403",
      "409",
      "413",
      "500",
      "503",
    ]);
    expect(Object.keys(post("outcomes").responses)).to.deep.equal([
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
      expect(JSON.stringify(other), route).not.to.equal(JSON.stringify(definition));
    }
  });
});
