/**
 * Policies on IAM: constraint 15 (one role per function, named actions on named resources).
 */
import * as aws from "@pulumi/aws";
import {
  type ResourceValidation,
  type ResourceValidationPolicy,
  type StackValidationPolicy,
  validateResourceOfType,
} from "@pulumi/policy";
import { checkNamedActions, checkNamedResources } from "../checks/iam";
import { checkManagedPoliciesInStack, checkOneRolePerFunction } from "../checks/roles";
import type { Subject, Violations } from "../checks/values";
import { reportEach, reportEachAt, subjectOf } from "./report";

type DocumentCheck = (subject: Subject, property: string, document: unknown) => Violations;

/** Runs a document check on every IAM policy document the stack defines (inline role policies included). */
function onEveryDocument(check: DocumentCheck): ResourceValidation[] {
  return [
    validateResourceOfType(aws.iam.RolePolicy, (policy, args, report) =>
      reportEach(check(subjectOf(args), "policy", policy.policy), report),
    ),
    validateResourceOfType(aws.iam.Policy, (policy, args, report) =>
      reportEach(check(subjectOf(args), "policy", policy.policy), report),
    ),
    validateResourceOfType(aws.iam.Role, (role, args, report) => {
      const inlinePolicies = role.inlinePolicies ?? [];
      const subject = subjectOf(args);
      reportEach(
        inlinePolicies.flatMap((inline, index) =>
          check(subject, `inlinePolicies[${index}].policy`, inline.policy),
        ),
        report,
      );
    }),
  ];
}

const iamNoWildcardActions: ResourceValidationPolicy = {
  name: "iam-no-wildcard-actions",
  description:
    'Every IAM policy statement that allows something names its actions, with no "*" or "service:*".',
  validateResource: onEveryDocument(checkNamedActions),
};

const iamNoWildcardResources: ResourceValidationPolicy = {
  name: "iam-no-wildcard-resources",
  description:
    'Every IAM policy statement that allows something names its resources, with "*" only for X-Ray actions.',
  validateResource: onEveryDocument(checkNamedResources),
};

const iamNoAwsManagedPolicies: StackValidationPolicy = {
  name: "iam-no-aws-managed-policies",
  description:
    "No role gets an AWS-managed policy, whose broad grants are not written in the stack; the one exception is AmazonAPIGatewayPushToCloudWatchLogs on a role only API Gateway can assume (the account's API Gateway CloudWatch role).",
  validateStack: (args, report) => {
    const attachments = args.resources.filter((resource) => resource.isType(aws.iam.RolePolicyAttachment));
    const roles = args.resources.filter((resource) => resource.isType(aws.iam.Role));
    reportEachAt(checkManagedPoliciesInStack(attachments, roles), report);
  },
};

const lambdaOneRolePerFunction: StackValidationPolicy = {
  name: "lambda-one-role-per-function",
  description: "Every Lambda function runs with an IAM role of its own that no other function shares.",
  validateStack: (args, report) => {
    const functions = args.resources.filter((resource) => resource.isType(aws.lambda.Function));
    const roles = args.resources.filter((resource) => resource.isType(aws.iam.Role));
    reportEachAt(checkOneRolePerFunction(functions, roles), report);
  },
};

export {
  iamNoAwsManagedPolicies,
  iamNoWildcardActions,
  iamNoWildcardResources,
  lambdaOneRolePerFunction,
  onEveryDocument,
};
