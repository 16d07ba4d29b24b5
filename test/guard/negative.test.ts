import { expect } from "chai";
import { guardPolicies } from "../../policies/guard/policies";
import { type GuardResource, runPack, urnOf } from "../helpers/guard";
import {
  ACCOUNT,
  API_GATEWAY_LOGS_POLICY,
  allowDocument,
  apiBody,
  happyStack,
  KEY_ARN,
  PROVIDER,
  TAGS,
  withProps,
  withResource,
} from "../helpers/guard-stack";
import { T } from "../helpers/infra-graph";

interface Expected {
  readonly urn: string;
  readonly message: string;
}

interface BreakingCase extends Partial<Expected> {
  readonly policy: string;
  readonly change: string;
  readonly stack: () => GuardResource[];
  /** When one change breaks the rule on several resources. */
  readonly all?: readonly Expected[];
}

const TABLE_ARN = `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/dynamodb-transactions-dev`;
const FN = 'aws:lambda/function:Function "notify-team"';
const TABLE = 'aws:dynamodb/table:Table "transactions"';
const MERCHANT_RISK = 'aws:dynamodb/table:Table "merchant-risk"';
const RECORD = 'aws:lambda/function:Function "record-outcome"';
const API = 'aws:apigateway/restApi:RestApi "fraud-api"';
const OUTCOMES_ROUTE = 'body paths["/transactions/outcomes"].post';
const SHARED_ROLE = `arn:aws:iam::${ACCOUNT}:role/role-process-transaction-dev`;
const KEY_RULE = "the ARN of the stack's customer-managed KMS key";
const MANAGED_POLICY_RULE =
  "only policies defined in this stack (no arn:aws:iam::aws:policy/...; AmazonAPIGatewayPushToCloudWatchLogs only on a role that only API Gateway can assume)";
const CONCURRENCY_DECISION =
  "a reservation of at least 1 set explicitly, or absent with the function tagged ConcurrencyReservation=unreserved (the stack's explicit opt-out)";

function bodyWithout(field: string, path = "/transactions"): string {
  const body = JSON.parse(apiBody());
  delete body.paths[path].post[field];
  return JSON.stringify(body);
}

