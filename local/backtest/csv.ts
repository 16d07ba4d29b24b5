/**
 * A small RFC 4180 CSV reader for the backtest: comma-separated fields, optional double quotes,
 * `""` for a quote inside a quoted field, quoted fields may hold commas and line breaks. Fed line
 * by line (so a large file streams); a record ends at a line break outside quotes.
 */

export type CsvRecord =
  | { readonly ok: true; readonly fields: string[]; readonly line: number }
  | { readonly ok: false; readonly error: string; readonly line: number };

/**
 * Splits one complete record (its line breaks inside quotes included) into fields.
 *
 * @example
 * parseCsvRecord('a,"b,c","say ""hi"""'); // { ok: true, fields: ["a", "b,c", 'say "hi"'] }
 */
function parseCsvRecord(text: string): { ok: true; fields: string[] } | { ok: false; error: string } {
  const fields: string[] = [];
  let i = 0;
  while (true) {
    if (text[i] === '"') {
      let value = "";
      i += 1;
      while (true) {
        const close = text.indexOf('"', i);
        if (close < 0) return { ok: false, error: "a quoted field is not closed" };
        value += text.slice(i, close);
        if (text[close + 1] === '"') {
          value += '"';
          i = close + 2;
        } else {
          i = close + 1;
          break;
        }
      }
      if (i < text.length && text[i] !== ",") {
        return {
          ok: false,
          error: `unexpected character after the closing quote of field ${fields.length + 1}`,
        };
      }
      fields.push(value);
    } else {
      const comma = text.indexOf(",", i);
      const end = comma < 0 ? text.length : comma;
      const value = text.slice(i, end);
      if (value.includes('"'))
        return { ok: false, error: `field ${fields.length + 1} has a quote but does not start with one` };
      fields.push(value);
      i = end;
    }
    if (i >= text.length) return { ok: true, fields };
    i += 1;
  }
}

function countQuotes(text: string): number {
  let count = 0;
  for (let i = text.indexOf('"'); i >= 0; i = text.indexOf('"', i + 1)) count += 1;
  return count;
}

/**
 * An incremental reader: `push` one physical line (without its line break) and get the record it
 * completes, if any; `end` returns an unterminated last record. Records carry their first line number.
 *
 * @example
 * const reader = makeCsvReader();
 * reader.push('id,"multi'); // undefined
 * reader.push('line"');     // { ok: true, fields: ["id", "multi\nline"], line: 1 }
 */
function makeCsvReader() {
  let pending: string | undefined;
  let quotes = 0;
  let startLine = 0;
  let lineNumber = 0;
  const finish = (): CsvRecord => {
    const text = pending!;
    pending = undefined;
    const parsed = parseCsvRecord(text);
    return parsed.ok
      ? { ok: true, fields: parsed.fields, line: startLine }
      : { ok: false, error: parsed.error, line: startLine };
  };
  return {
    push(line: string): CsvRecord | undefined {
      lineNumber += 1;
      const text = line.endsWith("\r") ? line.slice(0, -1) : line;
      if (pending === undefined) {
        pending = text;
        startLine = lineNumber;
        quotes = countQuotes(text);
      } else {
        pending += `\n${text}`;
        quotes += countQuotes(text);
      }
      // An odd number of quotes so far means a quoted field is still open.
      return quotes % 2 === 0 ? finish() : undefined;
    },
    end(): CsvRecord | undefined {
      return pending === undefined ? undefined : finish();
    },
  };
}

export { makeCsvReader, parseCsvRecord };
