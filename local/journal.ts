/**
 * Durable storage for the local table under `--data DIR`: every write appends the item's new
 * image as one JSON line to `journal.jsonl` and fsyncs it before the write becomes visible; on
 * open, `snapshot.jsonl` plus the journal are replayed (last image of a key wins), then compacted
 * into a fresh snapshot (written to a temp file, fsynced, renamed) and the journal is truncated.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { ERROR_NAMES, runtimeError } from "../pipeline/runtime/errors";
import { makeDirectory } from "./make-directory";

export type Item = Record<string, unknown>;

/** An open journal. */
export interface Journal {
  /** The items recovered when the journal was opened. */
  readonly recovered: readonly Item[];
  /** Durably records the new image of one item. */
  append(item: Item): void;
  close(): void;
}

const SNAPSHOT = "snapshot.jsonl";
const JOURNAL = "journal.jsonl";

function itemKey(item: Item): string {
  return `${String(item.transaction_id)}#${String(item.timestamp)}`;
}

/** True for what the table can hold: an object with the key attributes' types (S and N). */
function isStoredItem(value: unknown): value is Item {
  const item = value as Item;
  return (
    typeof value === "object" &&
    value !== null &&
    !Array.isArray(value) &&
    typeof item.transaction_id === "string" &&
    Number.isFinite(item.timestamp)
  );
}

/**
 * Reads JSON lines; a torn last line (a crash mid-append) is ignored, any other bad line is an
 * error, and so is valid JSON that is not an item (nothing writes one; starting on it would fail later).
 */
function readImages(file: string, into: Map<string, Item>): void {
  if (!fs.existsSync(file)) return;
  const lines = fs.readFileSync(file, "utf8").split("\n");
  lines.forEach((line, index) => {
    if (line.trim() === "") return;
    let item: unknown;
    try {
      item = JSON.parse(line);
    } catch (error) {
      const isLast = lines.slice(index + 1).every((rest) => rest.trim() === "");
      if (!isLast)
        throw new Error(`${file} line ${index + 1} is not valid JSON: the data directory is damaged`, {
          cause: error,
        });
      return;
    }
    if (!isStoredItem(item))
      throw runtimeError(
        ERROR_NAMES.configuration,
        `${file} line ${index + 1} is not a stored transaction (a JSON object with a string transaction_id ` +
          "and a numeric timestamp): remove or correct that line, or pass --data another directory",
      );
    into.set(itemKey(item), item);
  });
}

function writeDurably(file: string, text: string): void {
  const tmp = `${file}.tmp`;
  const fd = fs.openSync(tmp, "w");
  try {
    fs.writeSync(fd, text);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(tmp, file);
}

function fsyncDirectory(dir: string): void {
  const fd = fs.openSync(dir, "r");
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Opens (creating if needed) the journal in `dir`, recovers its items and compacts it.
 * Throws the file system's error (EACCES, ENOTDIR, ...) when the directory is unusable.
 *
 * @example
 * const journal = openJournal(".local/data");
 * const table = makeMemoryTable({ journal });
 */
function openJournal(dir: string): Journal {
  makeDirectory(dir);
  const images = new Map<string, Item>();
  readImages(path.join(dir, SNAPSHOT), images);
  readImages(path.join(dir, JOURNAL), images);
  const recovered = [...images.values()];
  writeDurably(path.join(dir, SNAPSHOT), recovered.map((item) => `${JSON.stringify(item)}\n`).join(""));
  const fd = fs.openSync(path.join(dir, JOURNAL), "w");
  fsyncDirectory(dir);
  let open = true;
  return {
    recovered,
    append(item) {
      if (!open) throw new Error("the journal is closed: the local pipeline is stopping");
      fs.writeSync(fd, `${JSON.stringify(item)}\n`);
      fs.fsyncSync(fd);
    },
    close() {
      if (!open) return;
      open = false;
      fs.closeSync(fd);
    },
  };
}

export { openJournal };
