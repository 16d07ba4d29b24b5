/**
 * Composes the whole pipeline on localhost: the same runtime core (process, detect, notify and
 * record-outcome handlers, codecs, rules) over embedded adapters (table + journal, merchant-risk
 * store, change feed, queue, outbox topic) behind the local API. `startLocalPipeline` is what
 * `npm start` and the tests call.
 */
import { makeTransactionCodec } from "../pipeline/runtime/contract/codec";
import { ITEM_ATTRIBUTES } from "../pipeline/runtime/contract/item";
import { makeOutcomeCodec } from "../pipeline/runtime/contract/outcome-codec";
import { OUTCOME_MODEL_SCHEMA } from "../pipeline/runtime/contract/outcome-schema";
import { TRANSACTION_MODEL_SCHEMA } from "../pipeline/runtime/contract/schema";
import { LIMITS, VERDICTS } from "../pipeline/runtime/contract/transaction";
import { parseRulesConfig, type RulesConfig } from "../pipeline/runtime/detect/config";
import { makeDetectHandler } from "../pipeline/runtime/detect/handler";
import type { FraudModel } from "../pipeline/runtime/detect/model/format";
import { ERROR_NAMES, runtimeError } from "../pipeline/runtime/errors";
import { makeAlertCodec } from "../pipeline/runtime/notify/alert-codec";
import { makeNotifyHandler } from "../pipeline/runtime/notify/handler";
import { makeRecordOutcomeHandler } from "../pipeline/runtime/outcome/handler";
import type { Log, MerchantRiskReader, MerchantRiskWriter, OutcomeStore } from "../pipeline/runtime/ports";
import { makeProcessHandler } from "../pipeline/runtime/process/handler";
import { TRANSACTION_STREAM_FILTER } from "../pipeline/runtime/table-definitions";
import { apiKeyProblem } from "./api-key";
import { type ChangeFeed, makeChangeFeed, type StreamHandler } from "./change-feed";
import { reconcileClaims } from "./claim-reconciliation";
import { lockDataDirectory } from "./data-lock";
import { type DeadLetterStore, deadLetterSink, openDeadLetters } from "./dead-letters";
import { type FaultPlan, type Faults, makeFaults } from "./faults";
import { holdClaimsWhileRunning } from "./held-claims";
import { type Item, openJournal } from "./journal";
import { lambdaContext } from "./lambda-context";
import { type LocalMetrics, type LogLevel, makeLocalLog, makeLocalMetrics } from "./log";
import { makeDirectory } from "./make-directory";
import { type MemoryQueue, makeMemoryQueue, makeQueueAlertSender } from "./memory-queue";
import { type MemoryTable, makeMemoryTable } from "./memory-table";
import { type MerchantRiskStore, makeMerchantRiskStore } from "./merchant-risk-store";
import { type OutboxTopic, openOutboxTopic, readPublishTimes } from "./outbox-topic";
import { makeLocalOutcomeStore } from "./outcome-store";
import { makeRequestValidator } from "./request-validator";
import { type LocalServer, startServer } from "./server";
import { listenFix, localError, openOrExplain } from "./startup-errors";
import { type PipelineStats, pipelineStats } from "./stats";
import { makeTablePorts, type TablePorts } from "./table-ports";

/** Physical names, following the stack's `{type}-{purpose}-{env}` convention with env `local`. */
const LOCAL_NAMES = {
  table: "dynamodb-transactions-local",
  queue: "sqs-fraud-alerts-local",
  topic: "sns-fraud-notifications-local",
  process: "lambda-process-transaction-local",
  detect: "lambda-detect-fraud-local",
  notify: "lambda-notify-team-local",
  recordOutcome: "lambda-record-outcome-local",
} as const;

/** Defaults of {@link LocalPipelineOptions}. */
const LOCAL_DEFAULTS = {
  host: "127.0.0.1",
  port: 3000,
  outbox: ".local/outbox.jsonl",
  // The deployed queue waits 300 s; locally a failed notification comes back after 30 s.
  visibilityTimeoutMs: 30_000,
  maxReceiveCount: 5,
  streamMaxRetries: 3,
  pollIntervalMs: 20,
  shutdownTimeoutMs: 10_000,
} as const;

