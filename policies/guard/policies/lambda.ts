/**
 * Policies on Lambda functions: constraints 1-4 and the "no VPC" half of 13.
 */
import * as aws from "@pulumi/aws";
import { type ResourceValidationPolicy, validateResourceOfType } from "@pulumi/policy";
import {
  checkEnvironmentKey,
  checkMemorySize,
  checkNoVpc,
  checkReservedConcurrency,
  checkRuntime,
} from "../checks/lambda";
import { reportEach, subjectOf } from "./report";

const lambdaReservedConcurrency: ResourceValidationPolicy = {
  name: "lambda-reserved-concurrency-50",
  description: "Every Lambda function reserves exactly 50 concurrent executions.",
  validateResource: validateResourceOfType(aws.lambda.Function, (fn, args, report) =>
    reportEach(checkReservedConcurrency(subjectOf(args), fn), report),
  ),
};

const lambdaMemory: ResourceValidationPolicy = {
  name: "lambda-memory-512",
  description: "Every Lambda function is given exactly 512 MB of memory.",
  validateResource: validateResourceOfType(aws.lambda.Function, (fn, args, report) =>
    reportEach(checkMemorySize(subjectOf(args), fn), report),
  ),
};

const lambdaRuntime: ResourceValidationPolicy = {
  name: "lambda-runtime-nodejs24",
  description:
    "Every Lambda function sets its runtime explicitly to nodejs24.x instead of relying on a default.",
  validateResource: validateResourceOfType(aws.lambda.Function, (fn, args, report) =>
    reportEach(checkRuntime(subjectOf(args), fn), report),
  ),
};

const lambdaEnvironmentKey: ResourceValidationPolicy = {
  name: "lambda-environment-kms-encrypted",
  description:
    "Every Lambda function encrypts its environment variables with the stack's customer-managed KMS key.",
  validateResource: validateResourceOfType(aws.lambda.Function, (fn, args, report) =>
    reportEach(checkEnvironmentKey(subjectOf(args), fn), report),
  ),
};

const lambdaNoVpc: ResourceValidationPolicy = {
  name: "lambda-no-vpc",
  description: "No Lambda function is attached to a VPC.",
  validateResource: validateResourceOfType(aws.lambda.Function, (fn, args, report) =>
    reportEach(checkNoVpc(subjectOf(args), fn), report),
  ),
};

export { lambdaEnvironmentKey, lambdaMemory, lambdaNoVpc, lambdaReservedConcurrency, lambdaRuntime };
