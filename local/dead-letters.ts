/**
 * The local DLQs' durable side: under `--data DIR`, every record the alert queue or the change
 * feed gives up on is appended (and fsynced) to `DIR/dead-letters.jsonl`, so what died is on disk
 * after the process. A redrive (`POST /dead-letters/redrive`) empties it, and so does a start-up,
 * whose recovery scan runs every unfinished item again, dead-lettered ones included.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { DynamoDBRecord } from "aws-lambda";
import type { Log } from "../pipeline/runtime/ports";
import type { StreamDeadLetter } from "./change-feed";
import type { QueuedMessage } from "./memory-queue";

/** Which local DLQ a record went to: the alert queue's, or the stream mapping's on-failure destination. */
export type DeadLetterQueue = "alerts" | "stream";

/** One dead-lettered record, as logged and persisted (ids and reason, never the payload). */
export interface DeadLetter {
  readonly queue: DeadLetterQueue;
  /** The SQS message id, or the stream record's sequence number. */
  readonly id: string;
  readonly transaction_id?: string;
  readonly reason: string;
  readonly dead_at: string;
}

export interface DeadLetterStore {
  /** Dead letters of this and earlier runs not redriven yet. */
  letters(): readonly DeadLetter[];
  /** Records one dead letter (durably under a data directory). */
  add(letter: DeadLetter): void;
  /** Forgets every dead letter (they were moved back); truncates the file. */
  clear(): void;
  close(): void;
}

const FILE = "dead-letters.jsonl";

/** The dead-letter file of a data directory. */
function deadLetterFile(dataDir: string): string {
  return path.join(dataDir, FILE);
}

/** Reads the dead letters kept in `dataDir`; a torn or foreign line is skipped. */
function readDeadLetters(dataDir: string): DeadLetter[] {
  const file = deadLetterFile(dataDir);
  if (!fs.existsSync(file)) return [];
  const letters: DeadLetter[] = [];
  for (const line of fs.readFileSync(file, "utf8").split("\n")) {
    if (line.trim() === "") continue;
    try {
      const letter = JSON.parse(line) as DeadLetter;
      if (letter.queue === "alerts" || letter.queue === "stream") letters.push(letter);
    } catch {
      // A line torn by a crash mid-append: the item is still unfinished in the table.
    }
  }
  return letters;
}

/**
 * Opens the dead-letter store: in memory only without a data directory.
 *
 * @example
 * const deadLetters = openDeadLetters(".local/data");
 * deadLetters.add({ queue: "alerts", id, transaction_id, reason, dead_at: new Date().toISOString() });
 */
function openDeadLetters(dataDir?: string): DeadLetterStore {
  const letters = dataDir === undefined ? [] : readDeadLetters(dataDir);
  const fd = dataDir === undefined ? undefined : fs.openSync(deadLetterFile(dataDir), "a");
  return {
    letters: () => letters,
    add(letter) {
      letters.push(letter);
      if (fd === undefined) return;
      fs.writeSync(fd, `${JSON.stringify(letter)}\n`);
      fs.fsyncSync(fd);
    },
    clear() {
      letters.length = 0;
      if (fd === undefined) return;
      fs.ftruncateSync(fd, 0);
      fs.fsyncSync(fd);
    },
    close() {
      if (fd !== undefined) fs.closeSync(fd);
    },
  };
}

/** Counts per queue. */
function countByQueue(letters: readonly DeadLetter[]): Record<DeadLetterQueue, number> {
  return {
    alerts: letters.filter((letter) => letter.queue === "alerts").length,
    stream: letters.filter((letter) => letter.queue === "stream").length,
  };
}

/** The transaction id an alert message names, if its body is an alert at all. */
function alertTransactionId(body: string): string | undefined {
  try {
    const id = (JSON.parse(body) as { transaction_id?: unknown }).transaction_id;
    return typeof id === "string" ? id : undefined;
  } catch {
    return undefined;
  }
}

function streamTransactionId(record: DynamoDBRecord): string | undefined {
  return record.dynamodb?.Keys?.transaction_id?.S;
}

/**
 * What the queue and the feed call when they dead-letter: one warn line and one stored dead
 * letter per record, with its ids and the reason.
 *
 * @example
 * const sink = deadLetterSink(store, log, 5);
 * makeMemoryQueue({ ...options, onDeadLetter: sink.fromQueue });
 */
function deadLetterSink(store: DeadLetterStore, log: Log, maxReceiveCount: number) {
  const add = (letter: DeadLetter) => {
    log.warn("Record sent to the dead-letter queue", {
      queue: letter.queue,
      id: letter.id,
      transaction_id: letter.transaction_id,
      reason: letter.reason,
    });
    store.add(letter);
  };
  return {
    fromQueue(message: QueuedMessage) {
      add({
        queue: "alerts",
        id: message.messageId,
        transaction_id: alertTransactionId(message.body),
        reason: `received ${message.receiveCount} times without success (maxReceiveCount ${maxReceiveCount})`,
        dead_at: new Date().toISOString(),
      });
    },
    fromStream(letter: StreamDeadLetter) {
      for (const record of letter.records) {
        add({
          queue: "stream",
          id: record.dynamodb?.SequenceNumber ?? "unknown",
          transaction_id: streamTransactionId(record),
          reason: `${letter.reason} after ${letter.attempts} attempts`,
          dead_at: new Date().toISOString(),
        });
      }
    },
  };
}

export { countByQueue, deadLetterFile, deadLetterSink, openDeadLetters, readDeadLetters };