export interface LocalPipelineOptions {
  /** 0 picks a free port. Default 3000. */
  readonly port?: number;
  readonly host?: string;
  /** Where notifications are appended, one JSON line each. */
  readonly outbox?: string;
  /** Persist the table here (journal + snapshot); in memory only when absent. */
  readonly dataDir?: string;
  /** Load a damaged `dataDir` anyway, dropping (and reporting) its damaged lines. Default false. */
  readonly repair?: boolean;
  /** When set, POST /transactions and POST /transactions/outcomes require this `x-api-key`. */
  readonly apiKey?: string;
  /** Rule overrides as JSON text (the stack config value) or the same object. */
  readonly rulesConfig?: string | object;
  /** A trained model (see `parseFraudModel`); the label-free default score without one. */
  readonly model?: FraudModel;
  readonly visibilityTimeoutMs?: number;
  readonly maxReceiveCount?: number;
  /** Retries of a failing stream batch before it goes to the stream-failure DLQ. */
  readonly streamMaxRetries?: number;
  /** Batching window of the change feed and the queue consumer. */
  readonly pollIntervalMs?: number;
  /**
   * How long `stop` waits for requests, the feed and the queue to finish; then it closes the
   * connections still open (a client trickling its headers or body) and gives up on the rest.
   */
  readonly shutdownTimeoutMs?: number;
  readonly faults?: FaultPlan;
  /** Handler logs (JSON lines on stderr). Default "warn". */
  readonly logLevel?: LogLevel;
  /** Receives the one-line alert summaries. Default: stdout. */
  readonly print?: (line: string) => void;
}

export interface LocalPipeline {
  readonly url: string;
  readonly port: number;
  readonly outbox: string;
  readonly table: MemoryTable;
  /** Merchant risk profiles: frauds counted by recorded outcomes; rebuilt from the table on restart. */
  readonly merchantRisk: MerchantRiskStore;
  readonly feed: ChangeFeed;
  readonly queue: MemoryQueue;
  readonly faults: Faults;
  readonly metrics: LocalMetrics;
  /** Items recovered from `dataDir` whose detection was resumed (no verdict, or flagged and not notified). */
  readonly resumed: number;
  /** What `GET /stats` answers. */
  stats(): PipelineStats;
  /** Resolves once no request, stream batch or queue message is pending or in flight. */
  idle(): Promise<void>;
  /** Stops accepting requests, drains the feed and the queue until the shutdown deadline, closes files. */
  stop(): Promise<StopReport>;
}

/** How a stop went. */
export interface StopReport {
  /** Connections still open at the shutdown deadline, closed then. */
  readonly closedConnections: number;
  /** False when the feed or the queue still had work at the deadline (a restart with `--data` resumes it). */
  readonly drained: boolean;
}

function rulesText(rules: LocalPipelineOptions["rulesConfig"]): string | undefined {
  return typeof rules === "object" ? JSON.stringify(rules) : rules;
}

/**
 * True for a recovered item whose detection must run again: it has no verdict yet, or it was
 * flagged but never notified. The alert queue lives in memory, so a flagged item's alert dies with
 * the process; assessing it again re-sends the alert (with its rule reasons, which the item does
 * not store), and the notification ledger (`notified_at`) keeps the re-send from notifying twice.
 */
function needsDetection(item: Item): boolean {
  const verdict = item[ITEM_ATTRIBUTES.verdict];
  return (
    verdict === undefined || (verdict === VERDICTS.flagged && item[ITEM_ATTRIBUTES.notifiedAt] === undefined)
  );
}

/** Resolves once `ready()` holds on two consecutive checks (a batch may enqueue the next step). */
async function until(ready: () => boolean, deadline = Number.POSITIVE_INFINITY): Promise<void> {
  let streak = 0;
  while (streak < 2 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 5));
    streak = ready() ? streak + 1 : 0;
  }
}

/** Settings with defaults applied, and what every part of the pipeline shares. */
interface PipelineBase {
  readonly settings: typeof LOCAL_DEFAULTS & LocalPipelineOptions;
  readonly logOf: (service: string) => Log;
  readonly config: RulesConfig;
  /** Writes one line to stderr: start-up reports that are not log entries. */
  readonly write: (line: string) => void;
  readonly faults: Faults;
  readonly metrics: LocalMetrics;
  readonly topic: OutboxTopic;
  readonly queue: MemoryQueue;
  /** Both DLQs' records, kept in `dataDir` when there is one; the queue's are logged as they die. */
  readonly deadLetters: DeadLetterStore;
  readonly deadLetterSink: ReturnType<typeof deadLetterSink>;
}

