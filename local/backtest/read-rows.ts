/**
 * Reads backtest input as a stream of source rows: JSON Lines (one transaction object per line,
 * optional `is_fraud`) or CSV with a header of the contract's field names (`latitude` and
 * `longitude` columns for the location) and the same optional label. Rows are not validated here
 * beyond their syntax and label: the contract's codec does that in the replay.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { Readable } from "node:stream";
import { type CsvRecord, makeCsvReader } from "./csv";
import { type Line, MAX_LINE_BYTES, readLines, tooLongError, visitFileLines } from "./lines";

/** One input row: its first line number and either the raw object and label, or why it is unusable. */
export type SourceRow =
  | { readonly line: number; readonly value: Record<string, unknown>; readonly label?: boolean }
  | { readonly line: number; readonly errors: string[] };

export type InputFormat = "jsonl" | "csv";

/** A whole input the backtest cannot read (not one bad row): its message is the one line to print. */
class InputError extends Error {
  override readonly name = "InputError";
}

const LABEL = "is_fraud";
const NUMERIC_COLUMNS = new Set(["amount", "timestamp", "latitude", "longitude"]);
const NUMBER = /^-?\d+(\.\d+)?([eE][+-]?\d+)?$/;

/** `.csv` is CSV, `.jsonl`/`.ndjson`/`.json` JSON Lines; anything else is decided by the first line. */
function formatOfPath(file: string): InputFormat | undefined {
  const ext = path.extname(file).toLowerCase();
  if (ext === ".csv") return "csv";
  if (ext === ".jsonl" || ext === ".ndjson" || ext === ".json") return "jsonl";
  return undefined;
}

/** Splits off the label; `undefined` when absent, an error text when it is not a boolean or 0/1. */
function takeLabel(value: Record<string, unknown>): { label?: boolean; error?: string } {
  if (!(LABEL in value)) return {};
  const raw = value[LABEL];
  delete value[LABEL];
  if (raw === true || raw === 1 || raw === "1" || raw === "true") return { label: true };
  if (raw === false || raw === 0 || raw === "0" || raw === "false") return { label: false };
  if (raw === "" || raw === null) return {};
  return { error: `${LABEL}: must be true, false, 1 or 0` };
}

/** Fields whose values repeat from row to row (an account's, a merchant's, a currency). */
interface RepeatedFields {
  account_id?: unknown;
  merchant_id?: unknown;
  merchant_category?: unknown;
  channel?: unknown;
  currency?: unknown;
  country?: unknown;
}

/**
 * One string object per distinct value of the repeated fields: equal ids then compare by
 * reference, and the history holds one copy of each instead of one per row. The fields are
 * named one by one, as a loop over their names reads each row by computed key.
 */
function makeInterner() {
  const strings = new Map<string, string>();
  const one = (value: string): string => {
    const known = strings.get(value);
    if (known !== undefined) return known;
    strings.set(value, value);
    return value;
  };
  return (record: Record<string, unknown>): void => {
    const fields = record as RepeatedFields;
    if (typeof fields.account_id === "string") fields.account_id = one(fields.account_id);
    if (typeof fields.merchant_id === "string") fields.merchant_id = one(fields.merchant_id);
    if (typeof fields.merchant_category === "string")
      fields.merchant_category = one(fields.merchant_category);
    if (typeof fields.channel === "string") fields.channel = one(fields.channel);
    if (typeof fields.currency === "string") fields.currency = one(fields.currency);
    if (typeof fields.country === "string") fields.country = one(fields.country);
  };
}

function jsonRow(text: string, line: number, intern: (record: Record<string, unknown>) => void): SourceRow {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { line, errors: ["line: is not valid JSON"] };
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return { line, errors: ["line: must be a JSON object"] };
  }
  const record = value as Record<string, unknown>;
  const { label, error } = takeLabel(record);
  if (error !== undefined) return { line, errors: [error] };
  intern(record);
  return { line, value: record, label };
}

/** A CSV record to the contract's shape: numbers where the contract has numbers, location nested. */
function csvRow(header: readonly string[], fields: readonly string[], line: number): SourceRow {
  if (fields.length !== header.length) {
    return { line, errors: [`row: has ${fields.length} fields, the header has ${header.length}`] };
  }
  const value: Record<string, unknown> = {};
  header.forEach((name, i) => {
    const cell = fields[i];
    if (cell === "") return;
    value[name] = NUMERIC_COLUMNS.has(name) && NUMBER.test(cell) ? Number(cell) : cell;
  });
  if ("latitude" in value || "longitude" in value) {
    value.location = { latitude: value.latitude, longitude: value.longitude };
    delete value.latitude;
    delete value.longitude;
  }
  const { label, error } = takeLabel(value);
  return error === undefined ? { line, value, label } : { line, errors: [error] };
}

/** A header that names a column twice: the file cannot say which value a row means. */
function duplicateColumn(header: readonly string[]): string | undefined {
  return header.find((name, i) => header.indexOf(name) !== i);
}

