/**
 * Policies on the DynamoDB tables: constraints 5, 6 and 11, encryption with our key, and
 * point-in-time recovery.
 */
import * as aws from "@pulumi/aws";
import { type ResourceValidationPolicy, validateResourceOfType } from "@pulumi/policy";
import {
  checkBillingMode,
  checkPointInTimeRecovery,
  checkStream,
  checkTableDestroyable,
  checkTableKey,
} from "../checks/dynamodb";
import { GUARD_DEFAULTS, STREAM_TABLE_SCHEMA, type StreamTableConfig, withDefaults } from "../config";
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
  description:
    "The transactions DynamoDB table streams with the NEW_AND_OLD_IMAGES view, and so does any other table that enables a stream.",
  configSchema: STREAM_TABLE_SCHEMA,
  validateResource: validateResourceOfType(aws.dynamodb.Table, (table, args, report) => {
    const config = withDefaults<StreamTableConfig>(
      GUARD_DEFAULTS.streamTable,
      args.getConfig<StreamTableConfig>(),
    );
    reportEach(checkStream(subjectOf(args), table, { includes: config.tableNameIncludes }), report);
  }),
};

const dynamodbPointInTimeRecovery: ResourceValidationPolicy = {
  name: "dynamodb-point-in-time-recovery",
  description: "Every DynamoDB table has point-in-time recovery enabled.",
  validateResource: validateResourceOfType(aws.dynamodb.Table, (table, args, report) =>
    reportEach(checkPointInTimeRecovery(subjectOf(args), table), report),
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

export {
  dynamodbKmsEncrypted,
  dynamodbNoDeletionProtection,
  dynamodbOnDemand,
  dynamodbPointInTimeRecovery,
  dynamodbStream,
};