/**
 * Applies the defaults, parses the rules config and opens the outbox topic and the alert queue.
 * Throws a ConfigurationError for a bad rules config or an unwritable outbox.
 */
function openPipelineBase(options: LocalPipelineOptions): PipelineBase {
  // An option passed as `undefined` (e.g. a flag not given) keeps its default.
  const given = Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined));
  const settings: typeof LOCAL_DEFAULTS & LocalPipelineOptions = { ...LOCAL_DEFAULTS, ...given };
  const write = (line: string) => process.stderr.write(`${line}\n`);
  const logOf = (service: string) => makeLocalLog(service, settings.logLevel ?? "warn", write);
  const config = parseRulesConfig(rulesText(settings.rulesConfig));
  const keyProblem = settings.apiKey === undefined ? undefined : apiKeyProblem(settings.apiKey);
  if (keyProblem !== undefined) {
    throw runtimeError(ERROR_NAMES.configuration, `apiKey ${keyProblem}: pass the key or leave it out`);
  }
  const faults = makeFaults(settings.faults);
  const metrics = makeLocalMetrics();
  const print = settings.print ?? ((line: string) => process.stdout.write(`${line}\n`));
  const topic = openOrExplain(
    () => openOutboxTopic({ path: settings.outbox, topicName: LOCAL_NAMES.topic, faults, print }),
    `Cannot write the outbox file ${settings.outbox}`,
    "set OUTBOX (or --outbox) to a writable file",
  );
  const deadLetters = openOrExplain(
    () => {
      // The journal, opened later, would make the directory too; the dead letters need it first.
      if (settings.dataDir !== undefined) makeDirectory(settings.dataDir);
      return openDeadLetters(settings.dataDir);
    },
    `Cannot use the data directory ${settings.dataDir}`,
    "set DATA_DIR (or --data) to a writable directory",
    topic.close,
  );
  const sink = deadLetterSink(deadLetters, logOf("local-dead-letters"), settings.maxReceiveCount);
  const queue = makeMemoryQueue({
    queueName: LOCAL_NAMES.queue,
    visibilityTimeoutMs: settings.visibilityTimeoutMs,
    maxReceiveCount: settings.maxReceiveCount,
    pollIntervalMs: settings.pollIntervalMs,
    onError: (error) => logOf(LOCAL_NAMES.notify).error("Queue batch failed", { error: String(error) }),
    onDeadLetter: sink.fromQueue,
  });
  return {
    settings,
    logOf,
    config,
    write,
    faults,
    metrics,
    topic,
    queue,
    deadLetters,
    deadLetterSink: sink,
  };
}

/** Where the handlers keep their data: the embedded table and stores, or a DynamoDB endpoint. */
interface PipelineStorage {
  readonly ports: TablePorts;
  readonly merchantProfiles: MerchantRiskReader;
  readonly merchantCounts: MerchantRiskWriter;
  readonly outcomes: OutcomeStore;
}

/** The four handlers over `storage`, the alert queue and the outbox topic. */
function makeHandlers(base: PipelineBase, storage: PipelineStorage) {
  const { settings, logOf, faults, metrics } = base;
  const detect = makeDetectHandler({
    ...storage.ports,
    alerts: makeQueueAlertSender(base.queue, faults),
    merchantProfiles: storage.merchantProfiles,
    merchantCounts: storage.merchantCounts,
    config: base.config,
    model: settings.model,
    codec: makeTransactionCodec(),
    now: Date.now,
    log: logOf(LOCAL_NAMES.detect),
    metrics,
  });
  // No function timeout ends a slow local invocation, so its claims stay held while it runs.
  const claims = holdClaimsWhileRunning(storage.ports.ledger);
  const notify = makeNotifyHandler({
    notifier: base.topic.notifier,
    ledger: claims.ledger,
    codec: makeAlertCodec(),
    now: Date.now,
    log: logOf(LOCAL_NAMES.notify),
    metrics,
    // Shorter than the visibility timeout, so a crashed notifier's claim has expired on redelivery.
    leaseMs: Math.max(1, Math.floor(settings.visibilityTimeoutMs / 2)),
  });
  const processHandler = makeProcessHandler({
    store: storage.ports.store,
    codec: makeTransactionCodec(),
    now: Date.now,
    log: logOf(LOCAL_NAMES.process),
  });
  const recordOutcomeHandler = makeRecordOutcomeHandler({
    store: storage.outcomes,
    codec: makeOutcomeCodec(),
    now: Date.now,
    log: logOf(LOCAL_NAMES.recordOutcome),
  });
  return { detect, notify, claims, processHandler, recordOutcomeHandler };
}

