/**
 * CloudWatch alarms: what each one watches and when it fires, as plain data (`alarmSpecs`), and
 * the resources built from that data, all notifying the ops topic on ALARM and on OK.
 */
import * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";
import {
  apiMetric,
  failedRecordsMetric,
  lambdaMetric,
  type Metric,
  type Monitored,
  queueMetric,
} from "./metrics";
import {
  ALARM_PURPOSES,
  FUNCTION_KEYS,
  FUNCTION_PURPOSES,
  type FunctionKey,
  type PhysicalNames,
} from "./naming";
import type { Scope } from "./scope";

/** Bounds the alarms fire above (the dashboard draws the same lines). */
const ALARM_THRESHOLDS = {
  /** Any message at all: each one is an alert or a stream batch the pipeline gave up on. */
  dlqMessages: 0,
  functionErrors: 0,
  functionThrottles: 0,
  /** Any record a batch function reported back as failed: Lambda's `Errors` never counts those. */
  failedRecords: 0,
  /** IteratorAge is in milliseconds: detect-fraud more than a minute behind the table. */
  streamIteratorAgeMs: 60_000,
  /** Average of 5XXError is the share of requests answered 5xx: 1 %. */
  api5xxRate: 0.01,
  apiP99LatencyMs: 1_000,
  /** Two visibility timeouts (300 s each): an alert nobody has managed to deliver for 10 minutes. */
  alertAgeSeconds: 600,
} as const;

/**
 * How a period without data counts. Every alarm here watches something that is only reported
 * when there is traffic (no invocations, no requests, an idle queue), so no data means nothing
 * is wrong: `notBreaching`.
 */
type TreatMissingData = "missing" | "ignore" | "breaching" | "notBreaching";

/** One alarm. `N` is how resource names are held: strings in tests, Pulumi Inputs in the stack. */
interface AlarmSpec<N = string> {
  /** Logical (Pulumi) name: the alarm's purpose. */
  readonly purpose: string;
  readonly name: string;
  /** What firing means and the first thing to do (it is in the notification email). */
  readonly description: string;
  /** Dimensions hold resource names (`N`) or constants such as the pipeline metrics' service name. */
  readonly metric: Metric<N | string>;
  /** `Sum`, `Maximum`, `Average`, or a percentile such as `p99`. */
  readonly statistic: string;
  readonly periodSeconds: number;
  /** Fires when `datapointsToAlarm` of the last `evaluationPeriods` periods exceed the threshold. */
  readonly evaluationPeriods: number;
  readonly datapointsToAlarm: number;
  readonly threshold: number;
  readonly treatMissingData: TreatMissingData;
}

/** Every alarm fires strictly above its threshold. */
const COMPARISON = "GreaterThanThreshold";

/** Count-like metrics: one five-minute period with any occurrence. */
const ANY_IN_FIVE_MINUTES = { periodSeconds: 300, evaluationPeriods: 1, datapointsToAlarm: 1 } as const;
/** Queue gauges: one minute at the bound. */
const ONE_MINUTE = { periodSeconds: 60, evaluationPeriods: 1, datapointsToAlarm: 1 } as const;
/** Lag and latency: 3 of the last 5 minutes, so one slow cold start does not page anyone. */
const SUSTAINED = { periodSeconds: 60, evaluationPeriods: 5, datapointsToAlarm: 3 } as const;

function functionAlarms<N>(names: PhysicalNames, key: FunctionKey, functionName: N): AlarmSpec<N>[] {
  const purpose = FUNCTION_PURPOSES[key];
  const fn = names.functions[key].function;
  return [
    {
      purpose: `${purpose}-errors`,
      name: names.functionAlarms[key].errors,
      description: `${fn} failed at least once in 5 minutes. Read its errors: aws logs tail ${names.functions[key].logGroup} --since 15m --filter-pattern '{ $.level = "ERROR" }'`,
      metric: lambdaMetric("Errors", functionName),
      statistic: "Sum",
      ...ANY_IN_FIVE_MINUTES,
      threshold: ALARM_THRESHOLDS.functionErrors,
      treatMissingData: "notBreaching",
    },
    {
      purpose: `${purpose}-throttles`,
      name: names.functionAlarms[key].throttles,
      description: `${fn} was throttled at least once in 5 minutes: load above its reserved concurrency (config reservedConcurrency), or above the account's unreserved pool when it reserves none.`,
      metric: lambdaMetric("Throttles", functionName),
      statistic: "Sum",
      ...ANY_IN_FIVE_MINUTES,
      threshold: ALARM_THRESHOLDS.functionThrottles,
      treatMissingData: "notBreaching",
    },
  ];
}

