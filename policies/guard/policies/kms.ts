/**
 * Policies on the KMS key and on log groups: constraints 11 and 14, key rotation, and grants
 * created only for AWS resources.
 */
import * as aws from "@pulumi/aws";
import { type ResourceValidationPolicy, validateResourceOfType } from "@pulumi/policy";
import { checkCreateGrantCondition, checkDeletionWindow, checkKeyRotation } from "../checks/kms";
import { checkLogGroupKey, checkRetention } from "../checks/logs";
import { onEveryDocument } from "./iam";
import { reportEach, subjectOf } from "./report";

const kmsDeletionWindow: ResourceValidationPolicy = {
  name: "kms-deletion-window-7-days",
  description: "Every KMS key is scheduled for deletion 7 days after the stack is destroyed.",
  validateResource: validateResourceOfType(aws.kms.Key, (key, args, report) =>
    reportEach(checkDeletionWindow(subjectOf(args), key), report),
  ),
};

const kmsKeyRotation: ResourceValidationPolicy = {
  name: "kms-key-rotation-enabled",
  description: "Every KMS key has automatic key rotation enabled.",
  validateResource: validateResourceOfType(aws.kms.Key, (key, args, report) =>
    reportEach(checkKeyRotation(subjectOf(args), key), report),
  ),
};

const kmsCreateGrantForAwsResources: ResourceValidationPolicy = {
  name: "kms-create-grant-for-aws-resources",
  description:
    'Every key policy and IAM policy allows kms:CreateGrant only with "kms:GrantIsForAWSResource": "true"; a key without its own policy (KMS\'s default allows kms:* to the account) is refused.',
  validateResource: [
    validateResourceOfType(aws.kms.Key, (key, args, report) =>
      reportEach(
        checkCreateGrantCondition(subjectOf(args), "policy", key.policy, { required: true }),
        report,
      ),
    ),
    ...onEveryDocument(checkCreateGrantCondition),
  ],
};

const logGroupRetention: ResourceValidationPolicy = {
  name: "log-group-retention-7-days",
  description: "Every CloudWatch log group keeps its logs for exactly 7 days.",
  validateResource: validateResourceOfType(aws.cloudwatch.LogGroup, (group, args, report) =>
    reportEach(checkRetention(subjectOf(args), group), report),
  ),
};

const logGroupKmsEncrypted: ResourceValidationPolicy = {
  name: "log-group-kms-encrypted",
  description: "Every CloudWatch log group is encrypted with the stack's customer-managed KMS key.",
  validateResource: validateResourceOfType(aws.cloudwatch.LogGroup, (group, args, report) =>
    reportEach(checkLogGroupKey(subjectOf(args), group), report),
  ),
};

export {
  kmsCreateGrantForAwsResources,
  kmsDeletionWindow,
  kmsKeyRotation,
  logGroupKmsEncrypted,
  logGroupRetention,
};
