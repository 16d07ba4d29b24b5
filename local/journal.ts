/**
 * Durable storage for the local table under `--data DIR`: every write appends the item's new
 * image as one JSON line to `journal.jsonl`, with group commit: the lines appended while one
 * write+fsync runs go to disk together in the next one, and `durable()` resolves once everything
 * appended before it is fsynced, so each writer can wait for its own lines before it acknowledges
 * anything. On open, `snapshot.jsonl` plus the journal are replayed (last image of a key wins),
 * then compacted into a fresh snapshot (written to a temp file, fsynced, renamed) and the journal
 * is truncated. Damaged lines are never dropped silently: see {@link openJournal}.
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
  /**
   * Queues the new image of one item for the next group commit. Throws, writing nothing, once
   * the journal is closed or a commit has failed.
   */
  append(item: Item): void;
  /**
   * Resolves once every image appended so far is written and fsynced. Rejects when a commit
   * fails, and from then on: the page cache may have dropped what fsync could not write, so
   * nothing later can be vouched for either.
   */
  durable(): Promise<void>;
  /**
   * Writes and fsyncs what is still queued (after the commit in flight, if any), then closes the
   * file; resolves once it is closed, so the data directory's lock is released only after that.
   */
  close(): Promise<void>;
}

/** The journal's asynchronous file writes: the file system's, or a test's fakes. */
export interface JournalFiles {
  /** Writes all of `data` at the end of the file. */
  write(fd: number, data: Buffer): Promise<void>;
  fsync(fd: number): Promise<void>;
}

/** {@link JournalFiles} over `node:fs`; a short write is continued until all of the data is written. */
const FILE_SYSTEM: JournalFiles = {
  write: (fd, data) =>
    new Promise((resolve, reject) => {
      const rest = (offset: number) =>
        fs.write(fd, data, offset, data.length - offset, null, (error, written) => {
          if (error) reject(error);
          else if (offset + written < data.length) rest(offset + written);
          else resolve();
        });
      rest(0);
    }),
  fsync: (fd) =>
    new Promise((resolve, reject) => fs.fsync(fd, (error) => (error ? reject(error) : resolve()))),
};

const SNAPSHOT = "snapshot.jsonl";
const JOURNAL = "journal.jsonl";

function itemKey(item: Item): string {
  return `${String(item.transaction_id)}#${String(item.timestamp)}`;
}

/** Options of {@link openJournal}. */
export interface OpenJournalOptions {
  /** Load a damaged snapshot or journal anyway, dropping its damaged lines (`--repair`). */
  readonly repair?: boolean;
  /** Receives one line per dropped line and per damaged file kept aside. Default: stderr. */
  readonly report?: (line: string) => void;
  /** The group commits' writes and fsyncs. Default: the file system's. */
  readonly files?: JournalFiles;
}

/** One line that could not be loaded. */
interface DamagedLine {
  readonly line: number;
  readonly offset: number;
  readonly bytes: number;
  readonly reason: string;
  /** The last line, without its newline: what a crash in the middle of an append leaves. */
  readonly torn: boolean;
}

const utf8 = new TextDecoder("utf-8", { fatal: true });

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

/** The item image in `bytes`, or why it is not one. */
function parseImage(bytes: Buffer): { item: Item } | { reason: string } {
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    return { reason: "is not valid UTF-8" };
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { reason: "is not valid JSON" };
  }
  // Nothing writes anything else; starting on it would fail later, after the server listens.
  if (!isStoredItem(value)) {
    return {
      reason:
        "is not a stored transaction (a JSON object with a string transaction_id and a numeric timestamp)",
    };
  }
  return { item: value };
}

/**
 * Reads the JSON lines of `file` into `into` and returns the lines it could not read. Blank lines
 * are skipped; bytes are decoded strictly, so invalid UTF-8 is a damaged line, never replaced.
 */
function readImages(file: string, into: Map<string, Item>): DamagedLine[] {
  if (!fs.existsSync(file)) return [];
  const data = fs.readFileSync(file);
  const damaged: DamagedLine[] = [];
  let offset = 0;
  for (let line = 1; offset < data.length; line++) {
    const newline = data.indexOf(0x0a, offset);
    const end = newline < 0 ? data.length : newline;
    const bytes = data.subarray(offset, end);
    if (bytes.toString("latin1").trim() !== "") {
      const parsed = parseImage(bytes);
      if ("item" in parsed) into.set(itemKey(parsed.item), parsed.item);
      else {
        // An append is one write of a whole line, so only a crash mid-append leaves a last line without its newline.
        damaged.push({ line, offset, bytes: bytes.length, reason: parsed.reason, torn: newline < 0 });
      }
    }
    offset = end + 1;
  }
  return damaged;
}

function describe(file: string, damage: DamagedLine): string {
  const torn = damage.torn ? "is torn (no newline at the end of the file) and " : "";
  return `${file} line ${damage.line} (${damage.bytes} bytes at byte offset ${damage.offset}) ${torn}${damage.reason}`;
}

/** Copies `file` to `<file>.damaged-<UTC time>` before it is rewritten, so nothing is lost for good. */
function keepAside(file: string): string {
  const aside = `${file}.damaged-${new Date().toISOString().replace(/[:.]/g, "-")}`;
  fs.copyFileSync(file, aside);
  return aside;
}

/**
 * Throws unless the damage may be loaded past: a torn last journal line (an append the crash cut
 * short, never acknowledged) always may; anything else only with `repair`, since the snapshot is
 * written atomically and every journal line is fsynced whole, so it means the data was damaged.
 */
