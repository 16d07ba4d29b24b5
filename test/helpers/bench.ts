/**
 * Fixture factories for the benchmark's pure parts: warm-handler rows as `measureWarm` returns
 * them, with chosen timings.
 */
import type { FunctionName } from "../../bench/functions";
import { summarize } from "../../bench/stats";
import type { WarmRow } from "../../bench/warm";

/** Records per invocation of each function, as the warm figure uses them. */
const RECORDS: Record<FunctionName, number> = {
  "process-transaction": 1,
  "detect-fraud": 100,
  "notify-team": 10,
};

/**
 * A warm row whose handler p50 is `p50Micros` (all samples equal) and whose floor is a tenth of it.
 *
 * @example
 * const row = warmRow("detect-fraud", 1_500);
 */
function warmRow(name: FunctionName, p50Micros: number): WarmRow {
  const loop = (micros: number) => ({ opsPerSec: 1e6 / micros, micros: summarize([micros, micros, micros]) });
  return {
    name,
    event: "fixture",
    records: RECORDS[name],
    handler: loop(p50Micros),
    floor: loop(p50Micros / 10),
    ratio: 10,
  };
}

/**
 * Warm rows of all three functions with the given handler p50s (µs).
 *
 * @example
 * const rows = warmRows({ process: 5, detect: 1_500, notify: 300 });
 */
function warmRows(p50: { process: number; detect: number; notify: number }): WarmRow[] {
  return [
    warmRow("process-transaction", p50.process),
    warmRow("detect-fraud", p50.detect),
    warmRow("notify-team", p50.notify),
  ];
}

export { warmRow, warmRows };
