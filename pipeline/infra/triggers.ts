/**
 * Event source mappings, created directly: the table/queue `onEvent` mixins cannot express partial
 * batch failures (docs/design.md, closure rule 7).
 */
import * as aws from "@pulumi/aws";
import { TRANSACTION_STREAM_FILTER } from "../runtime/table-definitions";
import type { Alerts } from "./alerts";
import { queueMaximumConcurrency } from "./concurrency";
import type { PipelineFunction } from "./functions";
import type { FunctionKey } from "./naming";
import type { Scope } from "./scope";

/** Stream mapping settings: poison records are isolated by bisection, then parked in the failure DLQ. */
const STREAM_MAPPING = {
  startingPosition: "LATEST",
  batchSize: 100,
  bisectBatchOnFunctionError: true,
  maximumRetryAttempts: 5,
  maximumRecordAgeInSeconds: 3600,
} as const;

/** Only new transactions are analysed: no verdict write-back (MODIFY), no id guard. */
const INSERT_ONLY_PATTERN = JSON.stringify(TRANSACTION_STREAM_FILTER);

interface TriggerDeps {
  readonly table: aws.dynamodb.Table;
  readonly alerts: Alerts;
  readonly functions: Readonly<Record<FunctionKey, PipelineFunction>>;
  /** Executions each function reserves (0 for none); caps notify-team's queue pollers. */
  readonly reservedConcurrency: number;
}

/**
 * Connects the table stream to detect-fraud and the alert queue to notify-team, both reporting
 * partial batch failures.
 *
 * @example
 * const [streamMapping, queueMapping] = createTriggers(scope, { table, alerts, functions, reservedConcurrency: 50 });
 */
function createTriggers(
  scope: Scope,
  { table, alerts, functions, reservedConcurrency }: TriggerDeps,
): aws.lambda.EventSourceMapping[] {
  const { detect, notify } = functions;
  const streamMapping = new aws.lambda.EventSourceMapping(
    "detect-fraud-stream",
    {
      ...STREAM_MAPPING,
      eventSourceArn: table.streamArn,
      functionName: detect.fn.arn,
      filterCriteria: { filters: [{ pattern: INSERT_ONLY_PATTERN }] },
      functionResponseTypes: ["ReportBatchItemFailures"],
      destinationConfig: { onFailure: { destinationArn: alerts.streamFailureQueue.arn } },
      tags: scope.tags,
    },
    // Lambda checks the role's stream permissions when the mapping is created.
    { ...scope.opts, dependsOn: [detect.rolePolicy] },
  );
  const queueMapping = new aws.lambda.EventSourceMapping(
    "notify-team-alerts",
    {
      eventSourceArn: alerts.alertQueue.arn,
      functionName: notify.fn.arn,
      batchSize: 10,
      functionResponseTypes: ["ReportBatchItemFailures"],
      scalingConfig: { maximumConcurrency: queueMaximumConcurrency(reservedConcurrency) },
      tags: scope.tags,
    },
    { ...scope.opts, dependsOn: [notify.rolePolicy] },
  );
  return [streamMapping, queueMapping];
}

export { createTriggers };