function refuseDamage(file: string, damaged: readonly DamagedLine[], journal: boolean, repair: boolean) {
  if (repair || damaged.length === 0 || (journal && damaged.length === 1 && damaged[0].torn)) return;
  const more = damaged.length > 1 ? ` (and ${damaged.length - 1} more damaged line(s))` : "";
  throw runtimeError(
    ERROR_NAMES.configuration,
    `${describe(file, damaged[0])}${more}: the data directory is damaged; start with --repair to load the readable lines and keep the damaged file beside the new one`,
  );
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
 * Opens (creating if needed) the journal in `dir`, recovers its items and compacts it. A torn last
 * journal line is dropped with a report; other damage is refused unless `repair` is set. Every
 * dropped line is reported (file, line number, bytes) and every damaged file is kept as
 * `<file>.damaged-<time>` before the new snapshot replaces it.
 * Throws a ConfigurationError for refused damage, else the file system's error (EACCES, ENOTDIR, ...).
 *
 * @example
 * const journal = openJournal(".local/data", { repair: false, report: (line) => console.error(line) });
 * const table = makeMemoryTable({ journal });
 */
function openJournal(dir: string, options: OpenJournalOptions = {}): Journal {
  const report = options.report ?? ((line: string) => process.stderr.write(`${line}\n`));
  makeDirectory(dir);
  const images = new Map<string, Item>();
  const files = [
    { file: path.join(dir, SNAPSHOT), journal: false },
    { file: path.join(dir, JOURNAL), journal: true },
  ].map((entry) => ({ ...entry, damaged: readImages(entry.file, images) }));
  for (const { file, damaged, journal } of files)
    refuseDamage(file, damaged, journal, options.repair === true);
  for (const { file, damaged } of files) {
    if (damaged.length === 0) continue;
    for (const damage of damaged) report(`Data: dropped ${describe(file, damage)}`);
    report(`Data: kept the damaged ${path.basename(file)} as ${keepAside(file)}`);
  }
  const recovered = [...images.values()];
  writeDurably(path.join(dir, SNAPSHOT), recovered.map((item) => `${JSON.stringify(item)}\n`).join(""));
  const fd = fs.openSync(path.join(dir, JOURNAL), "w");
  fsyncDirectory(dir);
  return { recovered, ...groupCommit(fd, options.files ?? FILE_SYSTEM) };
}

/** One writer waiting for the lines appended before it asked. */
interface Waiter {
  readonly upTo: number;
  readonly resolve: () => void;
  readonly reject: (error: Error) => void;
}

/**
 * Group commit over the open file `fd`: one write+fsync at a time, each taking every line queued
 * when it starts. The first line queued while none runs starts one on the next turn of the event
 * loop, so the writes of requests handled in the same turn share it.
 */
function groupCommit(fd: number, files: JournalFiles): Omit<Journal, "recovered"> {
  let queued: string[] = [];
  /** Lines appended, and lines durable, since the journal was opened. */
  let appended = 0;
  let committed = 0;
  let waiters: Waiter[] = [];
  let committing = false;
  let scheduled = false;
  let failure: Error | undefined;
  let open = true;
  let closeWhenIdle = false;

  const settle = () => {
    const still: Waiter[] = [];
    for (const waiter of waiters) {
      if (failure !== undefined) waiter.reject(failure);
      else if (waiter.upTo <= committed) waiter.resolve();
      else still.push(waiter);
    }
    waiters = still;
  };

  let markClosed: () => void = () => undefined;
  const closed = new Promise<void>((resolve) => {
    markClosed = resolve;
  });

  const closeNow = () => {
    if (queued.length > 0 && failure === undefined) {
      try {
        const bytes = Buffer.from(queued.join(""), "utf8");
        // writeSync may write less than asked (a full disk): only all of it counts as committed.
        for (let offset = 0; offset < bytes.length; ) offset += fs.writeSync(fd, bytes, offset);
        fs.fsyncSync(fd);
        committed = appended;
      } catch (error) {
        failure = commitFailure(error);
      }
      queued = [];
    }
    fs.closeSync(fd);
    settle();
    markClosed();
  };

  const commit = async () => {
    scheduled = false;
    if (committing || queued.length === 0 || failure !== undefined) return;
    committing = true;
    const lines = queued;
    const upTo = appended;
    queued = [];
    try {
      await files.write(fd, Buffer.from(lines.join(""), "utf8"));
      await files.fsync(fd);
      committed = upTo;
    } catch (error) {
      failure = commitFailure(error);
    }
    committing = false;
    settle();
    if (closeWhenIdle) closeNow();
    else if (queued.length > 0) schedule();
  };

  const schedule = () => {
    if (scheduled || committing) return;
    scheduled = true;
    setImmediate(commit);
  };

  return {
    append(item) {
      if (!open) throw new Error("the journal is closed: the local pipeline is stopping");
      if (failure !== undefined) throw failure;
      queued.push(`${JSON.stringify(item)}\n`);
      appended += 1;
      schedule();
    },
    durable() {
      if (failure !== undefined) return Promise.reject(failure);
      if (committed === appended) return Promise.resolve();
      return new Promise((resolve, reject) => waiters.push({ upTo: appended, resolve, reject }));
    },
    close() {
      if (open) {
        open = false;
        if (committing) closeWhenIdle = true;
        else closeNow();
      }
      return closed;
    },
  };
}

/** The error every writer waiting on a failed commit (and every later one) gets. */
function commitFailure(cause: unknown): Error {
  const reason = cause instanceof Error ? cause.message : String(cause);
  return new Error(
    `the journal could not write or fsync: ${reason}; nothing written since is acknowledged, restart the runner with the same --data`,
    { cause },
  );
}

export { openJournal };
