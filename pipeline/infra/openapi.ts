/**
 * The REST API as an OpenAPI (Swagger 2.0) document: one POST /transactions method validated
 * against the transaction model and proxied to process-transaction. Pure data, so the definition
 * is unit-testable and its hash drives redeployment.
 */
import { TRANSACTION_MODEL_SCHEMA } from "../runtime/contract/schema";

/** Name of the request validator the method uses. */
const REQUEST_VALIDATOR = "body-and-parameters";

/** Name of the API key security scheme. */
const API_KEY_SCHEME = "api_key";

/**
 * Body of API Gateway's own 400 for a body that fails the model, shaped like the function's 400.
 * Gateway response templates are not run through VTL (simple `$context` substitution only), so
 * `$util` functions are not available and would appear verbatim in the body.
 */
const VALIDATION_ERROR_TEMPLATE =
  '{"error":"invalid_request","message":"$context.error.validationErrorString","request_id":"$context.requestId"}';

/** The model without `$schema`: OpenAPI schema objects do not take it (API Gateway models are draft-04). */
function transactionModel(): Record<string, unknown> {
  const model: Record<string, unknown> = { ...TRANSACTION_MODEL_SCHEMA };
  delete model.$schema;
  return model;
}

const jsonResponse = (description: string) => ({ description, schema: { type: "object" } });

/**
 * The API definition for one stack.
 *
 * @example
 * const body = JSON.stringify(transactionApiDefinition({ title: "apigw-fraud-api-dev", processInvokeArn }));
 */
function transactionApiDefinition(args: {
  title: string;
  processInvokeArn: string;
}): Record<string, unknown> {
  return {
    swagger: "2.0",
    info: { title: args.title, version: "1.0.0" },
    schemes: ["https"],
    consumes: ["application/json"],
    produces: ["application/json"],
    securityDefinitions: { [API_KEY_SCHEME]: { type: "apiKey", name: "x-api-key", in: "header" } },
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
    definitions: { Transaction: transactionModel() },
    paths: {
      "/transactions": {
        post: {
          operationId: "submitTransaction",
          parameters: [
            {
              in: "body",
              name: "Transaction",
              required: true,
              schema: { $ref: "#/definitions/Transaction" },
            },
          ],
          security: [{ [API_KEY_SCHEME]: [] }],
          "x-amazon-apigateway-request-validator": REQUEST_VALIDATOR,
          responses: {
            "200": jsonResponse("Exact retry of an accepted transaction; nothing stored"),
            "201": jsonResponse("Transaction accepted"),
            "400": jsonResponse("Invalid request; the body names every offending field"),
            "403": jsonResponse("Missing or wrong x-api-key"),
            "409": jsonResponse("Same transaction_id and timestamp as a stored transaction, different body"),
            "413": jsonResponse("Body larger than 16 KiB"),
            "500": jsonResponse("Internal error; carries the request id, retrying the same request is safe"),
            "503": jsonResponse("Storage throttled; retry after the Retry-After header"),
          },
          "x-amazon-apigateway-integration": {
            type: "aws_proxy",
            httpMethod: "POST",
            uri: args.processInvokeArn,
            passthroughBehavior: "when_no_match",
          },
        },
      },
    },
  };
}

export { API_KEY_SCHEME, REQUEST_VALIDATOR, transactionApiDefinition, VALIDATION_ERROR_TEMPLATE };