/**
 * The failed-record alarms of detect-fraud and notify-team. Both report failed records back to
 * their event source (ReportBatchItemFailures) and return normally, so Lambda counts no error:
 * without these alarms a record failing on every retry shows only once it reaches a DLQ.
 */
function failedRecordAlarms<N>(names: PhysicalNames): AlarmSpec<N>[] {
  const detect = names.functions.detect;
  const notify = names.functions.notify;
  const logs = (logGroup: string, filter: string) =>
    `aws logs tail ${logGroup} --since 15m --filter-pattern '${filter}'`;
  return [
    {
      purpose: ALARM_PURPOSES.detectFailedRecords,
      name: names.alarms.detectFailedRecords,
      description: `${detect.function} failed stream records in the last 5 minutes (retried from the failed record, up to the retry limit, then parked in ${names.streamFailureQueue}); until they succeed those transactions have no verdict and raised no alert. Each failure is logged with its transactionId, reason, errorName and httpStatusCode: ${logs(detect.logGroup, '{ $.message = "Record failed" }')}`,
      metric: failedRecordsMetric("detect"),
      statistic: "Sum",
      ...ANY_IN_FIVE_MINUTES,
      threshold: ALARM_THRESHOLDS.failedRecords,
      treatMissingData: "notBreaching",
    },
    {
      purpose: ALARM_PURPOSES.notifyFailedRecords,
      name: names.alarms.notifyFailedRecords,
      description: `${notify.function} failed fraud-alert messages in the last 5 minutes (SQS redelivers them, and after 5 receives parks them in ${names.alertDlq}); the fraud team has not been emailed about those transactions yet. Each failure is logged with its messageId, transactionId, errorName and httpStatusCode: ${logs(notify.logGroup, '{ $.level = "ERROR" || $.level = "WARN" }')}`,
      metric: failedRecordsMetric("notify"),
      statistic: "Sum",
      ...ANY_IN_FIVE_MINUTES,
      threshold: ALARM_THRESHOLDS.failedRecords,
      treatMissingData: "notBreaching",
    },
  ];
}

/**
 * Every alarm of the stack: DLQs not empty, each function's errors and throttles, stream lag,
 * API 5xx rate and p99 latency, alerts waiting too long, and records detect-fraud or notify-team
 * reported as failed.
 *
 * @example
 * alarmSpecs(physicalNames("dev"), monitored).map((a) => a.name); // ["cw-alarm-fraud-alerts-dlq-not-empty-dev", ...]
 */
