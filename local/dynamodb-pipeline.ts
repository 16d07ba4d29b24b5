/**
 * `npm start -- --dynamodb-endpoint URL`: the local pipeline with its data in DynamoDB (Local)
 * instead of the embedded table. The handlers run over the same SDK adapters as the deployed
 * functions (pipeline/runtime/aws/dynamodb*.ts); detect-fraud is fed by polling the table's stream
 * through the DynamoDB Streams API with the stack's own filter. The API, the alert queue and the
 * outbox are the embedded ones, as in the default mode.
 */
import {
  makeDynamoAccountHistory,
  makeDynamoTransactionStore,
  makeDynamoVerdictStore,
} from "../pipeline/runtime/aws/dynamodb";
import { makeDynamoNotificationLedger } from "../pipeline/runtime/aws/dynamodb-ledger";
import {
  makeDynamoMerchantRiskReader,
  makeDynamoMerchantRiskWriter,
} from "../pipeline/runtime/aws/dynamodb-merchant-risk";
import { makeDynamoOutcomeStore } from "../pipeline/runtime/aws/dynamodb-outcomes";
import {
  MERCHANT_RISK_TABLE,
  TRANSACTION_STREAM_FILTER,
  TRANSACTION_TABLE,
} from "../pipeline/runtime/table-definitions";
import { dynamoEndpointClients } from "./dynamodb-endpoint";
import { latestStreamArn, makeStreamPoller, type StreamPoller } from "./dynamodb-stream";
import { ensureTable } from "./dynamodb-tables";
import { matchesFilter } from "./event-filter";
import type { MemoryQueue } from "./memory-queue";
import {
  LOCAL_NAMES,
  type LocalPipelineOptions,
  makeHandlers,
  openPipelineBase,
  type StopReport,
  startApi,
  startConsumers,
  until,
} from "./pipeline";
import { localError } from "./startup-errors";

/** The flag, named in every error a bad or unreachable endpoint causes. */
const ENDPOINT_FLAG = "--dynamodb-endpoint";

/** Names of the tables the runner creates (or reuses) on the endpoint. */
const DYNAMODB_LOCAL_TABLES = {
  transactions: LOCAL_NAMES.table,
  merchantRisk: "dynamodb-merchant-risk-local",
} as const;

export interface DynamoPipelineOptions extends Omit<LocalPipelineOptions, "dataDir" | "faults"> {
  /** The DynamoDB endpoint, e.g. http://127.0.0.1:8000. */
  readonly dynamodbEndpoint: string;
}

export interface DynamoPipeline {
  readonly url: string;
  readonly port: number;
  readonly outbox: string;
  readonly endpoint: URL;
  readonly tables: typeof DYNAMODB_LOCAL_TABLES;
  readonly stream: StreamPoller;
  readonly queue: MemoryQueue;
  /** Resolves once no request, stream record or queue message is pending or in flight. */
  idle(): Promise<void>;
  /** Stops accepting requests, drains the stream and the queue, closes files and connections. */
  stop(): Promise<StopReport>;
}

