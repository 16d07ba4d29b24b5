/**
 * Whether a backtest's input was good enough for its figures to mean anything: a file with no
 * valid transaction, or one mostly made of rows that break the contract, fails the run instead of
 * printing metrics over what little was left.
 */
import type { BacktestResult } from "./run";

/** Share of invalid rows a run tolerates unless `--max-invalid-ratio` says otherwise. */
const DEFAULT_MAX_INVALID_RATIO = 0.1;

/**
 * One line saying why the input cannot be trusted, or undefined when it can.
 *
 * @example
 * inputProblem({ rows: 10, replayed: 2, invalidRows: [...8 rows] }, 0.1);
 * // "8 of 10 rows (80.0 %) break the contract, more than --max-invalid-ratio 0.1: ..."
 */
function inputProblem(
  result: Pick<BacktestResult, "rows" | "replayed" | "invalidRows">,
  maxInvalidRatio: number,
): string | undefined {
  const { rows, replayed, invalidRows } = result;
  if (rows === 0) return "nothing to replay: the input holds no rows";
  if (replayed === 0) {
    const first = invalidRows[0];
    const example = first === undefined ? "" : ` (line ${first.line}: ${first.errors.join("; ")})`;
    return `nothing to replay: none of the ${rows} rows is a valid transaction${example}; check the header or the format`;
  }
  const ratio = invalidRows.length / rows;
  if (ratio > maxInvalidRatio) {
    return (
      `${invalidRows.length} of ${rows} rows (${(ratio * 100).toFixed(1)} %) break the contract, more than ` +
      `--max-invalid-ratio ${maxInvalidRatio}: fix the input, or raise the ratio to accept it`
    );
  }
  return undefined;
}

/**
 * A `--max-invalid-ratio` value (0 to 1), or an error text.
 *
 * @example
 * parseRatioFlag("--max-invalid-ratio", "0.25"); // 0.25
 */
function parseRatioFlag(flag: string, value: string): number | string {
  const ratio = Number(value);
  if (value.trim() === "" || !Number.isFinite(ratio) || ratio < 0 || ratio > 1) {
    return `${flag} must be a number from 0 to 1, got "${value}"`;
  }
  return ratio;
}

export { DEFAULT_MAX_INVALID_RATIO, inputProblem, parseRatioFlag };
