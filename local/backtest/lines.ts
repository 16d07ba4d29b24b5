/**
 * Splits bytes into numbered lines with a cap on a line's length, so a huge line costs one error
 * instead of memory (readline would build the whole line as one string and fail with a
 * RangeError). A UTF-8 byte order mark before the first line is dropped; a trailing CR is too.
 * A file is read synchronously in large chunks, a stream (stdin) as it comes; a line that lies
 * within one chunk is decoded straight from it, without copying its bytes first.
 */
import * as fs from "node:fs";
import type { Readable } from "node:stream";

/** The longest line the backtest reads, in bytes; a transaction line is well under 1 KiB. */
const MAX_LINE_BYTES = 1024 * 1024;

/** Bytes read from a file at a time. */
const FILE_CHUNK_BYTES = 4 * 1024 * 1024;

/** One physical line: its text, or how long it was when it broke the cap. */
export type Line =
  | { readonly line: number; readonly text: string }
  | { readonly line: number; readonly tooLong: number };

const NEWLINE = 0x0a;
const CR = 0x0d;
const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/**
 * A line splitter over successive chunks: `push` hands every line a chunk completes to `emit`,
 * `end` the last one when the input does not end with a line break.
 */
function makeLineSplitter(maxBytes: number) {
  /** Bytes of the current line from earlier chunks. */
  let parts: Buffer[] = [];
  let size = 0;
  let tooLong = false;
  let line = 0;
  /** The current line, ending at `end` of `last` (its bytes before are in `parts`). */
  const finish = (last: Buffer, start: number, end: number): Line => {
    line += 1;
    const length = size + end - start;
    if (tooLong || length > maxBytes) {
      parts = [];
      size = 0;
      tooLong = false;
      return { line, tooLong: length };
    }
    let bytes = last;
    let from = start;
    let to = end;
    if (parts.length > 0) {
      parts.push(last.subarray(start, end));
      bytes = Buffer.concat(parts);
      from = 0;
      to = bytes.length;
      parts = [];
      size = 0;
    }
    if (line === 1 && to - from >= 3 && bytes.subarray(from, from + 3).equals(BOM)) from += 3;
    if (to > from && bytes[to - 1] === CR) to -= 1;
    return { line, text: bytes.toString("utf8", from, to) };
  };
  const keep = (part: Buffer) => {
    size += part.length;
    if (size > maxBytes) tooLong = true;
    parts = tooLong ? [] : [...parts, part];
  };
  return {
    push(chunk: Buffer, emit: (line: Line) => void): void {
      let start = 0;
      for (let end = chunk.indexOf(NEWLINE); end >= 0; end = chunk.indexOf(NEWLINE, start)) {
        emit(finish(chunk, start, end));
        start = end + 1;
      }
      // The rest belongs to a line the next chunk finishes; copied, as the chunk may be reused.
      if (start < chunk.length) keep(Buffer.from(chunk.subarray(start)));
    },
    end(emit: (line: Line) => void): void {
      if (size > 0 || parts.length > 0 || tooLong) emit(finish(Buffer.alloc(0), 0, 0));
    },
  };
}

/**
 * Lines of a stream, numbered from 1; a line longer than `maxBytes` is reported by its length
 * and skipped up to the next line break.
 *
 * @example
 * for await (const line of readLines(process.stdin)) console.log(line.line);
 */
async function* readLines(stream: Readable, maxBytes = MAX_LINE_BYTES): AsyncGenerator<Line> {
  const splitter = makeLineSplitter(maxBytes);
  const lines: Line[] = [];
  const emit = (line: Line) => lines.push(line);
  for await (const chunk of stream) {
    splitter.push(typeof chunk === "string" ? Buffer.from(chunk) : (chunk as Buffer), emit);
    yield* lines;
    lines.length = 0;
  }
  splitter.end(emit);
  yield* lines;
}

/**
 * Reads an open file synchronously in large chunks from its start and hands its lines (the same
 * lines as {@link readLines}) to `visit`, pausing after each chunk: the caller takes what the
 * chunk's lines gave it, then resumes. Closes `fd` when done.
 *
 * @example
 * for (const _ of visitFileLines(fs.openSync("history.jsonl", "r"), (line) => lines.push(line))) flush(lines);
 */
function* visitFileLines(
  fd: number,
  visit: (line: Line) => void,
  maxBytes = MAX_LINE_BYTES,
): Generator<void> {
  const splitter = makeLineSplitter(maxBytes);
  const chunk = Buffer.allocUnsafe(FILE_CHUNK_BYTES);
  try {
    for (let read = fs.readSync(fd, chunk); read > 0; read = fs.readSync(fd, chunk)) {
      splitter.push(chunk.subarray(0, read), visit);
      yield;
    }
    splitter.end(visit);
  } finally {
    fs.closeSync(fd);
  }
}

/** The error text of a line over the cap. */
function tooLongError(bytes: number, maxBytes = MAX_LINE_BYTES): string {
  return `line: is ${bytes} bytes long, more than the ${maxBytes} bytes a row may have; it was skipped`;
}

export { MAX_LINE_BYTES, readLines, tooLongError, visitFileLines };