/** Resolves once `stream` settles, or after `ms` when it does not. */
function settledWithin(stream: StreamPoller, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    stream.settled().then(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/**
 * `text` as an endpoint URL, or a ConfigurationError naming the flag and what is valid.
 *
 * @example
 * parseEndpoint("http://127.0.0.1:8000"); // URL
 */
function parseEndpoint(text: string): URL {
  let url: URL | undefined;
  try {
    url = new URL(text);
  } catch {
    url = undefined;
  }
  if (url === undefined || !["http:", "https:"].includes(url.protocol) || url.hostname === "") {
    throw localError(
      new Error("not an http(s) URL"),
      `${ENDPOINT_FLAG} "${text}" is not a DynamoDB endpoint`,
      `pass an http(s) URL such as ${ENDPOINT_FLAG} http://127.0.0.1:8000`,
    );
  }
  return url;
}

/**
 * Starts the pipeline on the DynamoDB endpoint: creates the two tables there unless they exist
 * (from the stack's table definitions), positions the stream poller at the stream's end, then
 * listens. Rejects with one ConfigurationError naming `--dynamodb-endpoint` for a bad URL or an
 * endpoint that does not answer, and with the usual ones for the outbox, rules and port.
 *
 * @example
 * const local = await startDynamoPipeline({ dynamodbEndpoint: "http://127.0.0.1:8000", port: 0 });
 */
async function startDynamoPipeline(options: DynamoPipelineOptions): Promise<DynamoPipeline> {
  const endpoint = parseEndpoint(options.dynamodbEndpoint);
  const base = openPipelineBase(options);
  const { settings, logOf, topic, queue } = base;
  const clients = dynamoEndpointClients(endpoint);
  const closeAll = () => {
    topic.close();
    base.deadLetters.close();
    clients.destroy();
  };
  const client = clients.dynamodb;
  const tableName = DYNAMODB_LOCAL_TABLES.transactions;
  const merchantRiskTableName = DYNAMODB_LOCAL_TABLES.merchantRisk;
  let stream: StreamPoller;
  try {
    await ensureTable(client, TRANSACTION_TABLE, tableName);
    await ensureTable(client, MERCHANT_RISK_TABLE, merchantRiskTableName);
    stream = makeStreamPoller({
      streams: clients.streams,
      streamArn: await latestStreamArn(client, tableName),
      filter: (record) => matchesFilter(TRANSACTION_STREAM_FILTER, record),
      maxRetries: settings.streamMaxRetries,
      pollIntervalMs: settings.pollIntervalMs,
      onError: (error) => logOf(LOCAL_NAMES.detect).error("Stream batch failed", { error: String(error) }),
    });
    await stream.open();
  } catch (error) {
    closeAll();
    throw localError(
      error,
      `Cannot use the DynamoDB endpoint ${endpoint.href} (${ENDPOINT_FLAG})`,
      `start DynamoDB Local there (java -jar DynamoDBLocal.jar -inMemory -port ${endpoint.port || "8000"}) or pass ${ENDPOINT_FLAG} the URL of a running endpoint`,
    );
  }
  const handlers = makeHandlers(base, {
    ports: {
      store: makeDynamoTransactionStore({ client, tableName }),
      history: makeDynamoAccountHistory({ client, tableName }),
      verdicts: makeDynamoVerdictStore({ client, tableName }),
      ledger: makeDynamoNotificationLedger({ client, tableName }),
    },
    merchantProfiles: makeDynamoMerchantRiskReader({ client, tableName: merchantRiskTableName }),
    merchantCounts: makeDynamoMerchantRiskWriter({ client, tableName: merchantRiskTableName }),
    outcomes: makeDynamoOutcomeStore({ client, tableName, merchantRiskTableName }),
  });
  let running = false;
  const server = await startApi(base, handlers, closeAll, { isReady: () => running });
  startConsumers(base, handlers, stream);
  running = true;

  let stopping: Promise<StopReport> | undefined;
  return {
    url: `http://${settings.host}:${server.port}`,
    port: server.port,
    outbox: settings.outbox,
    endpoint,
    tables: DYNAMODB_LOCAL_TABLES,
    stream,
    queue,
    async idle() {
      await until(() => server.inFlight() === 0);
      await stream.settled();
      await until(() => queue.isIdle());
    },
    stop() {
      stopping ??= (async () => {
        running = false;
        const deadline = Date.now() + settings.shutdownTimeoutMs;
        const closedConnections = await server.close(deadline);
        await settledWithin(stream, Math.max(0, deadline - Date.now()));
        await stream.stop();
        await until(() => queue.isQuiet(), deadline);
        const drained = queue.isQuiet();
        await queue.stop();
        closeAll();
        return { closedConnections, drained };
      })();
      return stopping;
    },
  };
}

export { DYNAMODB_LOCAL_TABLES, startDynamoPipeline };
