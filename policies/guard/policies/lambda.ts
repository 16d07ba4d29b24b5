/**
 * Policies on Lambda functions: constraints 1-4 and the "no VPC" half of 13.
 */
import * as aws from "@pulumi/aws";
import { type ResourceValidationPolicy, validateResourceOfType } from "@pulumi/policy";
import {
  checkConcurrencyDecision,
  checkEnvironmentKey,
  checkMemorySize,
  checkNoVpc,
  checkRuntime,
} from "../checks/lambda";
import { reportEach, subjectOf } from "./report";

const lambdaConcurrencyDecision: ResourceValidationPolicy = {
  name: "lambda-concurrency-decision",
  description:
    "Every Lambda function reserves concurrency explicitly, or is tagged ConcurrencyReservation=unreserved by the stack's explicit opt-out.",
  validateResource: validateResourceOfType(aws.lambda.Function, (fn, args, report) =>
    reportEach(checkConcurrencyDecision(subjectOf(args), fn), report),
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

export { lambdaConcurrencyDecision, lambdaEnvironmentKey, lambdaMemory, lambdaNoVpc, lambdaRuntime };
