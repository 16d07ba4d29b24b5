/**
 * The REST API as an OpenAPI (Swagger 2.0) document: POST /transactions proxied to
 * process-transaction and POST /transactions/outcomes proxied to record-outcome, each validated
 * against its own JSON Schema model by one body-and-parameters validator and behind the API key
 * (with `apiAuth` "iam", also behind AWS SigV4: method authorization AWS_IAM). Pure data, so the
 * definition is unit-testable and its hash drives redeployment.
 */
import { OUTCOME_MODEL_SCHEMA } from "../runtime/contract/outcome-schema";
import { TRANSACTION_MODEL_SCHEMA } from "../runtime/contract/schema";
import type { ApiAuth } from "./config";
import { jsonSafeTemplate } from "./gateway-variables";

/** Name of the request validator every method uses. */
const REQUEST_VALIDATOR = "body-and-parameters";

/** Name of the API key security scheme. */
const API_KEY_SCHEME = "api_key";

/** Name of the SigV4 security scheme: API Gateway's OpenAPI form of method authorization AWS_IAM. */
const SIGV4_SCHEME = "sigv4";

/** What a 403 means when callers also sign their requests. */
const IAM_FORBIDDEN =
  "Missing or wrong x-api-key, or a request not signed (SigV4) by an allowed IAM principal";

/**
 * Body of API Gateway's own 400 for a body that fails the model, shaped like the function's 400.
 * Gateway response templates are plain `$context` substitution (no VTL, no `$util` escaping), so the
 * validator's own text (`$context.error.validationErrorString`, which holds quotes and echoes
 * client field names) cannot go in: the message is fixed and only JSON-safe ids are substituted.
 */
const VALIDATION_ERROR_TEMPLATE = jsonSafeTemplate(
  JSON.stringify({
    error: "invalid_request",
    message:
      "The request body does not match the route's model: a required field is missing, a field is unknown, or a value has the wrong type, format or range",
    request_id: "$context.requestId",
  }),
);

/** The API's routes: where each lives, the name of its body model, and what it answers. */
const API_ROUTES = {
  transactions: {
    path: "/transactions",
    method: "POST",
    operationId: "submitTransaction",
    model: "Transaction",
    responses: {
      "200": "Exact retry of an accepted transaction; nothing stored",
      "201": "Transaction accepted",
      "400":
        "Invalid request; a body that breaks the contract gets every offending field named, one that fails the model a fixed message",
      "403": "Missing or wrong x-api-key",
      "409": "Same transaction_id and timestamp as a stored transaction, different body",
      "413": "Body larger than 16 KiB",
      "500": "Internal error; carries the request id, retrying the same request is safe",
      "503": "Storage throttled; retry after the Retry-After header",
    },
  },
  outcomes: {
    path: "/transactions/outcomes",
    method: "POST",
    operationId: "recordOutcome",
    model: "Outcome",
    responses: {
      "200": "The same outcome is already recorded; nothing changed",
      "201": "Outcome recorded",
      "400":
        "Invalid request; a body that breaks the contract gets every offending field named, one that fails the model a fixed message",
      "403": "Missing or wrong x-api-key",
      "404": "No transaction with that transaction_id and timestamp",
      "409": "A different outcome is already recorded for the transaction",
      "413": "Body larger than 16 KiB",
      "500": "Internal error; carries the request id, retrying the same request is safe",
      "503": "Storage throttled; retry after the Retry-After header",
    },
  },
} as const;

type ApiRoute = keyof typeof API_ROUTES;

/** The JSON Schema (draft-04) each route's body is validated against. */
const ROUTE_SCHEMAS: Readonly<Record<ApiRoute, Readonly<Record<string, unknown>>>> = {
  transactions: TRANSACTION_MODEL_SCHEMA,
  outcomes: OUTCOME_MODEL_SCHEMA,
};

