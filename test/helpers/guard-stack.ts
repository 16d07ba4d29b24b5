/**
 * Happy-path builders for the guard's tests: a small stack shaped like ours (dev suffix) that
 * breaks no policy, and helpers that change one property of one resource.
 */

import { type GuardResource, urnOf } from "./guard";
import { T } from "./infra-graph";

const ACCOUNT = "123456789012";
const KEY_ARN = `arn:aws:kms:us-east-1:${ACCOUNT}:key/11111111-2222-3333-4444-555555555555`;
const TAGS = { Environment: "production", CostCenter: "fraud-detection" };
const STAGE_ARN = "arn:aws:apigateway:us-east-1::/restapis/a1b2c3/stages/dev";
const WEB_ACL_ARN = `arn:aws:wafv2:us-east-1:${ACCOUNT}:regional/webacl/waf-fraud-api-dev/w1`;
const PROVIDER = {
  type: "pulumi:providers:aws",
  name: "aws-us-east-1",
  urn: urnOf("pulumi:providers:aws", "aws-us-east-1"),
  props: { region: "us-east-1" },
};

function resource(
  type: string,
  name: string,
  props: Record<string, unknown>,
  extra: Partial<GuardResource> = {},
) {
  return { type, name, props, provider: PROVIDER, ...extra } satisfies GuardResource;
}

/**
 * A policy document with one Allow statement per entry.
 *
 * @example
 * allowDocument([{ Action: ["sqs:SendMessage"], Resource: "arn:aws:sqs:us-east-1:1:q" }]);
 */
function allowDocument(statements: readonly Record<string, unknown>[]): string {
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: statements.map((s) => ({ Effect: "Allow", ...s })),
  });
}

/**
 * A resource policy denying every non-TLS request on `arn` (what our queues and topic carry).
 *
 * @example
 * tlsOnlyDocument("sqs", "arn:aws:sqs:us-east-1:1:q");
 */
function tlsOnlyDocument(service: "sqs" | "sns", arn: string): string {
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "DenyInsecureTransport",
        Effect: "Deny",
        Principal: "*",
        Action: `${service}:*`,
        Resource: arn,
        Condition: { Bool: { "aws:SecureTransport": "false" } },
      },
    ],
  });
}

/** A key policy like ours: the account creates grants only for AWS resources. */
function keyPolicyDocument(): string {
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "AccountCreatesGrantsForAwsResources",
        Effect: "Allow",
        Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` },
        Action: ["kms:CreateGrant"],
        Resource: "*",
        Condition: { Bool: { "kms:GrantIsForAWSResource": "true" } },
      },
    ],
  });
}

/** A validated, API-key-protected POST proxied to a function, with its body model `model`. */
function validatedPost(model: string): Record<string, unknown> {
  return {
    parameters: [{ in: "body", name: model, required: true, schema: { $ref: `#/definitions/${model}` } }],
    "x-amazon-apigateway-request-validator": "body-and-parameters",
    "x-amazon-apigateway-integration": {
      type: "aws_proxy",
      httpMethod: "POST",
      uri: "arn:aws:apigateway:invoke",
    },
  };
}

/**
 * The REST API's OpenAPI body: POST /transactions and POST /transactions/outcomes, each validated
 * against its own model.
 *
 * @example
 * JSON.parse(apiBody()).paths["/transactions"].post["x-amazon-apigateway-request-validator"]; // "body-and-parameters"
 */
function apiBody(): string {
  return JSON.stringify({
    swagger: "2.0",
    info: { title: "apigw-fraud-api-dev", version: "1.0.0" },
    "x-amazon-apigateway-request-validators": {
      "body-and-parameters": { validateRequestBody: true, validateRequestParameters: true },
    },
    definitions: {
      Transaction: { type: "object", additionalProperties: false },
      Outcome: { type: "object", additionalProperties: false },
    },
    paths: {
      "/transactions": { post: validatedPost("Transaction") },
      "/transactions/outcomes": { post: validatedPost("Outcome") },
    },
  });
}

function queueResources(purpose: string, visibilityTimeoutSeconds: number): GuardResource[] {
  const name = `sqs-${purpose}-dev`;
  const url = `https://sqs.us-east-1.amazonaws.com/${ACCOUNT}/${name}`;
  const arn = `arn:aws:sqs:us-east-1:${ACCOUNT}:${name}`;
  const queue = resource(T.queue, purpose, {
    name,
    visibilityTimeoutSeconds,
    kmsMasterKeyId: KEY_ARN,
    tags: TAGS,
    url,
    arn,
  });
  const policy = resource(
    T.queuePolicy,
    purpose,
    { queueUrl: url, policy: tlsOnlyDocument("sqs", arn) },
    { propertyDependencies: { queueUrl: [urnOf(T.queue, purpose)] } },
  );
  return [queue, policy];
}

