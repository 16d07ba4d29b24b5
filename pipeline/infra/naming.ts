/**
 * Physical names and tags: every AWS name is `{resource-type}-{purpose}-{environmentSuffix}`, and
 * the longest derived name bounds how long the suffix may be.
 */

/** Tags every taggable resource carries (also the provider's default tags). */
const TAGS = { Environment: "production", CostCenter: "fraud-detection" } as const;

/** The functions, by key, with their purpose (the `{purpose}` part of their names). */
const FUNCTION_PURPOSES = {
  process: "process-transaction",
  detect: "detect-fraud",
  notify: "notify-team",
  record: "record-outcome",
} as const;

type FunctionKey = keyof typeof FUNCTION_PURPOSES;

/** Every function key, in {@link FUNCTION_PURPOSES} order. */
const FUNCTION_KEYS = Object.keys(FUNCTION_PURPOSES) as FunctionKey[];

/** The stack-wide alarms, by key, with their purpose (per-function alarms are in `functionAlarms`). */
const ALARM_PURPOSES = {
  alertDlqNotEmpty: "fraud-alerts-dlq-not-empty",
  streamFailuresNotEmpty: "stream-failures-dlq-not-empty",
  alertQueueOldestMessage: "fraud-alerts-oldest-message",
  streamIteratorAge: "detect-fraud-iterator-age",
  api5xxRate: "api-5xx-rate",
  apiP99Latency: "api-p99-latency",
  detectFailedRecords: "detect-fraud-failed-records",
  notifyFailedRecords: "notify-team-failed-records",
} as const;

type AlarmKey = keyof typeof ALARM_PURPOSES;

/** Names of the alarms watching one function. */
interface FunctionAlarmNames {
  readonly errors: string;
  readonly throttles: string;
}

/** Names of one function and the resources that exist only for it. */
interface FunctionNames {
  readonly function: string;
  readonly role: string;
  readonly rolePolicy: string;
  /** Lambda's default log group path for the function, so the console links still work. */
  readonly logGroup: string;
}

/** Every physical name the stack sets. */
interface PhysicalNames {
  readonly keyAlias: string;
  readonly table: string;
  readonly merchantRiskTable: string;
  readonly alertQueue: string;
  readonly alertDlq: string;
  readonly streamFailureQueue: string;
  readonly topic: string;
  readonly functions: Readonly<Record<FunctionKey, FunctionNames>>;
  readonly api: string;
  readonly apiAccessLogGroup: string;
  readonly apiLogsRole: string;
  readonly apiStage: string;
  readonly apiKey: string;
  readonly usagePlan: string;
  /** Statement id of the permission API Gateway invokes process-transaction with. */
  readonly apiInvokePermission: string;
  /** Statement id of the permission API Gateway invokes record-outcome with. */
  readonly outcomesInvokePermission: string;
  /** AWS WAF web ACL on the stage. */
  readonly webAcl: string;
  /** WAF's log group: WAF requires the `aws-waf-logs-` prefix, which is its `{resource-type}` here. */
  readonly wafLogGroup: string;
  readonly opsTopic: string;
  readonly dashboard: string;
  readonly alarms: Readonly<Record<AlarmKey, string>>;
  readonly functionAlarms: Readonly<Record<FunctionKey, FunctionAlarmNames>>;
}

/** A name together with the AWS length limit of where it is used. */
interface LimitedName {
  readonly what: string;
  readonly name: string;
  readonly limit: number;
}

function named(type: string, purpose: string, suffix: string): string {
  return `${type}-${purpose}-${suffix}`;
}

function functionNames(purpose: string, suffix: string): FunctionNames {
  const fn = named("lambda", purpose, suffix);
  return {
    function: fn,
    role: named("role", purpose, suffix),
    rolePolicy: named("policy", purpose, suffix),
    logGroup: `/aws/lambda/${fn}`,
  };
}

function functionAlarmNames(purpose: string, suffix: string): FunctionAlarmNames {
  return {
    errors: named("cw-alarm", `${purpose}-errors`, suffix),
    throttles: named("cw-alarm", `${purpose}-throttles`, suffix),
  };
}

/**
 * One value per function, built from its key: a new function in {@link FUNCTION_PURPOSES} gets
 * its names, alarms and dashboard lines without another list to extend.
 *
 * @example
 * byFunction((key) => FUNCTION_PURPOSES[key]).record; // "record-outcome"
 */
function byFunction<T>(make: (key: FunctionKey) => T): Record<FunctionKey, T> {
  return Object.fromEntries(FUNCTION_KEYS.map((key) => [key, make(key)])) as Record<FunctionKey, T>;
}

/**
 * All physical names for one environment suffix.
 *
 * @example
 * physicalNames("dev").functions.process.function; // "lambda-process-transaction-dev"
 */
