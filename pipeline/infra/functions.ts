/**
 * The functions. Each gets its own role (inline policy from policies/iam), its own encrypted log
 * group created before it, and the same pinned settings; resource names reach the code through
 * (KMS-encrypted) environment variables, never through captured Outputs.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { detectFraudPolicy } from "../../policies/iam/detect-fraud";
import type { PolicyDocument } from "../../policies/iam/document";
import { notifyTeamPolicy } from "../../policies/iam/notify-team";
import { processTransactionPolicy } from "../../policies/iam/process-transaction";
import { recordOutcomePolicy } from "../../policies/iam/record-outcome";
import { serviceTrustPolicy } from "../../policies/iam/trust";
import { ACCOUNT_INDEX } from "../runtime/contract/item";
import type { FraudModel } from "../runtime/detect/model/format";
import { ENV } from "../runtime/env";
import {
  detectFraudFactory,
  METRICS_NAMESPACE,
  makeDetectFraudFactory,
} from "../runtime/lambda/detect-fraud";
import { notifyTeamFactory } from "../runtime/lambda/notify-team";
import { processTransactionFactory } from "../runtime/lambda/process-transaction";
import { recordOutcomeFactory } from "../runtime/lambda/record-outcome";
import type { Alerts } from "./alerts";
import { bundledFunction } from "./bundled-function";
import { reservationSettings } from "./concurrency";
import { encryptedLogGroup } from "./logs";
import { FUNCTION_PURPOSES, type FunctionKey } from "./naming";
import type { Scope } from "./scope";

/** Settings every function shares; the reservation is config (see concurrency.ts). */
const FUNCTION_DEFAULTS = {
  runtime: "nodejs24.x",
  memorySize: 512,
  tracingConfig: { mode: "Active" },
} as const;

/** What a function behind API Gateway may take: well under the gateway's 29 s integration limit. */
const API_TIMEOUT_SECONDS = 10;

/** Per function; notify at most 50 s so the 300 s queue visibility is >= 6x it. */
const TIMEOUT_SECONDS = {
  process: API_TIMEOUT_SECONDS,
  detect: 60,
  notify: 50,
  record: API_TIMEOUT_SECONDS,
} as const;

/** What differs between the functions. */
interface FunctionSpec {
  readonly key: FunctionKey;
  /** The handler factory; its serialized closure is bundled into the function's one-file archive. */
  readonly factory: () => unknown;
  readonly variables: Readonly<Record<string, pulumi.Input<string>>>;
  /** The role's identity policy, given the function's log group ARN. */
  readonly policy: (logGroupArn: pulumi.Output<string>) => pulumi.Output<PolicyDocument>;
}

/** A function with the resources that exist only for it. */
interface PipelineFunction {
  readonly fn: aws.lambda.Function;
  readonly role: aws.iam.Role;
  readonly rolePolicy: aws.iam.RolePolicy;
  readonly logGroup: aws.cloudwatch.LogGroup;
}

/** Resources the functions are granted access to, and what detect-fraud scores with. */
interface FunctionDeps {
  readonly keyArn: pulumi.Output<string>;
  readonly table: aws.dynamodb.Table;
  readonly merchantRiskTable: aws.dynamodb.Table;
  readonly alerts: Alerts;
  /** Executions each function reserves; 0 for none. */
  readonly reservedConcurrency: number;
  readonly fraudRulesJson?: string;
  /** Shipped inside detect-fraud's archive (captured by value), absent for the label-free scorer. */
  readonly fraudModel?: FraudModel;
}