/**
 * Listens for the API's routes. Runs `closeFiles` and rejects with a ConfigurationError naming
 * the port or the host, whichever cannot be used.
 */
async function startApi(
  base: PipelineBase,
  handlers: ReturnType<typeof makeHandlers>,
  closeFiles: () => void,
  operations: Pick<Parameters<typeof startServer>[0], "stats" | "admin" | "isReady">,
) {
  const { settings } = base;
  try {
    return await startServer({
      host: settings.host,
      port: settings.port,
      apiKey: settings.apiKey,
      maxBodyBytes: LIMITS.maxBodyBytes,
      routes: {
        "/transactions": {
          validate: makeRequestValidator(TRANSACTION_MODEL_SCHEMA),
          handler: handlers.processHandler,
          context: () => lambdaContext(LOCAL_NAMES.process, 10_000),
        },
        "/transactions/outcomes": {
          validate: makeRequestValidator(OUTCOME_MODEL_SCHEMA),
          handler: handlers.recordOutcomeHandler,
          context: () => lambdaContext(LOCAL_NAMES.recordOutcome, 10_000),
        },
      },
      log: base.logOf("local-api"),
      ...operations,
    });
  } catch (error) {
    closeFiles();
    throw localError(error, `Cannot listen on ${settings.host}:${settings.port}`, listenFix(error));
  }
}

/** Starts the handlers' consumers: the stream source feeds detect-fraud, the queue notify-team. */
function startConsumers(
  base: PipelineBase,
  handlers: ReturnType<typeof makeHandlers>,
  stream: { start(handler: StreamHandler): void },
  durable: () => Promise<void> = () => Promise.resolve(),
): void {
  // Detection sees a change only once it is durable, so nothing is alerted on that a crash could
  // still take back; a failed journal fails the batch, which is retried and then dead-lettered.
  stream.start(async (event) => {
    await durable();
    return handlers.detect(event, lambdaContext(LOCAL_NAMES.detect, 60_000));
  });
  base.queue.start((event) =>
    handlers.claims.during(() => handlers.notify(event, lambdaContext(LOCAL_NAMES.notify, 50_000))),
  );
}

/**
 * Pushes the recovered items that need detection to the feed, oldest first, as the INSERTs they
 * were; returns how many.
 */
function resumeDetection(table: MemoryTable, feed: ChangeFeed): number {
  const unfinished = table
    .scan()
    .filter(needsDetection)
    .sort((a, b) => Number(a.timestamp) - Number(b.timestamp));
  for (const item of unfinished) {
    feed.push({
      eventName: "INSERT",
      keys: { transaction_id: String(item.transaction_id), timestamp: Number(item.timestamp) },
      newImage: item,
    });
  }
  return unfinished.length;
}

/**
 * Starts the local pipeline. Rejects with one clear ConfigurationError (no stack needed) for a bad
 * rules config, an unwritable outbox or data directory, or a port already in use.
 *
 * @example
 * const local = await startLocalPipeline({ port: 0, outbox: "/tmp/outbox.jsonl", logLevel: "silent" });
 * await fetch(`${local.url}/transactions`, { method: "POST", body: JSON.stringify(tx) });
 * await local.idle();
 * await local.stop();
 */
