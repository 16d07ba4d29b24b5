/**
 * Policies on API Gateway: constraints 7 and 8, and AWS WAF in front of every stage.
 */
import * as aws from "@pulumi/aws";
import {
  type ResourceValidationPolicy,
  type StackValidationPolicy,
  validateResourceOfType,
} from "@pulumi/policy";
import {
  checkNotHttpApi,
  checkStagesHaveWaf,
  checkValidatedRoutes,
  checkValidator,
} from "../checks/apigateway";
import { reportEach, reportEachAt, subjectOf } from "./report";

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

const apigatewayStageWaf: StackValidationPolicy = {
  name: "apigateway-stage-waf",
  description:
    "Every API Gateway stage has an AWS WAF web ACL associated with it (a stack deployed with waf=false runs this policy as advisory or disabled in its --policy-pack-config).",
  validateStack: (args, report) => reportEachAt(checkStagesHaveWaf(args.resources), report),
};

export { apigatewayRequestValidator, apigatewayRestApiOnly, apigatewayRoutesValidated, apigatewayStageWaf };
