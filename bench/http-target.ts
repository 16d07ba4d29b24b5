/**
 * Child-process entry of the HTTP load figure: `pipeline` runs the whole local pipeline
 * (startLocalPipeline, silent logs, outbox in a temp dir), `bare` a plain Node http server that
 * answers every POST with a constant 201. Listens on 127.0.0.1, port 0; sends `{ port }` to the
 * parent over IPC; answers `{ type: "cpu" }` with its CPU time so far and `{ type: "drain" }` with
 * what the pipeline did; exits when the parent disconnects (or dies).
 */
import * as fs from "node:fs";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { type LocalPipeline, startLocalPipeline } from "../local/pipeline";

/** What a pipeline child reports after the load: how long detection and notification took to catch up. */
interface DrainReport {
  /** From the drain request (just after the load ended) until nothing was pending, ms. */
  readonly drainMs: number;
  readonly stored: number;
  readonly flagged: number;
  readonly notified: number;
  readonly deadLetters: number;
}

/** A target's CPU time so far, all its threads, µs: what `{ type: "cpu" }` answers. */
interface CpuSample {
  readonly cpuMicros: number;
}

/** The longest the child waits for the pipeline to go idle after the load. */
const DRAIN_DEADLINE_MS = 60_000;

const CONSTANT_BODY = JSON.stringify({ transaction_id: "constant", timestamp: 0, status: "accepted" });

function startBare(): Promise<{ port: number; stop: () => Promise<void> }> {
  const server = http.createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      res.writeHead(201, {
        "content-type": "application/json",
        "content-length": Buffer.byteLength(CONSTANT_BODY),
      });
      res.end(CONSTANT_BODY);
    });
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      resolve({
        port: (server.address() as AddressInfo).port,
        stop: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}

async function drain(local: LocalPipeline, outbox: string): Promise<DrainReport> {
  const started = performance.now();
  await Promise.race([local.idle(), new Promise((resolve) => setTimeout(resolve, DRAIN_DEADLINE_MS))]);
  const drainMs = performance.now() - started;
  const lines = fs.existsSync(outbox)
    ? fs.readFileSync(outbox, "utf8").split("\n").filter(Boolean).length
    : 0;
  return {
    drainMs,
    stored: local.table.size(),
    flagged: local.metrics.counters().FlaggedTransactions ?? 0,
    notified: lines,
    deadLetters: local.queue.deadLetters().length,
  };
}

async function main(kind: string | undefined): Promise<void> {
  const send = (message: object) => process.send?.(message);
  process.on("message", (message: { type?: string }) => {
    if (message.type !== "cpu") return;
    const { user, system } = process.cpuUsage();
    send({ cpuMicros: user + system } satisfies CpuSample);
  });
  if (kind === "bare") {
    const bare = await startBare();
    process.once("disconnect", () => {
      bare.stop().finally(() => process.exit(0));
    });
    send({ port: bare.port });
    return;
  }
  if (kind !== "pipeline")
    throw new Error(`http-target: the argument must be "pipeline" or "bare", got ${kind}`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "fraud-bench-http-"));
  const outbox = path.join(dir, "outbox.jsonl");
  const local = await startLocalPipeline({
    port: 0,
    host: "127.0.0.1",
    outbox,
    logLevel: "silent",
    print: () => undefined,
  });
  process.on("message", (message: { type?: string }) => {
    if (message.type === "drain") drain(local, outbox).then(send);
  });
  process.once("disconnect", () => {
    local.stop().finally(() => {
      fs.rmSync(dir, { recursive: true, force: true });
      process.exit(0);
    });
  });
  send({ port: local.port });
}

if (require.main === module) {
  main(process.argv[2]).catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  });
}

export type { CpuSample, DrainReport };
