/**
 * Every policy of the fraud-pipeline guard, in the order of the constraint table in docs/design.md.
 */
import type { Policies } from "@pulumi/policy";
import {
  apigatewayRequestValidator,
  apigatewayRestApiOnly,
  apigatewayRoutesValidated,
  apigatewayStageWaf,
} from "./apigateway";
import {
  dynamodbKmsEncrypted,
  dynamodbNoDeletionProtection,
  dynamodbOnDemand,
  dynamodbPointInTimeRecovery,
  dynamodbStream,
} from "./dynamodb";
import { noProtect, physicalNames, regionUsEast1, requiredTags } from "./governance";
import {
  iamNoAwsManagedPolicies,
  iamNoWildcardActions,
  iamNoWildcardResources,
  lambdaOneRolePerFunction,
} from "./iam";
import {
  kmsCreateGrantForAwsResources,
  kmsDeletionWindow,
  kmsKeyRotation,
  logGroupKmsEncrypted,
  logGroupRetention,
} from "./kms";
import {
  lambdaConcurrencyDecision,
  lambdaEnvironmentKey,
  lambdaMemory,
  lambdaNoVpc,
  lambdaRuntime,
} from "./lambda";
import { queuesAndTopicsTlsOnly, snsKmsEncrypted, sqsAlertsVisibility, sqsKmsEncrypted } from "./messaging";

/** The pack's policies; index.ts serves them, the tests call them directly. */
const guardPolicies: Policies = [
  lambdaConcurrencyDecision,
  lambdaMemory,
  lambdaRuntime,
  lambdaEnvironmentKey,
  dynamodbOnDemand,
  dynamodbStream,
  apigatewayRestApiOnly,
  apigatewayRequestValidator,
  apigatewayRoutesValidated,
  sqsAlertsVisibility,
  requiredTags,
  noProtect,
  dynamodbNoDeletionProtection,
  kmsDeletionWindow,
  physicalNames,
  regionUsEast1,
  lambdaNoVpc,
  logGroupRetention,
  logGroupKmsEncrypted,
  iamNoWildcardActions,
  iamNoWildcardResources,
  iamNoAwsManagedPolicies,
  lambdaOneRolePerFunction,
  kmsKeyRotation,
  dynamodbKmsEncrypted,
  dynamodbPointInTimeRecovery,
  sqsKmsEncrypted,
  snsKmsEncrypted,
  queuesAndTopicsTlsOnly,
  apigatewayStageWaf,
  kmsCreateGrantForAwsResources,
];

export { guardPolicies };
