/**
 * Powertools adapters for the Log and MetricsSink ports. Built only inside a function factory
 * (a Logger or Metrics captured by a serialized closure would not survive serialization).
 */
import { Logger } from "@aws-lambda-powertools/logger";
import { Metrics, MetricUnit } from "@aws-lambda-powertools/metrics";
import type { Log, MetricsSink } from "./ports";

/** CloudWatch namespace of the pipeline's EMF metrics (the stack's alarms and dashboard read it). */
const METRICS_NAMESPACE = "FraudPipeline";

/**
 * A Log over a Powertools Logger: one JSON line per entry with the service name and the
 * attributes as top-level keys; level from `POWERTOOLS_LOG_LEVEL` (default INFO).
 *
 * @example
 * const log = makeLogger("notify-team");
 * log.info("Alert published", { transactionId });
 */
function makeLogger(serviceName: string): Log {
  const logger = new Logger({ serviceName });
  // The Logger's variadic signature does not accept an optional attributes argument as such.
  return {
    info: (message, attributes = {}) => logger.info(message, attributes),
    warn: (message, attributes = {}) => logger.warn(message, attributes),
    error: (message, attributes = {}) => logger.error(message, attributes),
  };
}

/**
 * A MetricsSink over Powertools Metrics (CloudWatch embedded metric format on stdout): `count`
 * adds a Count metric, `flush` writes the stored metrics. Call `flush` once per invocation.
 *
 * @example
 * const metrics = makeMetrics("FraudPipeline", "detect-fraud");
 * metrics.count("TransactionsFlagged", 2);
 * metrics.flush();
 */
function makeMetrics(namespace: string, serviceName: string): MetricsSink {
  const metrics = new Metrics({ namespace, serviceName });
  return {
    count(name, value) {
      metrics.addMetric(name, MetricUnit.Count, value);
    },
    flush() {
      metrics.publishStoredMetrics();
    },
  };
}

export { METRICS_NAMESPACE, makeLogger, makeMetrics };