const CASES: readonly BreakingCase[] = [
  {
    policy: "lambda-concurrency-decision",
    change: "reservedConcurrentExecutions 0, which stops the function",
    stack: () => withProps(happyStack(), T.fn, "notify-team", { reservedConcurrentExecutions: 0 }),
    urn: urnOf(T.fn, "notify-team"),
    message: `${FN}: reservedConcurrentExecutions is 0; it must be ${CONCURRENCY_DECISION}.`,
  },
  {
    policy: "lambda-memory-512",
    change: "memorySize 1024",
    stack: () => withProps(happyStack(), T.fn, "notify-team", { memorySize: 1024 }),
    urn: urnOf(T.fn, "notify-team"),
    message: `${FN}: memorySize is 1024; it must be 512.`,
  },
  {
    policy: "lambda-runtime-nodejs24",
    change: "runtime left to the provider default",
    stack: () => withProps(happyStack(), T.fn, "notify-team", { runtime: undefined }),
    urn: urnOf(T.fn, "notify-team"),
    message: `${FN}: runtime is not set; it must be "nodejs24.x", set explicitly.`,
  },
  {
    policy: "lambda-environment-kms-encrypted",
    change: "no kmsKeyArn",
    stack: () => withProps(happyStack(), T.fn, "notify-team", { kmsKeyArn: undefined }),
    urn: urnOf(T.fn, "notify-team"),
    message: `${FN}: kmsKeyArn is not set; it must be ${KEY_RULE}.`,
  },
  {
    policy: "dynamodb-on-demand",
    change: "billingMode PROVISIONED",
    stack: () => withProps(happyStack(), T.table, "transactions", { billingMode: "PROVISIONED" }),
    urn: urnOf(T.table, "transactions"),
    message: `${TABLE}: billingMode is "PROVISIONED"; it must be "PAY_PER_REQUEST".`,
  },
  {
    policy: "dynamodb-stream-new-and-old-images",
    change: "streamViewType NEW_IMAGE",
    stack: () => withProps(happyStack(), T.table, "transactions", { streamViewType: "NEW_IMAGE" }),
    urn: urnOf(T.table, "transactions"),
    message: `${TABLE}: streamViewType is "NEW_IMAGE"; it must be "NEW_AND_OLD_IMAGES".`,
  },
  {
    policy: "apigateway-rest-api-only",
    change: "an HTTP API added",
    stack: () => [
      ...happyStack(),
      {
        type: T.httpApi,
        name: "fraud-http",
        props: { protocolType: "HTTP", tags: TAGS },
        provider: PROVIDER,
      },
    ],
    urn: urnOf(T.httpApi, "fraud-http"),
    message:
      'aws:apigatewayv2/api:Api "fraud-http": type is "aws:apigatewayv2/api:Api"; it must be an API Gateway REST API resource (aws:apigateway/*), never API Gateway v2.',
  },
  {
    policy: "apigateway-request-validator-body-and-parameters",
    change: "validator skips parameters",
    stack: () => withProps(happyStack(), T.validator, "fraud-api", { validateRequestParameters: false }),
    urn: urnOf(T.validator, "fraud-api"),
    message:
      'aws:apigateway/requestValidator:RequestValidator "fraud-api": validateRequestParameters is false; it must be true.',
  },
  {
    policy: "apigateway-routes-validated",
    change: "POST /transactions without a validator",
    stack: () =>
      withProps(happyStack(), T.restApi, "fraud-api", {
        body: bodyWithout("x-amazon-apigateway-request-validator"),
      }),
    urn: urnOf(T.restApi, "fraud-api"),
    message:
      'aws:apigateway/restApi:RestApi "fraud-api": body paths["/transactions"].post x-amazon-apigateway-request-validator is not set; it must be the name of a validator defined in x-amazon-apigateway-request-validators.',
  },
  {
    policy: "sqs-fraud-alerts-visibility-300",
    change: "alerts queue visibility 30",
    stack: () => withProps(happyStack(), T.queue, "fraud-alerts", { visibilityTimeoutSeconds: 30 }),
    urn: urnOf(T.queue, "fraud-alerts"),
    message: 'aws:sqs/queue:Queue "fraud-alerts": visibilityTimeoutSeconds is 30; it must be 300.',
  },
  {
    policy: "required-tags",
    change: "Environment=dev",
    stack: () => withProps(happyStack(), T.table, "transactions", { tags: { ...TAGS, Environment: "dev" } }),
    urn: urnOf(T.table, "transactions"),
    message: `${TABLE}: tags.Environment is "dev"; it must be "production".`,
  },
  {
    policy: "no-protect",
    change: "protect: true",
    stack: () =>
      withResource(happyStack(), T.table, "transactions", (table) => ({ ...table, protect: true })),
    urn: urnOf(T.table, "transactions"),
    message: `${TABLE}: opts.protect is true; it must be false (every resource is destroyable).`,
  },
  {
    policy: "dynamodb-no-deletion-protection",
    change: "deletionProtectionEnabled",
    stack: () => withProps(happyStack(), T.table, "transactions", { deletionProtectionEnabled: true }),
    urn: urnOf(T.table, "transactions"),
    message: `${TABLE}: deletionProtectionEnabled is true; it must be false or unset.`,
  },
  {
    policy: "kms-deletion-window-7-days",
    change: "deletionWindowInDays 30",
    stack: () => withProps(happyStack(), T.key, "fraud-pipeline", { deletionWindowInDays: 30 }),
    urn: urnOf(T.key, "fraud-pipeline"),
    message: 'aws:kms/key:Key "fraud-pipeline": deletionWindowInDays is 30; it must be 7.',
  },
  {
    policy: "physical-names",
    change: "queue name without its type word",
    stack: () => withProps(happyStack(), T.queue, "fraud-alerts", { name: "fraud-alerts-dev" }),
    urn: urnOf(T.queue, "fraud-alerts"),
    message:
      'aws:sqs/queue:Queue "fraud-alerts": name is "fraud-alerts-dev"; it must be set explicitly and match ^sqs-[a-z0-9]+(?:-[a-z0-9]+)*-(?:dev)$ ({resource-type}-{purpose}-{environmentSuffix}).',
  },
  {
    policy: "region-us-east-1",
    change: "table in eu-west-1",
    stack: () => withProps(happyStack(), T.table, "transactions", { region: "eu-west-1" }),
    urn: urnOf(T.table, "transactions"),
    message: `${TABLE}: region is "eu-west-1"; it must be "us-east-1".`,
  },
  {
    policy: "lambda-no-vpc",
    change: "function in a VPC",
    stack: () =>
      withProps(happyStack(), T.fn, "notify-team", {
        vpcConfig: { subnetIds: ["subnet-1"], securityGroupIds: ["sg-1"] },
      }),
    urn: urnOf(T.fn, "notify-team"),
    message: `${FN}: vpcConfig is {"subnetIds":["subnet-1"],"securityGroupIds":["sg-1"]}; it must be absent (the pipeline runs outside any VPC).`,
  },
  {
    policy: "log-group-retention-7-days",
    change: "retentionInDays 30",
    stack: () => withProps(happyStack(), T.logGroup, "notify-team", { retentionInDays: 30 }),
    urn: urnOf(T.logGroup, "notify-team"),
    message: 'aws:cloudwatch/logGroup:LogGroup "notify-team": retentionInDays is 30; it must be 7.',
  },
  {
    policy: "log-group-kms-encrypted",
    change: "no kmsKeyId",
    stack: () => withProps(happyStack(), T.logGroup, "fraud-api-access", { kmsKeyId: undefined }),
    urn: urnOf(T.logGroup, "fraud-api-access"),
    message: `aws:cloudwatch/logGroup:LogGroup "fraud-api-access": kmsKeyId is not set; it must be ${KEY_RULE}.`,
  },
  {
    policy: "iam-no-wildcard-actions",
    change: "dynamodb:* on the table",
    stack: () =>
      withProps(happyStack(), T.rolePolicy, "process-transaction", {
        policy: allowDocument([{ Action: ["dynamodb:*"], Resource: TABLE_ARN }]),
      }),
    urn: urnOf(T.rolePolicy, "process-transaction"),
    message:
      'aws:iam/rolePolicy:RolePolicy "process-transaction": policy Statement[0] Action is ["dynamodb:*"]; it must be named actions only (no "*", no "service:*").',
  },
  {
    policy: "iam-no-wildcard-resources",
    change: "dynamodb:PutItem on *",
    stack: () =>
      withProps(happyStack(), T.rolePolicy, "process-transaction", {
        policy: allowDocument([{ Action: "dynamodb:PutItem", Resource: "*" }]),
      }),
    urn: urnOf(T.rolePolicy, "process-transaction"),
    message:
      'aws:iam/rolePolicy:RolePolicy "process-transaction": policy Statement[0] Resource is ["*"]; it must be named resource ARNs ("*" is allowed only for xray: actions, here ["dynamodb:PutItem"]).',
  },
  {
    policy: "iam-no-aws-managed-policies",
    change: "AWSLambda_FullAccess attached",
    stack: () => [
      ...happyStack(),
      {
        type: T.attachment,
        name: "notify-team-full-access",
        props: { role: "role-notify-team-dev", policyArn: "arn:aws:iam::aws:policy/AWSLambda_FullAccess" },
        provider: PROVIDER,
      },
    ],
    urn: urnOf(T.attachment, "notify-team-full-access"),
    message: `aws:iam/rolePolicyAttachment:RolePolicyAttachment "notify-team-full-access": policyArn is ["arn:aws:iam::aws:policy/AWSLambda_FullAccess"]; it must be ${MANAGED_POLICY_RULE}.`,
  },
  {
    policy: "iam-no-aws-managed-policies",
    change: "API Gateway's push-to-CloudWatch policy attached to notify-team's role",
    stack: () => [
      ...happyStack(),
      {
        type: T.attachment,
        name: "notify-team-logs",
        props: { role: "role-notify-team-dev", policyArn: API_GATEWAY_LOGS_POLICY },
        propertyDependencies: { role: [urnOf(T.role, "notify-team")] },
        provider: PROVIDER,
      },
    ],
    urn: urnOf(T.attachment, "notify-team-logs"),
    message: `aws:iam/rolePolicyAttachment:RolePolicyAttachment "notify-team-logs": policyArn is ["${API_GATEWAY_LOGS_POLICY}"]; it must be ${MANAGED_POLICY_RULE}.`,
  },
  {
    policy: "iam-no-aws-managed-policies",
    change: "the API Gateway logs role also trusted by Lambda",
    stack: () =>
      withProps(happyStack(), T.role, "apigateway-logs", {
        assumeRolePolicy: JSON.stringify({
          Version: "2012-10-17",
          Statement: [
            {
              Effect: "Allow",
              Principal: { Service: ["apigateway.amazonaws.com", "lambda.amazonaws.com"] },
              Action: ["sts:AssumeRole"],
            },
          ],
        }),
      }),
    urn: urnOf(T.attachment, "apigateway-logs"),
    message: `aws:iam/rolePolicyAttachment:RolePolicyAttachment "apigateway-logs": policyArn is ["${API_GATEWAY_LOGS_POLICY}"]; it must be ${MANAGED_POLICY_RULE}.`,
  },
  {
    policy: "lambda-one-role-per-function",
    change: "notify-team runs with process-transaction's role",
    stack: () =>
      withResource(happyStack(), T.fn, "notify-team", (fn) => ({
        ...fn,
        props: { ...fn.props, role: SHARED_ROLE },
        propertyDependencies: { role: [urnOf(T.role, "process-transaction")] },
      })),
    all: [
      {
        urn: urnOf(T.fn, "process-transaction"),
        message: `aws:lambda/function:Function "process-transaction": role is "${SHARED_ROLE}"; it must be a role used by no other function (shared with "notify-team").`,
      },
      {
        urn: urnOf(T.fn, "notify-team"),
        message: `${FN}: role is "${SHARED_ROLE}"; it must be a role used by no other function (shared with "process-transaction").`,
      },
    ],
  },
  {
    policy: "kms-key-rotation-enabled",
    change: "rotation off",
    stack: () => withProps(happyStack(), T.key, "fraud-pipeline", { enableKeyRotation: false }),
    urn: urnOf(T.key, "fraud-pipeline"),
    message: 'aws:kms/key:Key "fraud-pipeline": enableKeyRotation is false; it must be true.',
  },
  {
    policy: "dynamodb-kms-encrypted",
    change: "AWS-owned key (no kmsKeyArn)",
    stack: () =>
      withProps(happyStack(), T.table, "transactions", { serverSideEncryption: { enabled: true } }),
    urn: urnOf(T.table, "transactions"),
    message: `${TABLE}: serverSideEncryption.kmsKeyArn is not set; it must be ${KEY_RULE}.`,
  },
  {
    policy: "sqs-kms-encrypted",
    change: "DLQ on alias/aws/sqs",
    stack: () => withProps(happyStack(), T.queue, "fraud-alerts-dlq", { kmsMasterKeyId: "alias/aws/sqs" }),
    urn: urnOf(T.queue, "fraud-alerts-dlq"),
    message:
      'aws:sqs/queue:Queue "fraud-alerts-dlq": kmsMasterKeyId is "alias/aws/sqs"; it must be the stack\'s customer-managed KMS key (not unset, not alias/aws/sqs).',
  },
  {
    policy: "sns-kms-encrypted",
    change: "topic unencrypted",
    stack: () => withProps(happyStack(), T.topic, "fraud-notifications", { kmsMasterKeyId: undefined }),
    urn: urnOf(T.topic, "fraud-notifications"),
    message:
      'aws:sns/topic:Topic "fraud-notifications": kmsMasterKeyId is not set; it must be the stack\'s customer-managed KMS key (not unset, not alias/aws/sns).',
  },
  {
    policy: "sqs-sns-tls-only",
    change: "DLQ policy without the TLS Deny",
    stack: () =>
      withProps(happyStack(), T.queuePolicy, "fraud-alerts-dlq", {
        policy: allowDocument([
          { Principal: { Service: "sns.amazonaws.com" }, Action: "sqs:SendMessage", Resource: KEY_ARN },
        ]),
      }),
    urn: urnOf(T.queue, "fraud-alerts-dlq"),
    message:
      'aws:sqs/queue:Queue "fraud-alerts-dlq": attached resource policy is "1 document(s) without such a Deny"; it must be a queue/topic policy with a Deny for every principal when "aws:SecureTransport" is "false".',
  },
];

