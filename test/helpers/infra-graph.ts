/**
 * Queries over the recorded resource graph of the stack (see stack.ts): resource type tokens, the
 * resources of one function, and every IAM document the stack sets.
 */
import type { PolicyDocument, Statement } from "../../policies/iam/document";
import { ofType, type RecordedResource, single } from "./stack";

/** Type tokens of the resources the stack and guard tests look at. */
const T = {
  provider: "pulumi:providers:aws",
  key: "aws:kms/key:Key",
  alias: "aws:kms/alias:Alias",
  table: "aws:dynamodb/table:Table",
  queue: "aws:sqs/queue:Queue",
  queuePolicy: "aws:sqs/queuePolicy:QueuePolicy",
  topic: "aws:sns/topic:Topic",
  topicPolicy: "aws:sns/topicPolicy:TopicPolicy",
  subscription: "aws:sns/topicSubscription:TopicSubscription",
  role: "aws:iam/role:Role",
  rolePolicy: "aws:iam/rolePolicy:RolePolicy",
  attachment: "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
  logGroup: "aws:cloudwatch/logGroup:LogGroup",
  fn: "aws:lambda/function:Function",
  mapping: "aws:lambda/eventSourceMapping:EventSourceMapping",
  permission: "aws:lambda/permission:Permission",
  restApi: "aws:apigateway/restApi:RestApi",
  validator: "aws:apigateway/requestValidator:RequestValidator",
  httpApi: "aws:apigatewayv2/api:Api",
  deployment: "aws:apigateway/deployment:Deployment",
  stage: "aws:apigateway/stage:Stage",
  methodSettings: "aws:apigateway/methodSettings:MethodSettings",
  account: "aws:apigateway/account:Account",
  usagePlan: "aws:apigateway/usagePlan:UsagePlan",
  apiKey: "aws:apigateway/apiKey:ApiKey",
  usagePlanKey: "aws:apigateway/usagePlanKey:UsagePlanKey",
  metricAlarm: "aws:cloudwatch/metricAlarm:MetricAlarm",
  dashboard: "aws:cloudwatch/dashboard:Dashboard",
  webAcl: "aws:wafv2/webAcl:WebAcl",
  webAclAssociation: "aws:wafv2/webAclAssociation:WebAclAssociation",
  webAclLogging: "aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration",
} as const;

/** Resource ARNs to render the function policies of policies/iam with, in tests. */
const FUNCTION_ARNS = {
  tableArn: "arn:aws:dynamodb:us-east-1:111122223333:table/dynamodb-transactions-dev",
  streamArn: "arn:aws:dynamodb:us-east-1:111122223333:table/dynamodb-transactions-dev/stream/2025",
  indexArn: "arn:aws:dynamodb:us-east-1:111122223333:table/dynamodb-transactions-dev/index/i",
  merchantRiskTableArn: "arn:aws:dynamodb:us-east-1:111122223333:table/dynamodb-merchant-risk-dev",
  alertQueueArn: "arn:aws:sqs:us-east-1:111122223333:alerts",
  streamFailureQueueArn: "arn:aws:sqs:us-east-1:111122223333:failures",
  topicArn: "arn:aws:sns:us-east-1:111122223333:topic",
  keyArn: "arn:aws:kms:us-east-1:111122223333:key/k",
  logGroupArn: "arn:aws:logs:us-east-1:111122223333:log-group:/aws/lambda/f",
} as const;

/** The functions by logical name (their purpose). */
const PURPOSES = ["process-transaction", "detect-fraud", "notify-team", "record-outcome"] as const;

/** A function and the resources that exist only for it. */
interface FunctionGraph {
  readonly fn: RecordedResource;
  readonly role: RecordedResource;
  readonly rolePolicy: RecordedResource;
  readonly logGroup: RecordedResource;
  readonly policy: PolicyDocument;
}

/**
 * The function with this purpose, found through the role ARN and log group it references.
 *
 * @example
 * const { fn, policy } = functionGraph(stack.resources, "detect-fraud");
 */
function functionGraph(resources: readonly RecordedResource[], purpose: string): FunctionGraph {
  const fn = single(resources, T.fn, purpose);
  const role = ofType(resources, T.role).find((r) => fn.inputs.role.endsWith(`:role/${r.inputs.name}`));
  const logGroup = ofType(resources, T.logGroup).find(
    (g) => g.inputs.name === fn.inputs.loggingConfig?.logGroup,
  );
  if (role === undefined || logGroup === undefined)
    throw new Error(`Function ${purpose} lacks its role or log group`);
  const rolePolicies = ofType(resources, T.rolePolicy).filter((p) => p.inputs.role === role.inputs.name);
  if (rolePolicies.length !== 1)
    throw new Error(`Role of ${purpose} has ${rolePolicies.length} inline policies`);
  const rolePolicy = rolePolicies[0] as RecordedResource;
  return { fn, role, rolePolicy, logGroup, policy: JSON.parse(rolePolicy.inputs.policy) };
}

/** An IAM document with where it came from. */
interface SourcedDocument {
  readonly source: string;
  readonly document: PolicyDocument;
}

/**
 * Every IAM document in the stack: role trust and inline policies, key, queue and topic policies.
 *
 * @example
 * for (const { source, document } of iamDocuments(stack.resources)) ...
 */
function iamDocuments(resources: readonly RecordedResource[]): SourcedDocument[] {
  const fields: [string, string][] = [
    [T.role, "assumeRolePolicy"],
    [T.rolePolicy, "policy"],
    [T.key, "policy"],
    [T.queuePolicy, "policy"],
    [T.topicPolicy, "policy"],
  ];
  return fields.flatMap(([type, field]) =>
    ofType(resources, type).map((r) => ({
      source: `${type} ${r.name}`,
      document: JSON.parse(r.inputs[field]),
    })),
  );
}

/**
 * Actions allowed on a resource ARN by a document, in statement order.
 *
 * @example
 * allowedActions(policy, tableArn); // ["dynamodb:PutItem"]
 */
function allowedActions(document: PolicyDocument, resourceArn: string): string[] {
  return document.Statement.filter((s) => s.Effect === "Allow" && resources(s).includes(resourceArn)).flatMap(
    (s) => s.Action,
  );
}

/**
 * A statement's resources as a list.
 *
 * @example
 * resources({ ..., Resource: "arn:..." }); // ["arn:..."]
 */
function resources(statement: Statement): readonly string[] {
  const { Resource } = statement;
  if (Resource === undefined) return [];
  return typeof Resource === "string" ? [Resource] : Resource;
}

export type { FunctionGraph, SourcedDocument };
export { allowedActions, FUNCTION_ARNS, functionGraph, iamDocuments, PURPOSES, resources, T };
