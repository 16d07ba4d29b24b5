/**
 * Policies on the DynamoDB table: constraints 5, 6 and 11, and encryption with our key.
 */
import * as aws from "@pulumi/aws";
import { type ResourceValidationPolicy, validateResourceOfType } from "@pulumi/policy";
import { checkBillingMode, checkStream, checkTableDestroyable, checkTableKey } from "../checks/dynamodb";
import { reportEach, subjectOf } from "./report";

const dynamodbOnDemand: ResourceValidationPolicy = {
  name: "dynamodb-on-demand",
  description: "Every DynamoDB table bills on demand (PAY_PER_REQUEST) rather than provisioned capacity.",
  validateResource: validateResourceOfType(aws.dynamodb.Table, (table, args, report) =>
    reportEach(checkBillingMode(subjectOf(args), table), report),
  ),
};

const dynamodbStream: ResourceValidationPolicy = {
  name: "dynamodb-stream-new-and-old-images",
  description: "Every DynamoDB table has its stream enabled with the NEW_AND_OLD_IMAGES view.",
  validateResource: validateResourceOfType(aws.dynamodb.Table, (table, args, report) =>
    reportEach(checkStream(subjectOf(args), table), report),
  ),
};

const dynamodbKmsEncrypted: ResourceValidationPolicy = {
  name: "dynamodb-kms-encrypted",
  description: "Every DynamoDB table is encrypted at rest with the stack's customer-managed KMS key.",
  validateResource: validateResourceOfType(aws.dynamodb.Table, (table, args, report) =>
    reportEach(checkTableKey(subjectOf(args), table), report),
  ),
};

const dynamodbNoDeletionProtection: ResourceValidationPolicy = {
  name: "dynamodb-no-deletion-protection",
  description: "No DynamoDB table enables deletion protection, so the stack can always be destroyed.",
  validateResource: validateResourceOfType(aws.dynamodb.Table, (table, args, report) =>
    reportEach(checkTableDestroyable(subjectOf(args), table), report),
  ),
};

export { dynamodbKmsEncrypted, dynamodbNoDeletionProtection, dynamodbOnDemand, dynamodbStream };
