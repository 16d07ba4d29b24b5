/**
 * Flag values the backtest and training CLIs share: a UTC date, a number of days, a model file.
 * Each parser names the flag and what would be valid.
 */
import * as fs from "node:fs";
import { FEATURE_NAMES } from "../../pipeline/runtime/detect/features/registry";
import { type FraudModel, parseFraudModel } from "../../pipeline/runtime/detect/model/format";

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
/** Longest label delay accepted: a quarter covers chargeback windows. */
const MAX_DAYS = 120;

/**
 * A `YYYY-MM-DD` flag value as the epoch milliseconds of that UTC midnight, or an error text.
 *
 * @example
 * parseDateFlag("--from", "2025-10-15"); // 1760486400000
 */
function parseDateFlag(flag: string, value: string): number | string {
  const match = DATE.exec(value);
  const time =
    match === null ? Number.NaN : Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
  if (match === null || new Date(time).toISOString().slice(0, 10) !== value) {
    return `${flag} must be a date as YYYY-MM-DD, got "${value}"`;
  }
  return time;
}

/**
 * A number of days (0 to 120, fractions allowed), or an error text.
 *
 * @example
 * parseDaysFlag("--label-delay", "7"); // 7
 */
function parseDaysFlag(flag: string, value: string): number | string {
  const days = Number(value);
  if (value.trim() === "" || !Number.isFinite(days) || days < 0 || days > MAX_DAYS) {
    return `${flag} must be a number of days between 0 and ${MAX_DAYS}, got "${value}"`;
  }
  return days;
}

/**
 * Reads and validates MODEL.json against this version's features.
 *
 * @example
 * const model = loadModelFile("model.json");
 * @throws Error naming the file and the problem (unreadable, not JSON, feature mismatch, ...).
 */
function loadModelFile(file: string): FraudModel {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    throw new Error(
      `cannot read the model file ${file} (${typeof code === "string" ? code : String(error)})`,
    );
  }
  try {
    return parseFraudModel(text, FEATURE_NAMES);
  } catch (error) {
    throw new Error(`${file}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

export { loadModelFile, parseDateFlag, parseDaysFlag };
