/**
 * The fraud-notifications topic, locally: every published notification is appended as one JSON
 * line to the outbox file (instead of an email) and summarised in one line on stdout.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { Notification, Notifier } from "../pipeline/runtime/ports";
import type { Faults } from "./faults";

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

/**
 * Opens the outbox for appending (creating its directory), so an unwritable path fails at startup
 * rather than at the first alert. Throws the file system's error (EACCES, EISDIR, ...).
 *
 * @example
 * const topic = openOutboxTopic({ path: ".local/outbox.jsonl", topicName, faults, print: console.log });
 * await topic.notifier.publish({ subject, body, transactionId: "tx-1" });
 */
function openOutboxTopic(options: OutboxTopicOptions): OutboxTopic {
  fs.mkdirSync(path.dirname(path.resolve(options.path)), { recursive: true });
  const fd = fs.openSync(options.path, "a");
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

export { openOutboxTopic, readOutbox };
