/**
 * The CloudWatch metrics operations watch, as plain data: namespace, metric name and the
 * dimensions that pick out one of our resources. The alarms and the dashboard read the same
 * identities, so a widget always shows what an alarm judges.
 */
import { DETECT_METRICS } from "../runtime/detect/handler";
import { METRICS_NAMESPACE } from "../runtime/lambda/detect-fraud";
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

/**
 * detect-fraud's flagged-transaction count, an embedded-metric-format metric. Powertools Metrics
 * gives every metric exactly one dimension set, its default `service` dimension (the service name
 * the factory passes), so the metric is only found under that dimension.
 *
 * @example
 * flaggedTransactionsMetric().dimensions; // { service: "detect-fraud" }
 */
function flaggedTransactionsMetric(): Metric<string> {
  return {
    namespace: METRICS_NAMESPACE,
    metricName: DETECT_METRICS.flagged,
    dimensions: { service: FUNCTION_PURPOSES.detect },
  };
}

export type { Metric, Monitored };
export { apiMetric, flaggedTransactionsMetric, lambdaMetric, queueMetric };