async function startLocalPipeline(options: LocalPipelineOptions = {}): Promise<LocalPipeline> {
  const base = openPipelineBase(options);
  const { settings, logOf, faults, metrics, topic, queue } = base;
  const dataDir = settings.dataDir;
  const unusableDir = `Cannot use the data directory ${dataDir}`;
  const writableDir = "set DATA_DIR (or --data) to a writable directory";
  const lock =
    dataDir === undefined
      ? undefined
      : openOrExplain(
          () => lockDataDirectory(dataDir),
          unusableDir,
          writableDir,
          () => {
            topic.close();
            base.deadLetters.close();
          },
        );
  if (lock?.replaced !== undefined) {
    logOf("local-runner").warn("Took over the lock of a runner that is no longer running", {
      lock_file: lock.file,
      pid: lock.replaced.pid,
    });
  }
  const journal =
    dataDir === undefined
      ? undefined
      : openOrExplain(
          () => openJournal(dataDir, { repair: settings.repair, report: base.write }),
          unusableDir,
          writableDir,
          () => {
            topic.close();
            base.deadLetters.close();
            lock?.release();
          },
        );
  const table = makeMemoryTable({ journal });
  if (journal !== undefined) {
    const unconfirmed = reconcileClaims(table, readPublishTimes(settings.outbox));
    if (unconfirmed.confirmed + unconfirmed.released > 0)
      base.write(
        `Data: ${unconfirmed.confirmed} notification(s) claimed before the last stop are in ${settings.outbox} and were recorded as sent; ${unconfirmed.released} will be sent again`,
      );
  }
  const merchantRisk = makeMerchantRiskStore({ recovered: journal?.recovered, now: Date.now() });
  const feed = makeChangeFeed({
    tableName: LOCAL_NAMES.table,
    // The event source mapping's own filter: transaction INSERTs only.
    filter: TRANSACTION_STREAM_FILTER,
    maxRetries: settings.streamMaxRetries,
    pollIntervalMs: settings.pollIntervalMs,
    onError: (error) => logOf(LOCAL_NAMES.detect).error("Stream batch failed", { error: String(error) }),
    onDeadLetter: base.deadLetterSink.fromStream,
  });
  table.onChange(feed.push);
  const handlers = makeHandlers(base, {
    ports: makeTablePorts(table, faults),
    merchantProfiles: merchantRisk,
    merchantCounts: merchantRisk,
    outcomes: makeLocalOutcomeStore(table, merchantRisk, faults),
  });

  const { deadLetters } = base;
  const closeFiles = async () => {
    topic.close();
    await journal?.close();
    deadLetters.close();
    lock?.release();
  };
  const stats = () => pipelineStats(table, deadLetters.letters());
  // Moves both DLQs back into their queues, as an SQS DLQ redrive does.
  const redrive = () => {
    const moved = { alerts: queue.redrive(), stream: feed.redrive() };
    deadLetters.clear();
    return { redriven: moved };
  };
  // The stages run before the API listens, so nothing is accepted that no stage would process;
  // any failure on the way closes what was started and rejects: never a half-started runner.
  let running = false;
  let server: LocalServer;
  let resumed: number;
  try {
    resumed = resumeDetection(table, feed);
    startConsumers(base, handlers, feed, table.durable);
    server = await startApi(base, handlers, () => undefined, {
      stats,
      admin: { "/dead-letters/redrive": redrive },
      isReady: () => running,
    });
  } catch (error) {
    await feed.stop();
    await queue.stop();
    await closeFiles();
    throw error;
  }
  running = true;

  // resumeDetection has run every unfinished item again, dead-lettered ones included: a start-up
  // redrives the dead letters of the last run.
  if (deadLetters.letters().length > 0) {
    logOf("local-dead-letters").warn("Dead letters of the last run are redriven by the start-up", {
      ...pipelineStats(table, deadLetters.letters()).dead_letters,
    });
    deadLetters.clear();
  }

  let stopping: Promise<StopReport> | undefined;
  const url = `http://${settings.host}:${server.port}`;
  return {
    url,
    port: server.port,
    outbox: settings.outbox,
    table,
    merchantRisk,
    feed,
    queue,
    faults,
    metrics,
    resumed,
    stats,
    idle: () => until(() => server.inFlight() === 0 && feed.isIdle() && queue.isIdle()),
    stop() {
      stopping ??= (async () => {
        running = false;
        const deadline = Date.now() + settings.shutdownTimeoutMs;
        const closedConnections = await server.close(deadline);
        const quiet = () => feed.isIdle() && queue.isQuiet();
        await until(quiet, deadline);
        const drained = quiet();
        await feed.stop();
        await queue.stop();
        await closeFiles();
        return { closedConnections, drained };
      })();
      return stopping;
    },
  };
}

export type { PipelineBase, PipelineStorage };
export {
  LOCAL_DEFAULTS,
  LOCAL_NAMES,
  makeHandlers,
  openPipelineBase,
  startApi,
  startConsumers,
  startLocalPipeline,
  until,
};