function functionResources(purpose: string, grants: Record<string, unknown>): GuardResource[] {
  const roleArn = `arn:aws:iam::${ACCOUNT}:role/role-${purpose}-dev`;
  const role = resource(T.role, purpose, {
    name: `role-${purpose}-dev`,
    assumeRolePolicy: "{}",
    tags: TAGS,
    arn: roleArn,
  });
  const rolePolicy = resource(T.rolePolicy, purpose, {
    name: `policy-${purpose}-dev`,
    role: `role-${purpose}-dev`,
    policy: allowDocument([
      grants,
      { Action: ["xray:PutTraceSegments", "xray:PutTelemetryRecords"], Resource: "*" },
    ]),
  });
  const fn = resource(
    T.fn,
    purpose,
    {
      name: `lambda-${purpose}-dev`,
      runtime: "nodejs24.x",
      memorySize: 512,
      reservedConcurrentExecutions: 50,
      timeout: 10,
      kmsKeyArn: KEY_ARN,
      role: roleArn,
      environment: { variables: { TABLE_NAME: "dynamodb-transactions-dev" } },
      tags: TAGS,
    },
    { propertyDependencies: { role: [urnOf(T.role, purpose)] } },
  );
  const logGroup = resource(T.logGroup, purpose, {
    name: `/aws/lambda/lambda-${purpose}-dev`,
    retentionInDays: 7,
    kmsKeyId: KEY_ARN,
    tags: TAGS,
  });
  return [role, rolePolicy, fn, logGroup];
}

/** The AWS-managed policy AWS documents for API Gateway's account-level CloudWatch role. */
const API_GATEWAY_LOGS_POLICY = "arn:aws:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs";

/** The region's API Gateway CloudWatch role, its managed policy and the account setting naming it. */
function apiGatewayAccountResources(): GuardResource[] {
  const roleArn = `arn:aws:iam::${ACCOUNT}:role/role-apigateway-logs-dev`;
  return [
    resource(T.role, "apigateway-logs", {
      name: "role-apigateway-logs-dev",
      assumeRolePolicy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [
          { Effect: "Allow", Principal: { Service: "apigateway.amazonaws.com" }, Action: ["sts:AssumeRole"] },
        ],
      }),
      tags: TAGS,
      arn: roleArn,
    }),
    resource(
      T.attachment,
      "apigateway-logs",
      { role: "role-apigateway-logs-dev", policyArn: API_GATEWAY_LOGS_POLICY },
      { propertyDependencies: { role: [urnOf(T.role, "apigateway-logs")] } },
    ),
    resource(T.account, "apigateway-logs", { cloudwatchRoleArn: roleArn }),
  ];
}

/**
 * A stack shaped like ours that satisfies every policy: KMS key and alias, the transactions and
 * merchant-risk tables, three functions with their roles and log groups, alerts queue and DLQ,
 * topic, REST API with two routes and a validator, stage with its WAF web ACL, the region's API
 * Gateway CloudWatch role and setting, API key and usage plan.
 *
 * @example
 * const { violations } = await runPack(happyStack()); // none
 */
