/**
 * The fraud-notifications topic, locally: every published notification is appended as one JSON
 * line to the outbox file (instead of an email) and summarised in one line on stdout.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { Notification, Notifier } from "../pipeline/runtime/ports";
import type { Faults } from "./faults";
import { makeDirectory } from "./make-directory";

/** One line of the outbox file. */
export interface OutboxEntry {
  readonly published_at: string;
  readonly topic: string;
  readonly transaction_id: string;
  readonly subject: string;
  readonly message: string;
}

export interface OutboxTopic {
  readonly notifier: Notifier;
  readonly path: string;
  /** Notifications written so far. */
  published(): number;
  close(): void;
}

export interface OutboxTopicOptions {
  readonly path: string;
  readonly topicName: string;
  readonly faults: Faults;
  /** Receives the one-line summary of each notification. */
  readonly print: (line: string) => void;
}

function openFile(file: string): number {
  makeDirectory(path.dirname(path.resolve(file)));
  return fs.openSync(file, "a");
}

/**
 * The descriptor to append to: `fd` while it is still the file at `file`, else a new one at that
 * path (the outbox was deleted or moved while running, and a reader looks for it there).
 */
function reopenIfGone(file: string, fd: number): number {
  const open = fs.fstatSync(fd);
  let current: fs.Stats | undefined;
  try {
    current = fs.statSync(file);
  } catch {
    current = undefined;
  }
  if (current !== undefined && current.ino === open.ino && current.dev === open.dev) return fd;
  fs.closeSync(fd);
  return openFile(file);
}

/**
 * Opens the outbox for appending (creating its directory), so an unwritable path fails at startup
 * rather than at the first alert. Throws the file system's error (EACCES, EISDIR, ...).
 *
 * @example
 * const topic = openOutboxTopic({ path: ".local/outbox.jsonl", topicName, faults, print: console.log });
 * await topic.notifier.publish({ subject, body, transactionId: "tx-1" });
 */
function openOutboxTopic(options: OutboxTopicOptions): OutboxTopic {
  let fd = openFile(options.path);
  let count = 0;
  let open = true;
  const notifier: Notifier = {
    async publish(notification: Notification) {
      if (options.faults.shouldFail("publish")) {
        throw new Error(`Publish to ${options.topicName} failed (injected publish fault)`);
      }
      if (!open) throw new Error(`Publish to ${options.topicName} failed: the outbox is closed`);
      const entry: OutboxEntry = {
        published_at: new Date().toISOString(),
        topic: options.topicName,
        transaction_id: notification.transactionId,
        subject: notification.subject,
        message: notification.body,
      };
      fd = reopenIfGone(options.path, fd);
      fs.writeSync(fd, `${JSON.stringify(entry)}\n`);
      count += 1;
      options.print(`[alert] ${notification.subject} -> ${options.path}`);
    },
  };
  return {
    notifier,
    path: options.path,
    published: () => count,
    close() {
      if (!open) return;
      open = false;
      fs.closeSync(fd);
    },
  };
}

/**
 * Reads the outbox file back (tests, tooling); a missing file is an empty outbox.
 *
 * @example
 * const alerts = readOutbox(".local/outbox.jsonl").map((e) => e.transaction_id);
 */
function readOutbox(file: string): OutboxEntry[] {
  if (!fs.existsSync(file)) return [];
  return fs
    .readFileSync(file, "utf8")
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => JSON.parse(line) as OutboxEntry);
}

/**
 * When each transaction was notified, from the outbox file: transaction id to the publish times
 * (epoch ms) of its lines. A line that is not a whole entry (a crash cut the write short) is an
 * email never sent and is skipped; a missing file is an empty outbox.
 *
 * @example
 * const sentAt = readPublishTimes(".local/outbox.jsonl").get("tx-1"); // [1767312000000]
 */
function readPublishTimes(file: string): Map<string, number[]> {
  const times = new Map<string, number[]>();
  if (!fs.existsSync(file)) return times;
  for (const line of fs.readFileSync(file, "utf8").split("\n")) {
    let entry: Partial<OutboxEntry>;
    try {
      entry = JSON.parse(line) as Partial<OutboxEntry>;
    } catch {
      continue;
    }
    const at = Date.parse(String(entry?.published_at));
    if (typeof entry?.transaction_id !== "string" || Number.isNaN(at)) continue;
    times.set(entry.transaction_id, [...(times.get(entry.transaction_id) ?? []), at]);
  }
  return times;
}

export { openOutboxTopic, readOutbox, readPublishTimes };