function createFunction(
  scope: Scope,
  { keyArn, reservedConcurrency }: Pick<FunctionDeps, "keyArn" | "reservedConcurrency">,
  spec: FunctionSpec,
): PipelineFunction {
  const names = scope.names.functions[spec.key];
  const purpose = FUNCTION_PURPOSES[spec.key];
  const role = new aws.iam.Role(
    purpose,
    {
      name: names.role,
      assumeRolePolicy: JSON.stringify(serviceTrustPolicy("lambda.amazonaws.com")),
      tags: scope.tags,
    },
    scope.opts,
  );
  const logGroup = encryptedLogGroup(scope, purpose, names.logGroup, keyArn);
  const rolePolicy = new aws.iam.RolePolicy(
    purpose,
    {
      name: names.rolePolicy,
      role: role.id,
      policy: spec.policy(logGroup.arn).apply((doc) => JSON.stringify(doc)),
    },
    scope.opts,
  );
  const { tags: reservationTags, ...reservation } = reservationSettings(reservedConcurrency);
  const fn = bundledFunction(
    purpose,
    {
      ...FUNCTION_DEFAULTS,
      ...reservation,
      name: names.function,
      description: `Fraud pipeline ${purpose}`,
      role: role.arn,
      factory: spec.factory,
      timeout: TIMEOUT_SECONDS[spec.key],
      kmsKeyArn: keyArn,
      loggingConfig: { logFormat: "JSON", logGroup: logGroup.name },
      environment: {
        variables: {
          ...spec.variables,
          POWERTOOLS_SERVICE_NAME: purpose,
          POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
        },
      },
      tags: { ...scope.tags, ...reservationTags },
    },
    // The role must carry its policy before the function (and its event source mappings) exist.
    { ...scope.opts, dependsOn: [logGroup, rolePolicy] },
  );
  return { fn, role, rolePolicy, logGroup };
}

/**
 * Creates process-transaction, detect-fraud, notify-team and record-outcome with their
 * least-privilege roles.
 *
 * @example
 * const functions = createFunctions(scope, { keyArn: key.arn, table, merchantRiskTable, alerts, reservedConcurrency: 50 });
 */
function createFunctions(scope: Scope, deps: FunctionDeps): Record<FunctionKey, PipelineFunction> {
  const { keyArn, table, merchantRiskTable, alerts } = deps;
  const processFn = createFunction(scope, deps, {
    key: "process",
    factory: processTransactionFactory,
    variables: { [ENV.tableName]: table.name },
    policy: (logGroupArn) =>
      pulumi
        .all([table.arn, keyArn, logGroupArn])
        .apply(([tableArn, keyArnValue, groupArn]) =>
          processTransactionPolicy({ tableArn, keyArn: keyArnValue, logGroupArn: groupArn }),
        ),
  });
  const detectFn = createFunction(scope, deps, {
    key: "detect",
    // Without a model, the one shared factory: the same function object serializes to the same code.
    factory: deps.fraudModel === undefined ? detectFraudFactory : makeDetectFraudFactory(deps.fraudModel),
    variables: {
      [ENV.tableName]: table.name,
      [ENV.accountIndexName]: ACCOUNT_INDEX,
      [ENV.merchantRiskTableName]: merchantRiskTable.name,
      [ENV.alertQueueUrl]: alerts.alertQueue.url,
      ...(deps.fraudRulesJson === undefined ? {} : { [ENV.rulesConfig]: deps.fraudRulesJson }),
    },
    policy: (logGroupArn) =>
      pulumi
        .output({
          tableArn: table.arn,
          streamArn: table.streamArn,
          merchantRiskTableArn: merchantRiskTable.arn,
          alertQueueArn: alerts.alertQueue.arn,
          streamFailureQueueArn: alerts.streamFailureQueue.arn,
          keyArn,
          logGroupArn,
        })
        .apply((arns) => detectFraudPolicy({ ...arns, indexArn: `${arns.tableArn}/index/${ACCOUNT_INDEX}` })),
  });
  const notifyFn = createFunction(scope, deps, {
    key: "notify",
    factory: notifyTeamFactory,
    variables: { [ENV.tableName]: table.name, [ENV.topicArn]: alerts.topic.arn },
    policy: (logGroupArn) =>
      pulumi
        .all([table.arn, alerts.alertQueue.arn, alerts.topic.arn, keyArn, logGroupArn])
        .apply(([tableArn, alertQueueArn, topicArn, keyArnValue, groupArn]) =>
          notifyTeamPolicy({ tableArn, alertQueueArn, topicArn, keyArn: keyArnValue, logGroupArn: groupArn }),
        ),
  });
  const recordFn = createFunction(scope, deps, {
    key: "record",
    factory: recordOutcomeFactory,
    variables: { [ENV.tableName]: table.name, [ENV.merchantRiskTableName]: merchantRiskTable.name },
    policy: (logGroupArn) =>
      pulumi
        .output({ tableArn: table.arn, merchantRiskTableArn: merchantRiskTable.arn, keyArn, logGroupArn })
        .apply(recordOutcomePolicy),
  });
  return { process: processFn, detect: detectFn, notify: notifyFn, record: recordFn };
}

export type { PipelineFunction };
export { createFunctions, FUNCTION_DEFAULTS, TIMEOUT_SECONDS };