function happyStack(): GuardResource[] {
  const tableArn = `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/dynamodb-transactions-dev`;
  const merchantRiskTableArn = `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/dynamodb-merchant-risk-dev`;
  const topicArn = `arn:aws:sns:us-east-1:${ACCOUNT}:sns-fraud-notifications-dev`;
  return [
    resource(T.key, "fraud-pipeline", {
      enableKeyRotation: true,
      deletionWindowInDays: 7,
      policy: keyPolicyDocument(),
      tags: TAGS,
      arn: KEY_ARN,
    }),
    resource(T.alias, "fraud-pipeline", { name: "alias/kms-fraud-pipeline-dev", targetKeyId: "key-id" }),
    resource(T.table, "transactions", {
      name: "dynamodb-transactions-dev",
      billingMode: "PAY_PER_REQUEST",
      hashKey: "transaction_id",
      rangeKey: "timestamp",
      streamEnabled: true,
      streamViewType: "NEW_AND_OLD_IMAGES",
      serverSideEncryption: { enabled: true, kmsKeyArn: KEY_ARN },
      pointInTimeRecovery: { enabled: true },
      deletionProtectionEnabled: false,
      tags: TAGS,
    }),
    resource(T.table, "merchant-risk", {
      name: "dynamodb-merchant-risk-dev",
      billingMode: "PAY_PER_REQUEST",
      hashKey: "merchant_id",
      ttl: { enabled: true, attributeName: "expires_at" },
      serverSideEncryption: { enabled: true, kmsKeyArn: KEY_ARN },
      pointInTimeRecovery: { enabled: true },
      deletionProtectionEnabled: false,
      tags: TAGS,
    }),
    ...functionResources("process-transaction", { Action: ["dynamodb:PutItem"], Resource: tableArn }),
    ...functionResources("notify-team", { Action: ["sns:Publish"], Resource: topicArn }),
    ...functionResources("record-outcome", {
      Action: ["dynamodb:UpdateItem"],
      Resource: [tableArn, merchantRiskTableArn],
    }),
    ...queueResources("fraud-alerts", 300),
    ...queueResources("fraud-alerts-dlq", 30),
    resource(T.topic, "fraud-notifications", {
      name: "sns-fraud-notifications-dev",
      kmsMasterKeyId: KEY_ARN,
      tags: TAGS,
      arn: topicArn,
    }),
    resource(
      T.topicPolicy,
      "fraud-notifications",
      { arn: topicArn, policy: tlsOnlyDocument("sns", topicArn) },
      { propertyDependencies: { arn: [urnOf(T.topic, "fraud-notifications")] } },
    ),
    resource(T.logGroup, "fraud-api-access", {
      name: "/aws/apigateway/apigw-fraud-api-dev",
      retentionInDays: 7,
      kmsKeyId: KEY_ARN,
      tags: TAGS,
    }),
    resource(T.restApi, "fraud-api", { name: "apigw-fraud-api-dev", body: apiBody(), tags: TAGS }),
    resource(T.validator, "fraud-api", {
      name: "body-and-parameters",
      restApi: "a1b2c3",
      validateRequestBody: true,
      validateRequestParameters: true,
    }),
    ...apiGatewayAccountResources(),
    resource(T.stage, "fraud-api", {
      stageName: "dev",
      restApi: "a1b2c3",
      deployment: "d1",
      tags: TAGS,
      arn: STAGE_ARN,
    }),
    resource(T.webAcl, "fraud-api", {
      name: "waf-fraud-api-dev",
      scope: "REGIONAL",
      tags: TAGS,
      arn: WEB_ACL_ARN,
    }),
    resource(
      T.webAclAssociation,
      "fraud-api",
      { resourceArn: STAGE_ARN, webAclArn: WEB_ACL_ARN },
      {
        propertyDependencies: {
          resourceArn: [urnOf(T.stage, "fraud-api")],
          webAclArn: [urnOf(T.webAcl, "fraud-api")],
        },
      },
    ),
    resource(T.apiKey, "fraud-api", { name: "apikey-fraud-api-dev", tags: TAGS }),
    resource(T.usagePlan, "fraud-api", { name: "usageplan-fraud-api-dev", tags: TAGS }),
  ];
}

/**
 * The stack with one resource's props changed: `patch` entries set to `undefined` are removed.
 *
 * @example
 * const broken = withProps(happyStack(), T.fn, "notify-team", { memorySize: 256 });
 */
function withProps(
  stack: readonly GuardResource[],
  type: string,
  name: string,
  patch: Record<string, unknown>,
): GuardResource[] {
  const index = stack.findIndex((r) => r.type === type && r.name === name);
  if (index < 0) throw new Error(`No ${type} named ${name} in the fixture stack`);
  const target = stack[index] as GuardResource;
  const props = Object.fromEntries(
    Object.entries({ ...target.props, ...patch }).filter(
      ([key]) => !(key in patch && patch[key] === undefined),
    ),
  );
  return stack.map((r, i) => (i === index ? { ...target, props } : r));
}

/**
 * The stack with one resource replaced by the result of `change`.
 *
 * @example
 * const protectedStack = withResource(happyStack(), T.table, "transactions", (t) => ({ ...t, protect: true }));
 */
function withResource(
  stack: readonly GuardResource[],
  type: string,
  name: string,
  change: (resource: GuardResource) => GuardResource,
): GuardResource[] {
  if (!stack.some((r) => r.type === type && r.name === name)) throw new Error(`No ${type} named ${name}`);
  return stack.map((r) => (r.type === type && r.name === name ? change(r) : r));
}

export {
  ACCOUNT,
  API_GATEWAY_LOGS_POLICY,
  allowDocument,
  apiBody,
  happyStack,
  KEY_ARN,
  PROVIDER,
  TAGS,
  tlsOnlyDocument,
  withProps,
  withResource,
};
