/**
 * Policies on API Gateway: constraints 7 and 8.
 */
import * as aws from "@pulumi/aws";
import { type ResourceValidationPolicy, validateResourceOfType } from "@pulumi/policy";
import { checkNotHttpApi, checkValidatedRoutes, checkValidator } from "../checks/apigateway";
import { reportEach, subjectOf } from "./report";

const apigatewayRestApiOnly: ResourceValidationPolicy = {
  name: "apigateway-rest-api-only",
  description:
    "The API is an API Gateway REST API; no API Gateway v2 (HTTP or WebSocket API) resource is deployed.",
  validateResource: (args, report) => reportEach(checkNotHttpApi(subjectOf(args)), report),
};

const apigatewayRequestValidator: ResourceValidationPolicy = {
  name: "apigateway-request-validator-body-and-parameters",
  description:
    "Every API Gateway request validator validates both the request body and the request parameters.",
  validateResource: validateResourceOfType(aws.apigateway.RequestValidator, (validator, args, report) =>
    reportEach(checkValidator(subjectOf(args), validator), report),
  ),
};

const apigatewayRoutesValidated: ResourceValidationPolicy = {
  name: "apigateway-routes-validated",
  description:
    "The REST API's OpenAPI body defines POST /transactions and puts every route behind a body-and-parameters request validator, with a JSON Schema model for every request body.",
  validateResource: validateResourceOfType(aws.apigateway.RestApi, (api, args, report) =>
    reportEach(checkValidatedRoutes(subjectOf(args), api.body), report),
  ),
};

export { apigatewayRequestValidator, apigatewayRestApiOnly, apigatewayRoutesValidated };
