/**
 * Figure 5, backtest throughput: rows per second of `runBacktest` (read JSON Lines, decode with
 * the contract codec, replay through the detector, compute the metrics) over a generated file
 * of labelled transactions.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { readRowsFromFile } from "../local/backtest/read-rows";
import { runBacktest } from "../local/backtest/run";
import { writeTransactionsFile } from "./generate";

interface BacktestFigure {
  readonly rows: number;
  readonly fraudRows: number;
  readonly fileBytes: number;
  readonly generateMs: number;
  readonly backtestMs: number;
  readonly rowsPerSec: number;
  readonly alerts: number;
  /** Null when no row was flagged (precision) or none is labelled fraud (recall). */
  readonly precision: number | null;
  readonly recall: number | null;
}

/**
 * Generates `rows` transactions into a temporary file and times one backtest over it.
 *
 * @example
 * const figure = await measureBacktest(200_000);
 * figure.rowsPerSec;
 */
async function measureBacktest(rows: number): Promise<BacktestFigure> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "fraud-bench-backtest-"));
  try {
    const file = path.join(dir, "history.jsonl");
    const generateStart = performance.now();
    const generated = writeTransactionsFile(file, { rows, seed: 1 });
    const generateMs = performance.now() - generateStart;
    const start = performance.now();
    const result = await runBacktest(readRowsFromFile(file));
    const backtestMs = performance.now() - start;
    if (result.replayed !== generated.rows) {
      throw new Error(
        `Backtest replayed ${result.replayed} of ${generated.rows} generated rows (invalid: ${result.invalidRows.length})`,
      );
    }
    return {
      rows: generated.rows,
      fraudRows: generated.fraud,
      fileBytes: fs.statSync(file).size,
      generateMs,
      backtestMs,
      rowsPerSec: generated.rows / (backtestMs / 1000),
      alerts: result.alerts,
      precision: result.precision ?? null,
      recall: result.recall ?? null,
    };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export type { BacktestFigure };
export { measureBacktest };
