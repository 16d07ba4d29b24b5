/**
 * The Log and MetricsSink ports for the local runner: JSON lines on a chosen stream (stderr by
 * default, so stdout stays readable for the alert summaries), or nothing at all in tests;
 * metrics are in-memory counters the runner and tests can read.
 */
import type { Log, MetricsSink } from "../pipeline/runtime/ports";

export type LogLevel = "info" | "warn" | "error" | "silent";

const RANK: Record<LogLevel, number> = { info: 0, warn: 1, error: 2, silent: 3 };

/**
 * A Log writing one JSON object per line for entries at or above `level`.
 *
 * @example
 * const log = makeLocalLog("process-transaction", "warn", (line) => process.stderr.write(`${line}\n`));
 */
function makeLocalLog(service: string, level: LogLevel, write: (line: string) => void): Log {
  const entry =
    (entryLevel: Exclude<LogLevel, "silent">) => (message: string, attributes?: Record<string, unknown>) => {
      if (RANK[entryLevel] < RANK[level]) return;
      write(
        JSON.stringify({
          level: entryLevel.toUpperCase(),
          service,
          timestamp: new Date().toISOString(),
          message,
          ...attributes,
        }),
      );
    };
  return { info: entry("info"), warn: entry("warn"), error: entry("error") };
}

/** A MetricsSink that adds counts up; `flush` is a no-op because nothing is shipped anywhere. */
export interface LocalMetrics extends MetricsSink {
  counters(): Record<string, number>;
}

/**
 * @example
 * const metrics = makeLocalMetrics();
 * metrics.count("FlaggedTransactions", 2);
 * metrics.counters(); // { FlaggedTransactions: 2 }
 */
function makeLocalMetrics(): LocalMetrics {
  const counts: Record<string, number> = {};
  return {
    count(name, value) {
      counts[name] = (counts[name] ?? 0) + value;
    },
    flush() {},
    counters: () => ({ ...counts }),
  };
}

export { makeLocalLog, makeLocalMetrics };