/**
 * The merchant-risk table, record-outcome and POST /transactions/outcomes under the same rules,
 * and the cases the checks that changed for them (stream, routes) and the new one (PITR) tell apart.
 */
const STAGE = 'aws:apigateway/stage:Stage "fraud-api"';
const KEY = 'aws:kms/key:Key "fraud-pipeline"';
const GRANT_RULE =
  '"kms:GrantIsForAWSResource": "true" under Condition.Bool on every statement allowing kms:CreateGrant';

const NEW_RESOURCE_CASES: readonly BreakingCase[] = [
  {
    policy: "apigateway-stage-waf",
    change: "the stage without its web ACL association",
    stack: () => happyStack().filter((r) => !(r.type === T.webAclAssociation && r.name === "fraud-api")),
    urn: urnOf(T.stage, "fraud-api"),
    message: `${STAGE}: web ACL is not set; it must be an AWS WAF web ACL associated with the stage (an aws.wafv2.WebAclAssociation whose resourceArn is the stage's ARN).`,
  },
  {
    policy: "apigateway-stage-waf",
    change: "the web ACL associated with another resource",
    stack: () =>
      withResource(happyStack(), T.webAclAssociation, "fraud-api", (association) => ({
        ...association,
        props: {
          ...association.props,
          resourceArn: "arn:aws:apigateway:us-east-1::/restapis/other/stages/dev",
        },
        propertyDependencies: {},
      })),
    urn: urnOf(T.stage, "fraud-api"),
    message: `${STAGE}: web ACL is not set; it must be an AWS WAF web ACL associated with the stage (an aws.wafv2.WebAclAssociation whose resourceArn is the stage's ARN).`,
  },
  {
    policy: "kms-create-grant-for-aws-resources",
    change: "key policy allowing CreateGrant without kms:GrantIsForAWSResource",
    stack: () =>
      withProps(happyStack(), T.key, "fraud-pipeline", {
        policy: allowDocument([{ Sid: "Grants", Action: ["kms:CreateGrant"], Resource: "*" }]),
      }),
    urn: urnOf(T.key, "fraud-pipeline"),
    message: `${KEY}: policy Statement "Grants" Condition is {}; it must be ${GRANT_RULE}.`,
  },
  {
    policy: "kms-create-grant-for-aws-resources",
    change: "key left on KMS's default policy",
    stack: () => withProps(happyStack(), T.key, "fraud-pipeline", { policy: undefined }),
    urn: urnOf(T.key, "fraud-pipeline"),
    message: `${KEY}: policy is not set; it must be a key policy with ${GRANT_RULE}.`,
  },
  {
    policy: "kms-create-grant-for-aws-resources",
    change: "a role allowed kms:CreateGrant with the condition set to false",
    stack: () =>
      withProps(happyStack(), T.rolePolicy, "record-outcome", {
        policy: allowDocument([
          {
            Action: ["kms:CreateGrant"],
            Resource: KEY_ARN,
            Condition: { Bool: { "kms:GrantIsForAWSResource": "false" } },
          },
        ]),
      }),
    urn: urnOf(T.rolePolicy, "record-outcome"),
    message: `aws:iam/rolePolicy:RolePolicy "record-outcome": policy Statement[0] Condition is {"Bool":{"kms:GrantIsForAWSResource":"false"}}; it must be ${GRANT_RULE}.`,
  },
  {
    policy: "dynamodb-point-in-time-recovery",
    change: "merchant-risk table without point-in-time recovery",
    stack: () =>
      withProps(happyStack(), T.table, "merchant-risk", { pointInTimeRecovery: { enabled: false } }),
    urn: urnOf(T.table, "merchant-risk"),
    message: `${MERCHANT_RISK}: pointInTimeRecovery.enabled is false; it must be true.`,
  },
  {
    policy: "dynamodb-point-in-time-recovery",
    change: "transactions table with point-in-time recovery left unset",
    stack: () => withProps(happyStack(), T.table, "transactions", { pointInTimeRecovery: undefined }),
    urn: urnOf(T.table, "transactions"),
    message: `${TABLE}: pointInTimeRecovery.enabled is not set; it must be true.`,
  },
  {
    policy: "dynamodb-stream-new-and-old-images",
    change: "transactions table without its stream",
    stack: () => withProps(happyStack(), T.table, "transactions", { streamEnabled: false }),
    urn: urnOf(T.table, "transactions"),
    message: `${TABLE}: streamEnabled is false; it must be true.`,
  },
  {
    policy: "dynamodb-stream-new-and-old-images",
    change: "merchant-risk table streaming KEYS_ONLY",
    stack: () =>
      withProps(happyStack(), T.table, "merchant-risk", { streamEnabled: true, streamViewType: "KEYS_ONLY" }),
    urn: urnOf(T.table, "merchant-risk"),
    message: `${MERCHANT_RISK}: streamViewType is "KEYS_ONLY"; it must be "NEW_AND_OLD_IMAGES".`,
  },
  {
    policy: "apigateway-routes-validated",
    change: "POST /transactions/outcomes without a body model",
    stack: () =>
      withProps(happyStack(), T.restApi, "fraud-api", {
        body: bodyWithout("parameters", "/transactions/outcomes"),
      }),
    urn: urnOf(T.restApi, "fraud-api"),
    message: `${API}: ${OUTCOMES_ROUTE} request body model is not set; it must be a JSON Schema model for "application/json".`,
  },
  {
    policy: "apigateway-routes-validated",
    change: "POST /transactions/outcomes without a validator",
    stack: () =>
      withProps(happyStack(), T.restApi, "fraud-api", {
        body: bodyWithout("x-amazon-apigateway-request-validator", "/transactions/outcomes"),
      }),
    urn: urnOf(T.restApi, "fraud-api"),
    message: `${API}: ${OUTCOMES_ROUTE} x-amazon-apigateway-request-validator is not set; it must be the name of a validator defined in x-amazon-apigateway-request-validators.`,
  },
  {
    policy: "dynamodb-on-demand",
    change: "merchant-risk table PROVISIONED",
    stack: () => withProps(happyStack(), T.table, "merchant-risk", { billingMode: "PROVISIONED" }),
    urn: urnOf(T.table, "merchant-risk"),
    message: `${MERCHANT_RISK}: billingMode is "PROVISIONED"; it must be "PAY_PER_REQUEST".`,
  },
  {
    policy: "dynamodb-kms-encrypted",
    change: "merchant-risk table on the AWS-owned key",
    stack: () =>
      withProps(happyStack(), T.table, "merchant-risk", { serverSideEncryption: { enabled: true } }),
    urn: urnOf(T.table, "merchant-risk"),
    message: `${MERCHANT_RISK}: serverSideEncryption.kmsKeyArn is not set; it must be ${KEY_RULE}.`,
  },
  {
    policy: "dynamodb-no-deletion-protection",
    change: "merchant-risk table protected from deletion",
    stack: () => withProps(happyStack(), T.table, "merchant-risk", { deletionProtectionEnabled: true }),
    urn: urnOf(T.table, "merchant-risk"),
    message: `${MERCHANT_RISK}: deletionProtectionEnabled is true; it must be false or unset.`,
  },
  {
    policy: "required-tags",
    change: "merchant-risk table without CostCenter",
    stack: () => withProps(happyStack(), T.table, "merchant-risk", { tags: { Environment: "production" } }),
    urn: urnOf(T.table, "merchant-risk"),
    message: `${MERCHANT_RISK}: tags.CostCenter is not set; it must be "fraud-detection".`,
  },
  {
    policy: "physical-names",
    change: "merchant-risk table name without its type word",
    stack: () => withProps(happyStack(), T.table, "merchant-risk", { name: "merchant-risk-dev" }),
    urn: urnOf(T.table, "merchant-risk"),
    message: `${MERCHANT_RISK}: name is "merchant-risk-dev"; it must be set explicitly and match ^dynamodb-[a-z0-9]+(?:-[a-z0-9]+)*-(?:dev)$ ({resource-type}-{purpose}-{environmentSuffix}).`,
  },
  {
    policy: "lambda-concurrency-decision",
    change: "record-outcome unreserved without the opt-out tag",
    stack: () => withProps(happyStack(), T.fn, "record-outcome", { reservedConcurrentExecutions: undefined }),
    urn: urnOf(T.fn, "record-outcome"),
    message: `${RECORD}: reservedConcurrentExecutions is not set; it must be ${CONCURRENCY_DECISION}.`,
  },
  {
    policy: "lambda-concurrency-decision",
    change: "record-outcome reserving 0 with the opt-out tag",
    stack: () =>
      withProps(happyStack(), T.fn, "record-outcome", {
        reservedConcurrentExecutions: 0,
        tags: { ...TAGS, ConcurrencyReservation: "unreserved" },
      }),
    urn: urnOf(T.fn, "record-outcome"),
    message: `${RECORD}: reservedConcurrentExecutions is 0; it must be ${CONCURRENCY_DECISION}.`,
  },
  {
    policy: "lambda-memory-512",
    change: "record-outcome with 128 MB",
    stack: () => withProps(happyStack(), T.fn, "record-outcome", { memorySize: 128 }),
    urn: urnOf(T.fn, "record-outcome"),
    message: `${RECORD}: memorySize is 128; it must be 512.`,
  },
  {
    policy: "lambda-runtime-nodejs24",
    change: "record-outcome on nodejs20.x",
    stack: () => withProps(happyStack(), T.fn, "record-outcome", { runtime: "nodejs20.x" }),
    urn: urnOf(T.fn, "record-outcome"),
    message: `${RECORD}: runtime is "nodejs20.x"; it must be "nodejs24.x", set explicitly.`,
  },
  {
    policy: "lambda-environment-kms-encrypted",
    change: "record-outcome without kmsKeyArn",
    stack: () => withProps(happyStack(), T.fn, "record-outcome", { kmsKeyArn: undefined }),
    urn: urnOf(T.fn, "record-outcome"),
    message: `${RECORD}: kmsKeyArn is not set; it must be ${KEY_RULE}.`,
  },
  {
    policy: "log-group-retention-7-days",
    change: "record-outcome logs kept forever",
    stack: () => withProps(happyStack(), T.logGroup, "record-outcome", { retentionInDays: undefined }),
    urn: urnOf(T.logGroup, "record-outcome"),
    message: 'aws:cloudwatch/logGroup:LogGroup "record-outcome": retentionInDays is not set; it must be 7.',
  },
  {
    policy: "iam-no-wildcard-resources",
    change: "record-outcome updates every table",
    stack: () =>
      withProps(happyStack(), T.rolePolicy, "record-outcome", {
        policy: allowDocument([{ Action: ["dynamodb:UpdateItem"], Resource: "*" }]),
      }),
    urn: urnOf(T.rolePolicy, "record-outcome"),
    message:
      'aws:iam/rolePolicy:RolePolicy "record-outcome": policy Statement[0] Resource is ["*"]; it must be named resource ARNs ("*" is allowed only for xray: actions, here ["dynamodb:UpdateItem"]).',
  },
  {
    policy: "iam-no-wildcard-actions",
    change: "record-outcome allowed dynamodb:Update*",
    stack: () =>
      withProps(happyStack(), T.rolePolicy, "record-outcome", {
        policy: allowDocument([{ Action: ["dynamodb:Update*"], Resource: TABLE_ARN }]),
      }),
    urn: urnOf(T.rolePolicy, "record-outcome"),
    message:
      'aws:iam/rolePolicy:RolePolicy "record-outcome": policy Statement[0] Action is ["dynamodb:Update*"]; it must be named actions only (no "*", no "service:*").',
  },
  {
    policy: "lambda-one-role-per-function",
    change: "record-outcome runs with process-transaction's role",
    stack: () =>
      withResource(happyStack(), T.fn, "record-outcome", (fn) => ({
        ...fn,
        props: { ...fn.props, role: SHARED_ROLE },
        propertyDependencies: { role: [urnOf(T.role, "process-transaction")] },
      })),
    all: [
      {
        urn: urnOf(T.fn, "process-transaction"),
        message: `aws:lambda/function:Function "process-transaction": role is "${SHARED_ROLE}"; it must be a role used by no other function (shared with "record-outcome").`,
      },
      {
        urn: urnOf(T.fn, "record-outcome"),
        message: `${RECORD}: role is "${SHARED_ROLE}"; it must be a role used by no other function (shared with "process-transaction").`,
      },
    ],
  },
];

describe("Policy pack: one broken rule, one policy", () => {
  it("has a breaking case for every policy of the pack", () => {
    // Prepare
    const packNames = guardPolicies.map((policy) => policy.name).sort();

    // Act
    const caseNames = [...new Set([...CASES, ...NEW_RESOURCE_CASES].map((c) => c.policy))].sort();

    // Assess
    expect(caseNames).to.deep.equal(packNames);
  });

  for (const breaking of [...CASES, ...NEW_RESOURCE_CASES]) {
    it(`${breaking.policy} alone reports ${breaking.change}`, async () => {
      // Prepare
      const stack = breaking.stack();

      // Act
      const { violations, advisories } = await runPack(stack);

      // Assess
      const expected = breaking.all ?? [{ urn: breaking.urn, message: breaking.message }];
      expect(violations).to.deep.equal(
        expected.map(({ urn, message }) => ({ policy: breaking.policy, message, urn })),
      );
      expect(advisories).to.deep.equal([]);
    });
  }
});
