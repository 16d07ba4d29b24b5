/**
 * Splits a byte stream into numbered lines with a cap on a line's length, so a huge line costs one
 * error instead of memory (readline would build the whole line as one string and fail with a
 * RangeError). A UTF-8 byte order mark before the first line is dropped; a trailing CR is too.
 */
import type { Readable } from "node:stream";

/** The longest line the backtest reads, in bytes; a transaction line is well under 1 KiB. */
const MAX_LINE_BYTES = 1024 * 1024;

/** One physical line: its text, or how long it was when it broke the cap. */
export type Line =
  | { readonly line: number; readonly text: string }
  | { readonly line: number; readonly tooLong: number };

const NEWLINE = 0x0a;
const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/**
 * Lines of a stream, numbered from 1; a line longer than `maxBytes` is reported by its length
 * and skipped up to the next line break.
 *
 * @example
 * for await (const line of readLines(fs.createReadStream("history.csv"))) console.log(line.line);
 */
async function* readLines(stream: Readable, maxBytes = MAX_LINE_BYTES): AsyncGenerator<Line> {
  let parts: Buffer[] = [];
  let size = 0;
  let tooLong = false;
  let line = 0;
  const finish = (): Line => {
    line += 1;
    let bytes = Buffer.concat(parts);
    parts = [];
    const length = size;
    size = 0;
    if (tooLong) {
      tooLong = false;
      return { line, tooLong: length };
    }
    if (line === 1 && bytes.subarray(0, 3).equals(BOM)) bytes = bytes.subarray(3);
    if (bytes.at(-1) === 0x0d) bytes = bytes.subarray(0, -1);
    return { line, text: bytes.toString("utf8") };
  };
  const add = (part: Buffer) => {
    size += part.length;
    if (size > maxBytes) tooLong = true;
    if (!tooLong) parts.push(part);
    else parts = [];
  };
  for await (const chunk of stream) {
    const buffer = typeof chunk === "string" ? Buffer.from(chunk) : (chunk as Buffer);
    let start = 0;
    for (let end = buffer.indexOf(NEWLINE); end >= 0; end = buffer.indexOf(NEWLINE, start)) {
      add(buffer.subarray(start, end));
      yield finish();
      start = end + 1;
    }
    if (start < buffer.length) add(buffer.subarray(start));
  }
  if (size > 0 || parts.length > 0) yield finish();
}

/** The error text of a line over the cap. */
function tooLongError(bytes: number, maxBytes = MAX_LINE_BYTES): string {
  return `line: is ${bytes} bytes long, more than the ${maxBytes} bytes a row may have; it was skipped`;
}

export { MAX_LINE_BYTES, readLines, tooLongError };
