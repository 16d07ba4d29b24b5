/**
 * The backtest's CSV records, parsed by csv-parse (RFC 4180: comma-separated fields, optional
 * double quotes, `""` for a quote inside a quoted field, quoted fields may hold commas and line
 * breaks). Fed one physical line at a time, so a large file streams. A malformed record costs that
 * record only: the parser is started afresh on the line after it, and when a quote opened on line N
 * is never closed (within the record size cap, or before the end), the lines after N are read again.
 */
import { type CsvError, Parser } from "csv-parse";
import { MAX_LINE_BYTES } from "./lines";

export type CsvRecord =
  | { readonly ok: true; readonly fields: string[]; readonly line: number }
  | { readonly ok: false; readonly error: string; readonly line: number };

/** csv-parse's error, without the position it appends (the record's line is reported instead). */
function reasonOf(error: CsvError | undefined): string {
  if (error === undefined || error.code === "CSV_QUOTE_NOT_CLOSED")
    return "has a quoted field that is not closed";
  if (error.code === "CSV_MAX_RECORD_SIZE")
    return `has a quoted field that is not closed within ${MAX_LINE_BYTES} bytes`;
  if (error.code === "INVALID_OPENING_QUOTE")
    return "has a quote inside a field that does not start with one";
  if (error.code === "CSV_INVALID_CLOSING_QUOTE") return "has a character after the closing quote of a field";
  return error.message.replace(/ at line \d+.*$/s, "");
}

/** Errors after which the record's first line is dropped and the lines after it are read again. */
const UNCLOSED = new Set(["CSV_QUOTE_NOT_CLOSED", "CSV_MAX_RECORD_SIZE"]);

/**
 * An incremental reader: `push` one physical line (without its line break) and get the records
 * that are complete so far; `end` returns the rest. Records carry their first line number.
 *
 * @example
 * const reader = makeCsvReader();
 * reader.push(1, 'id,"multi'); // []
 * reader.push(2, 'line"');     // []
 * reader.end();                // [{ ok: true, fields: ["id", "multi\nline"], line: 1 }]
 */
function makeCsvReader() {
  let out: CsvRecord[] = [];
  /** Lines given to the current parser that may still belong to a record; `base` is how many came before. */
  let written: { line: number; text: string }[] = [];
  let base = 0;
  /** Lines (counted by the parser) that finished records cover. */
  let consumed = 0;
  let failure: { error: CsvError; first: number } | undefined;

  /** Index in `written` of the first line of the record after the last one finished. */
  const firstOfNext = () => {
    let index = consumed - base;
    while (index < written.length - 1 && written[index].text === "") index += 1;
    return index;
  };
  const fresh = () =>
    new Parser({
      record_delimiter: "\n",
      relax_column_count: true,
      skip_empty_lines: true,
      skip_records_with_error: true,
      max_record_size: MAX_LINE_BYTES,
      on_record: (fields: string[], context) => {
        // After a failure the parser skips ahead on its own; those lines are read again instead.
        if (failure === undefined) out.push({ ok: true, fields, line: written[firstOfNext()].line });
        consumed = context.lines;
        return null;
      },
      on_skip: (error) => {
        if (failure === undefined && error !== undefined) failure = { error, first: firstOfNext() };
        return undefined;
      },
    });
  let parser = fresh();

  /** Reports the failed record; the lines after it (after its first, for an unclosed quote) go to a fresh parser. */
  const recover = () => {
    while (failure !== undefined) {
      const { error, first } = failure;
      out.push({ ok: false, error: `row: ${reasonOf(error)}`, line: written[first].line });
      const rest = written.slice(UNCLOSED.has(error.code) ? first + 1 : Number(error.lines) - base);
      parser.destroy();
      parser = fresh();
      written = [];
      base = 0;
      consumed = 0;
      failure = undefined;
      for (const { line, text } of rest) write(line, text);
    }
  };

  /** Gives the parser one line; the parser takes it synchronously, as on_record passes nothing downstream. */
  const write = (line: number, text: string) => {
    written.push({ line, text });
    parser.write(`${text}\n`);
    if (failure !== undefined) recover();
    else if (consumed - base > 0) {
      written = written.slice(consumed - base);
      base = consumed;
    }
  };

  return {
    push(line: number, text: string): CsvRecord[] {
      out = [];
      write(line, text);
      return out;
    },
    end(): CsvRecord[] {
      out = [];
      parser.end();
      // A quote still open at the end: report it, read the rest again, and end that parser too.
      while (failure !== undefined) {
        recover();
        parser.end();
      }
      return out;
    },
  };
}

export { makeCsvReader };