function physicalNames(suffix: string): PhysicalNames {
  const api = named("apigw", "fraud-api", suffix);
  return {
    keyAlias: `alias/${named("kms", "fraud-pipeline", suffix)}`,
    table: named("dynamodb", "transactions", suffix),
    merchantRiskTable: named("dynamodb", "merchant-risk", suffix),
    alertQueue: named("sqs", "fraud-alerts", suffix),
    alertDlq: named("sqs", "fraud-alerts-dlq", suffix),
    streamFailureQueue: named("sqs", "stream-failures", suffix),
    topic: named("sns", "fraud-notifications", suffix),
    functions: byFunction((key) => functionNames(FUNCTION_PURPOSES[key], suffix)),
    api,
    apiAccessLogGroup: `/aws/apigateway/${api}`,
    apiLogsRole: named("role", "apigateway-logs", suffix),
    apiStage: suffix,
    apiKey: named("apikey", "fraud-api", suffix),
    usagePlan: named("usageplan", "fraud-api", suffix),
    apiInvokePermission: named("permission", "apigateway-invoke", suffix),
    outcomesInvokePermission: named("permission", "apigateway-invoke-outcomes", suffix),
    webAcl: named("waf", "fraud-api", suffix),
    wafLogGroup: named("aws-waf-logs", "fraud-api", suffix),
    opsTopic: named("sns", "ops-alarms", suffix),
    dashboard: named("cw-dashboard", "fraud-pipeline", suffix),
    alarms: {
      alertDlqNotEmpty: named("cw-alarm", ALARM_PURPOSES.alertDlqNotEmpty, suffix),
      streamFailuresNotEmpty: named("cw-alarm", ALARM_PURPOSES.streamFailuresNotEmpty, suffix),
      alertQueueOldestMessage: named("cw-alarm", ALARM_PURPOSES.alertQueueOldestMessage, suffix),
      streamIteratorAge: named("cw-alarm", ALARM_PURPOSES.streamIteratorAge, suffix),
      api5xxRate: named("cw-alarm", ALARM_PURPOSES.api5xxRate, suffix),
      apiP99Latency: named("cw-alarm", ALARM_PURPOSES.apiP99Latency, suffix),
      detectFailedRecords: named("cw-alarm", ALARM_PURPOSES.detectFailedRecords, suffix),
      notifyFailedRecords: named("cw-alarm", ALARM_PURPOSES.notifyFailedRecords, suffix),
    },
    functionAlarms: byFunction((key) => functionAlarmNames(FUNCTION_PURPOSES[key], suffix)),
  };
}

/**
 * The name of every alarm of the stack: the stack-wide ones and each function's.
 *
 * @example
 * everyAlarmName(physicalNames("dev")); // ["cw-alarm-fraud-alerts-dlq-not-empty-dev", ...]
 */
function everyAlarmName(names: PhysicalNames): string[] {
  return [
    ...Object.values(names.alarms),
    ...Object.values(names.functionAlarms).flatMap((fn) => Object.values(fn)),
  ];
}

/**
 * The name of every log group the stack creates: each function's, the API's access log and, when
 * the stage has a web ACL, WAF's.
 *
 * @example
 * everyLogGroupName(physicalNames("dev"), { waf: false }); // ["/aws/lambda/lambda-process-transaction-dev", ...]
 */
function everyLogGroupName(names: PhysicalNames, { waf }: { waf: boolean }): string[] {
  return [
    ...Object.values(names.functions).map((fn) => fn.logGroup),
    names.apiAccessLogGroup,
    ...(waf ? [names.wafLogGroup] : []),
  ];
}

/**
 * Each name that AWS limits in length, with its limit.
 *
 * @example
 * limitedNames(physicalNames("dev")).every(({ name, limit }) => name.length <= limit); // true
 */
function limitedNames(names: PhysicalNames): LimitedName[] {
  const perFunction = Object.values(names.functions).flatMap((fn) => [
    { what: "Lambda function name", name: fn.function, limit: 64 },
    { what: "IAM role name", name: fn.role, limit: 64 },
    { what: "IAM inline policy name", name: fn.rolePolicy, limit: 128 },
    { what: "CloudWatch log group name", name: fn.logGroup, limit: 512 },
  ]);
  const alarmNames = everyAlarmName(names);
  return [
    ...perFunction,
    { what: "KMS alias name", name: names.keyAlias, limit: 256 },
    { what: "DynamoDB table name", name: names.table, limit: 255 },
    { what: "DynamoDB table name", name: names.merchantRiskTable, limit: 255 },
    { what: "SQS queue name", name: names.alertQueue, limit: 80 },
    { what: "SQS queue name", name: names.alertDlq, limit: 80 },
    { what: "SQS queue name", name: names.streamFailureQueue, limit: 80 },
    { what: "SNS topic name", name: names.topic, limit: 256 },
    { what: "CloudWatch log group name", name: names.apiAccessLogGroup, limit: 512 },
    { what: "IAM role name", name: names.apiLogsRole, limit: 64 },
    { what: "API Gateway stage name", name: names.apiStage, limit: 128 },
    { what: "Lambda permission statement id", name: names.apiInvokePermission, limit: 100 },
    { what: "Lambda permission statement id", name: names.outcomesInvokePermission, limit: 100 },
    { what: "WAF web ACL name", name: names.webAcl, limit: 128 },
    { what: "CloudWatch log group name", name: names.wafLogGroup, limit: 512 },
    { what: "SNS topic name", name: names.opsTopic, limit: 256 },
    { what: "CloudWatch dashboard name", name: names.dashboard, limit: 255 },
    ...alarmNames.map((name) => ({ what: "CloudWatch alarm name", name, limit: 255 })),
  ];
}

/** Longest suffix for which every limited name still fits (37: `lambda-process-transaction-` + 37 = 64). */
const MAX_SUFFIX_LENGTH = Math.min(
  ...limitedNames(physicalNames("")).map(({ name, limit }) => limit - name.length),
);

export type { AlarmKey, FunctionAlarmNames, FunctionKey, FunctionNames, LimitedName, PhysicalNames };
export {
  ALARM_PURPOSES,
  byFunction,
  everyAlarmName,
  everyLogGroupName,
  FUNCTION_KEYS,
  FUNCTION_PURPOSES,
  limitedNames,
  MAX_SUFFIX_LENGTH,
  physicalNames,
  TAGS,
};
