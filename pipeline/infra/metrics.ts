/**
 * The CloudWatch metrics operations watch, as plain data: namespace, metric name and the
 * dimensions that pick out one of our resources. The alarms and the dashboard read the same
 * identities, so a widget always shows what an alarm judges.
 */
import { DETECT_METRICS } from "../runtime/detect/handler";
import { NOTIFY_METRICS } from "../runtime/notify/handler";
import { METRICS_NAMESPACE } from "../runtime/observability";
import { FUNCTION_PURPOSES, type FunctionKey } from "./naming";

/** One metric of one resource. `N` is how a name is held: a string, or a Pulumi Input of one. */
interface Metric<N = string> {
  readonly namespace: string;
  readonly metricName: string;
  readonly dimensions: Readonly<Record<string, N>>;
}

/** Names of the monitored resources, as the metrics' dimensions carry them. */
interface Monitored<N = string> {
  readonly functions: Readonly<Record<FunctionKey, N>>;
  readonly alertQueue: N;
  readonly alertDlq: N;
  readonly streamFailureQueue: N;
  /** The REST API's name (API Gateway's `ApiName` dimension, not its id). */
  readonly api: N;
  readonly stage: N;
}

/**
 * A metric AWS Lambda publishes per function (`Invocations`, `Errors`, `Throttles`, `Duration`,
 * `IteratorAge`).
 *
 * @example
 * lambdaMetric("Errors", "lambda-notify-team-dev").dimensions; // { FunctionName: "lambda-notify-team-dev" }
 */
function lambdaMetric<N>(metricName: string, functionName: N): Metric<N> {
  return { namespace: "AWS/Lambda", metricName, dimensions: { FunctionName: functionName } };
}

/**
 * A metric SQS publishes per queue (`ApproximateNumberOfMessagesVisible`, `ApproximateAgeOfOldestMessage`, ...).
 *
 * @example
 * queueMetric("ApproximateNumberOfMessagesVisible", "sqs-fraud-alerts-dlq-dev");
 */
function queueMetric<N>(metricName: string, queueName: N): Metric<N> {
  return { namespace: "AWS/SQS", metricName, dimensions: { QueueName: queueName } };
}

/**
 * A metric API Gateway publishes per REST API stage (`Count`, `4XXError`, `5XXError`, `Latency`).
 *
 * @example
 * apiMetric("Latency", "apigw-fraud-api-dev", "dev").dimensions; // { ApiName: "apigw-fraud-api-dev", Stage: "dev" }
 */
function apiMetric<N>(metricName: string, apiName: N, stage: N): Metric<N> {
  return { namespace: "AWS/ApiGateway", metricName, dimensions: { ApiName: apiName, Stage: stage } };
}

/** A metric the pipeline's own code emits (embedded metric format) under one function's service name. */
function pipelineMetric(metricName: string, key: FunctionKey): Metric<string> {
  // Powertools Metrics gives every metric exactly one dimension set, its default `service`
  // dimension (the service name the factory passes), so the metric is only found under it.
  return { namespace: METRICS_NAMESPACE, metricName, dimensions: { service: FUNCTION_PURPOSES[key] } };
}

/**
 * detect-fraud's flagged-transaction count: each flagged transaction once, on its first verdict.
 *
 * @example
 * flaggedTransactionsMetric().dimensions; // { service: "detect-fraud" }
 */
function flaggedTransactionsMetric(): Metric<string> {
  return pipelineMetric(DETECT_METRICS.flagged, "detect");
}

/**
 * notify-team's count of alerts emailed: each transaction once, by the invocation holding its claim.
 *
 * @example
 * alertsPublishedMetric().metricName; // "AlertsPublished"
 */
function alertsPublishedMetric(): Metric<string> {
  return pipelineMetric(NOTIFY_METRICS.published, "notify");
}

/** The functions that report failed records of their batches back to the event source. */
const BATCH_FUNCTIONS = ["detect", "notify"] as const satisfies readonly FunctionKey[];

type BatchFunctionKey = (typeof BATCH_FUNCTIONS)[number];

/**
 * Records a batch function reported back as failed (partial batch failures, which Lambda's own
 * `Errors` metric does not count), one per failed attempt.
 *
 * @example
 * failedRecordsMetric("notify").dimensions; // { service: "notify-team" }
 */
function failedRecordsMetric(key: BatchFunctionKey): Metric<string> {
  const names = { detect: DETECT_METRICS.failedRecords, notify: NOTIFY_METRICS.failedRecords };
  return pipelineMetric(names[key], key);
}

export type { BatchFunctionKey, Metric, Monitored };
export {
  alertsPublishedMetric,
  apiMetric,
  BATCH_FUNCTIONS,
  failedRecordsMetric,
  flaggedTransactionsMetric,
  lambdaMetric,
  queueMetric,
};