/**
 * Rows from numbered lines, in the given format or (when `format` is undefined) in the format the
 * first non-empty line suggests: `{` starts JSON Lines, anything else is a CSV header. `push` hands
 * the rows a line completes to `emit`, `end` the rest. Blank lines are skipped; a line longer
 * than {@link MAX_LINE_BYTES} is an invalid row.
 */
function makeRowParser(format: InputFormat | undefined) {
  let chosen = format;
  /** Lines before the format is known. */
  let waiting: Line[] = [];
  const intern = makeInterner();
  const csv = makeCsvReader();
  let header: string[] | undefined;
  const records = (found: readonly CsvRecord[], emit: (row: SourceRow) => void) => {
    for (const record of found) {
      if (!record.ok) emit({ line: record.line, errors: [record.error] });
      else if (header === undefined) {
        header = record.fields.map((name) => name.trim());
        const twice = duplicateColumn(header);
        if (twice !== undefined) {
          throw new InputError(`the CSV header names the column "${twice}" twice; keep one of them`);
        }
      } else if (!(record.fields.length === 1 && record.fields[0] === "")) {
        emit(csvRow(header, record.fields, record.line));
      }
    }
  };
  const parse = (line: Line, emit: (row: SourceRow) => void) => {
    if ("tooLong" in line) emit({ line: line.line, errors: [tooLongError(line.tooLong)] });
    else if (chosen === "csv") records(csv.push(line.line, line.text), emit);
    else if (line.text.trim() !== "") emit(jsonRow(line.text, line.line, intern));
  };
  return {
    push(line: Line, emit: (row: SourceRow) => void): void {
      if (chosen !== undefined) {
        parse(line, emit);
        return;
      }
      waiting.push(line);
      if (!("text" in line) || line.text.trim() === "") return;
      chosen = line.text.trimStart().startsWith("{") ? "jsonl" : "csv";
      const lines = waiting;
      waiting = [];
      for (const earlier of lines) parse(earlier, emit);
    },
    end(emit: (row: SourceRow) => void): void {
      if (chosen === "csv") records(csv.end(), emit);
    },
  };
}

/**
 * Rows of a stream in the given format, or in the format its first non-empty line suggests (see
 * {@link makeRowParser}).
 *
 * @example
 * for await (const row of readRows(process.stdin, "jsonl")) console.log(row.line);
 */
async function* readRows(stream: Readable, format?: InputFormat): AsyncGenerator<SourceRow> {
  const parser = makeRowParser(format);
  const rows: SourceRow[] = [];
  const emit = (row: SourceRow) => rows.push(row);
  for await (const line of readLines(stream)) {
    parser.push(line, emit);
    yield* rows;
    rows.length = 0;
  }
  parser.end(emit);
  yield* rows;
}

/** The rows of an open file, read synchronously: a file need not wait for the event loop. */
function* readFileRows(fd: number, format?: InputFormat): Generator<SourceRow> {
  const parser = makeRowParser(format);
  const rows: SourceRow[] = [];
  const emit = (row: SourceRow) => rows.push(row);
  const lines = visitFileLines(fd, (line) => parser.push(line, emit));
  // One more round after the last chunk, for what the parser holds at the end.
  for (let done = false; !done; ) {
    done = lines.next().done === true;
    if (done) parser.end(emit);
    for (let i = 0; i < rows.length; i++) yield rows[i];
    rows.length = 0;
  }
}

/**
 * Rows of transaction objects held in memory (line = position + 1); `is_fraud` is the label.
 *
 * @example
 * const rows = [...rowsOfObjects([{ ...tx, is_fraud: true }])];
 */
function* rowsOfObjects(objects: readonly object[]): Generator<SourceRow> {
  for (const [index, object] of objects.entries()) {
    const value: Record<string, unknown> = { ...object };
    const { label, error } = takeLabel(value);
    yield error === undefined ? { line: index + 1, value, label } : { line: index + 1, errors: [error] };
  }
}

/**
 * Opens `file` (or stdin for `-`, read as JSON Lines) and reads its rows. Opening is synchronous,
 * so a missing or unreadable file throws here (ENOENT, EACCES, EISDIR), before any output.
 *
 * @example
 * for await (const row of readRowsFromFile("history.csv")) ...
 */
function readRowsFromFile(file: string): AsyncGenerator<SourceRow> | Generator<SourceRow> {
  if (file === "-") return readRows(process.stdin, "jsonl");
  const fd = fs.openSync(file, "r");
  if (fs.fstatSync(fd).isDirectory()) {
    fs.closeSync(fd);
    throw Object.assign(new Error(`${file} is a directory`), { code: "EISDIR" });
  }
  return readFileRows(fd, formatOfPath(file));
}

export { formatOfPath, InputError, readRows, readRowsFromFile, rowsOfObjects };