function alarmSpecs<N>(names: PhysicalNames, monitored: Monitored<N>): AlarmSpec<N>[] {
  return [
    {
      purpose: ALARM_PURPOSES.alertDlqNotEmpty,
      name: names.alarms.alertDlqNotEmpty,
      description: `Alerts notify-team failed to deliver 5 times are parked in ${names.alertDlq}: the fraud team was not told. Find the cause, then redrive them to ${names.alertQueue}.`,
      metric: queueMetric("ApproximateNumberOfMessagesVisible", monitored.alertDlq),
      statistic: "Maximum",
      ...ONE_MINUTE,
      threshold: ALARM_THRESHOLDS.dlqMessages,
      treatMissingData: "notBreaching",
    },
    {
      purpose: ALARM_PURPOSES.streamFailuresNotEmpty,
      name: names.alarms.streamFailuresNotEmpty,
      description: `detect-fraud gave up on stream records; ${names.streamFailureQueue} holds their shard and sequence numbers. Those transactions have no verdict and raised no alert.`,
      metric: queueMetric("ApproximateNumberOfMessagesVisible", monitored.streamFailureQueue),
      statistic: "Maximum",
      ...ONE_MINUTE,
      threshold: ALARM_THRESHOLDS.dlqMessages,
      treatMissingData: "notBreaching",
    },
    {
      purpose: ALARM_PURPOSES.alertQueueOldestMessage,
      name: names.alarms.alertQueueOldestMessage,
      description: `An alert has waited more than ${ALARM_THRESHOLDS.alertAgeSeconds} s in ${names.alertQueue}: notify-team is failing or throttled, so fraud notifications are late.`,
      metric: queueMetric("ApproximateAgeOfOldestMessage", monitored.alertQueue),
      statistic: "Maximum",
      ...ONE_MINUTE,
      threshold: ALARM_THRESHOLDS.alertAgeSeconds,
      treatMissingData: "notBreaching",
    },
    {
      purpose: ALARM_PURPOSES.streamIteratorAge,
      name: names.alarms.streamIteratorAge,
      description: `${names.functions.detect.function} is more than ${ALARM_THRESHOLDS.streamIteratorAgeMs / 1000} s behind the table stream (3 of 5 minutes): detection is late, and records older than 1 h are skipped to ${names.streamFailureQueue}.`,
      metric: lambdaMetric("IteratorAge", monitored.functions.detect),
      statistic: "Maximum",
      ...SUSTAINED,
      threshold: ALARM_THRESHOLDS.streamIteratorAgeMs,
      treatMissingData: "notBreaching",
    },
    {
      purpose: ALARM_PURPOSES.api5xxRate,
      name: names.alarms.api5xxRate,
      description: `More than ${ALARM_THRESHOLDS.api5xxRate * 100} % of requests to ${names.api} got a 5xx in 5 minutes: clients are being refused.`,
      metric: apiMetric("5XXError", monitored.api, monitored.stage),
      statistic: "Average",
      ...ANY_IN_FIVE_MINUTES,
      threshold: ALARM_THRESHOLDS.api5xxRate,
      treatMissingData: "notBreaching",
    },
    {
      purpose: ALARM_PURPOSES.apiP99Latency,
      name: names.alarms.apiP99Latency,
      description: `p99 latency of ${names.api} is above ${ALARM_THRESHOLDS.apiP99LatencyMs} ms (3 of 5 minutes): check the integration latency and the API functions' duration on the dashboard.`,
      metric: apiMetric("Latency", monitored.api, monitored.stage),
      statistic: "p99",
      ...SUSTAINED,
      threshold: ALARM_THRESHOLDS.apiP99LatencyMs,
      treatMissingData: "notBreaching",
    },
    ...FUNCTION_KEYS.flatMap((key) => functionAlarms(names, key, monitored.functions[key])),
    ...failedRecordAlarms<N>(names),
  ];
}

/** `statistic` for the standard statistics, `extendedStatistic` for percentiles. */
function statisticArgs(statistic: string): Partial<aws.cloudwatch.MetricAlarmArgs> {
  if (!/^p\d/.test(statistic)) return { statistic };
  // A percentile over few requests is the slowest one; evaluated anyway, so a quiet API can still
  // alarm (3 of 5 minutes keeps a lone cold start from doing so).
  return { extendedStatistic: statistic, evaluateLowSampleCountPercentiles: "evaluate" };
}

/**
 * Creates one alarm per spec, notifying `topicArn` when it fires and when it recovers.
 *
 * @example
 * const alarms = createAlarms(scope, alarmSpecs(scope.names, monitored), opsTopic.arn);
 */
function createAlarms(
  scope: Scope,
  specs: readonly AlarmSpec<pulumi.Input<string>>[],
  topicArn: pulumi.Input<string>,
): aws.cloudwatch.MetricAlarm[] {
  return specs.map(
    (spec) =>
      new aws.cloudwatch.MetricAlarm(
        spec.purpose,
        {
          name: spec.name,
          alarmDescription: spec.description,
          namespace: spec.metric.namespace,
          metricName: spec.metric.metricName,
          dimensions: spec.metric.dimensions,
          ...statisticArgs(spec.statistic),
          period: spec.periodSeconds,
          evaluationPeriods: spec.evaluationPeriods,
          datapointsToAlarm: spec.datapointsToAlarm,
          threshold: spec.threshold,
          comparisonOperator: COMPARISON,
          treatMissingData: spec.treatMissingData,
          alarmActions: [topicArn],
          okActions: [topicArn],
          tags: scope.tags,
        },
        scope.opts,
      ),
  );
}

export type { AlarmSpec, TreatMissingData };
export { ALARM_THRESHOLDS, alarmSpecs, createAlarms };
