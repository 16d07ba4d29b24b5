/**
 * Fixtures for the operations tests: the monitored names of a stack as plain strings, and the
 * embedded-metric-format lines a piece of runtime code writes to stdout.
 */
import type { Monitored } from "../../pipeline/infra/metrics";
import { byFunction, physicalNames } from "../../pipeline/infra/naming";

/**
 * The names the alarms and dashboard watch in a stack with this suffix.
 *
 * @example
 * monitoredNames("dev").functions.detect; // "lambda-detect-fraud-dev"
 */
function monitoredNames(suffix = "dev"): Monitored {
  const names = physicalNames(suffix);
  return {
    functions: byFunction((key) => names.functions[key].function),
    alertQueue: names.alertQueue,
    alertDlq: names.alertDlq,
    streamFailureQueue: names.streamFailureQueue,
    api: names.api,
    stage: names.apiStage,
  };
}

/** The CloudWatch part of one EMF line. */
interface EmfDirective {
  readonly Namespace: string;
  readonly Dimensions: readonly (readonly string[])[];
  readonly Metrics: readonly { readonly Name: string }[];
}

/** One parsed EMF line: the directive plus the dimension values as top-level keys. */
interface EmfLine {
  readonly _aws: { readonly CloudWatchMetrics: readonly EmfDirective[] };
  readonly [key: string]: unknown;
}

/**
 * Runs `act` with stdout captured and returns the EMF lines written (Powertools Metrics writes
 * one JSON line per flush); other output (log lines) is dropped.
 *
 * @example
 * const lines = await captureEmf(() => handler(streamEvent([insertRecord(tx)]), lambdaContext()));
 */
async function captureEmf(act: () => Promise<unknown>): Promise<EmfLine[]> {
  const written: string[] = [];
  const write = process.stdout.write;
  process.stdout.write = ((chunk: unknown) => written.push(String(chunk)) > 0) as typeof write;
  try {
    await act();
  } finally {
    process.stdout.write = write;
  }
  return written
    .join("")
    .split("\n")
    .filter((text) => text.includes('"CloudWatchMetrics"'))
    .map((text) => JSON.parse(text) as EmfLine);
}

export type { EmfLine };
export { captureEmf, monitoredNames };