/** A model without `$schema`: OpenAPI schema objects do not take it (API Gateway models are draft-04). */
function openApiModel(schema: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const model: Record<string, unknown> = { ...schema };
  delete model.$schema;
  return model;
}

const jsonResponse = (description: string) => ({ description, schema: { type: "object" } });

/**
 * One validated method proxied to the function behind `invokeArn`, behind the API key and, with
 * `iam`, SigV4 too: both schemes in one requirement object means both are required.
 */
function operation(route: ApiRoute, invokeArn: string, auth: ApiAuth): Record<string, unknown> {
  const { operationId, model } = API_ROUTES[route];
  const responses =
    auth === "iam" ? { ...API_ROUTES[route].responses, "403": IAM_FORBIDDEN } : API_ROUTES[route].responses;
  return {
    operationId,
    parameters: [{ in: "body", name: model, required: true, schema: { $ref: `#/definitions/${model}` } }],
    security: [{ [API_KEY_SCHEME]: [], ...(auth === "iam" ? { [SIGV4_SCHEME]: [] } : {}) }],
    "x-amazon-apigateway-request-validator": REQUEST_VALIDATOR,
    responses: Object.fromEntries(
      Object.entries(responses).map(([status, description]) => [status, jsonResponse(description)]),
    ),
    "x-amazon-apigateway-integration": {
      type: "aws_proxy",
      // Lambda proxy integrations always call the function with POST, whatever the route's method.
      httpMethod: "POST",
      uri: invokeArn,
      passthroughBehavior: "when_no_match",
    },
  };
}

/**
 * The API definition for one stack, given the invoke ARN of each route's function and how callers
 * authenticate (`apiKey` unless given).
 *
 * @example
 * const body = JSON.stringify(apiDefinition({ title: "apigw-fraud-api-dev", invokeArns: { transactions, outcomes }, auth: "iam" }));
 */
function apiDefinition(args: {
  title: string;
  invokeArns: Readonly<Record<ApiRoute, string>>;
  auth?: ApiAuth;
}): Record<string, unknown> {
  const routes = Object.keys(API_ROUTES) as ApiRoute[];
  const auth = args.auth ?? "apiKey";
  return {
    swagger: "2.0",
    info: { title: args.title, version: "1.0.0" },
    schemes: ["https"],
    consumes: ["application/json"],
    produces: ["application/json"],
    securityDefinitions: {
      [API_KEY_SCHEME]: { type: "apiKey", name: "x-api-key", in: "header" },
      ...(auth === "iam"
        ? {
            [SIGV4_SCHEME]: {
              type: "apiKey",
              name: "Authorization",
              in: "header",
              "x-amazon-apigateway-authtype": "awsSigv4",
            },
          }
        : {}),
    },
    "x-amazon-apigateway-api-key-source": "HEADER",
    "x-amazon-apigateway-request-validators": {
      [REQUEST_VALIDATOR]: { validateRequestBody: true, validateRequestParameters: true },
    },
    "x-amazon-apigateway-gateway-responses": {
      BAD_REQUEST_BODY: {
        // A string in API Gateway's extension (gatewayResponse.statusCode is documented as string).
        statusCode: "400",
        responseTemplates: { "application/json": VALIDATION_ERROR_TEMPLATE },
      },
    },
    definitions: Object.fromEntries(
      routes.map((route) => [API_ROUTES[route].model, openApiModel(ROUTE_SCHEMAS[route])]),
    ),
    paths: Object.fromEntries(
      routes.map((route) => [
        API_ROUTES[route].path,
        { [API_ROUTES[route].method.toLowerCase()]: operation(route, args.invokeArns[route], auth) },
      ]),
    ),
  };
}

export type { ApiRoute };
export {
  API_KEY_SCHEME,
  API_ROUTES,
  apiDefinition,
  REQUEST_VALIDATOR,
  ROUTE_SCHEMAS,
  SIGV4_SCHEME,
  VALIDATION_ERROR_TEMPLATE,
};
