/**
 * Fixtures for the resilience and security tests: a raw HTTP client for 127.0.0.1 that reports a
 * reset connection as an outcome instead of throwing, a bounded worker pool, a client that retries
 * 503s the way a real one would, and `npm start` as a child process that a test can SIGKILL.
 */
import { type ChildProcess, spawn } from "node:child_process";
import * as http from "node:http";
import * as net from "node:net";
import * as path from "node:path";

const PROJECT_ROOT = path.resolve(__dirname, "../..");

/** Status, headers and body text of one answered request. */
interface RawResponse {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly text: string;
}

/** An answered request, or the socket error that ended it (reset, refused, ...). */
type RawOutcome =
  | { readonly ok: true; readonly response: RawResponse }
  | { readonly ok: false; readonly error: string };

interface RawRequest {
  readonly method?: string;
  readonly path?: string;
  readonly headers?: http.OutgoingHttpHeaders;
  readonly agent?: http.Agent;
}

/**
 * Sends `body` as is (bytes or text) to 127.0.0.1:`port`; never rejects.
 *
 * @example
 * const outcome = await rawRequest(local.port, Buffer.from([0xff, 0x7b]));
 * if (outcome.ok) expect(outcome.response.status).to.equal(400);
 */
function rawRequest(port: number, body: string | Buffer, request: RawRequest = {}): Promise<RawOutcome> {
  return new Promise((resolve) => {
    const req = http.request(
      {
        host: "127.0.0.1",
        port,
        method: request.method ?? "POST",
        path: request.path ?? "/transactions",
        headers: { "content-type": "application/json", ...request.headers },
        agent: request.agent,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () =>
          resolve({
            ok: true,
            response: {
              status: res.statusCode ?? 0,
              headers: res.headers,
              text: Buffer.concat(chunks).toString("utf8"),
            },
          }),
        );
        res.on("error", (error) => resolve({ ok: false, error: String(error) }));
      },
    );
    req.on("error", (error) => resolve({ ok: false, error: String(error) }));
    req.end(body);
  });
}

/**
 * Runs `work` over `items` with at most `concurrency` calls in flight.
 *
 * @example
 * await runPool(bodies, 64, async (body) => { statuses.push(await send(body)); });
 */
async function runPool<T>(
  items: readonly T[],
  concurrency: number,
  work: (item: T, index: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next;
      next += 1;
      await work(items[index] as T, index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
}

/** Every status a client saw for one transaction, the last one deciding the outcome. */
interface RetriedPost {
  readonly statuses: readonly number[];
  /** Socket errors seen (a reset, a refused connection); they count as attempts. */
  readonly errors: readonly string[];
}

/**
 * POSTs `body`, retrying a 503 (or a socket error) up to `maxAttempts` times in all, waiting
 * `Retry-After` seconds scaled by `msPerSecond` (tests shrink the wait; a real client uses 1000).
 *
 * @example
 * const { statuses } = await postWithRetry(local.port, JSON.stringify(tx), { agent, maxAttempts: 8, msPerSecond: 5 });
 */
async function postWithRetry(
  port: number,
  body: string,
  options: { readonly agent?: http.Agent; readonly maxAttempts: number; readonly msPerSecond: number },
): Promise<RetriedPost> {
  const statuses: number[] = [];
  const errors: string[] = [];
  for (let attempt = 1; attempt <= options.maxAttempts; attempt++) {
    const outcome = await rawRequest(port, body, { agent: options.agent });
    let retryAfter = 1;
    if (outcome.ok) {
      statuses.push(outcome.response.status);
      if (outcome.response.status !== 503) break;
      retryAfter = Number(outcome.response.headers["retry-after"] ?? 1);
    } else {
      errors.push(outcome.error);
    }
    await new Promise((resolve) => setTimeout(resolve, retryAfter * options.msPerSecond));
  }
  return { statuses, errors };
}

/** `npm start` running in a child process. */
interface LocalProcess {
  readonly child: ChildProcess;
  readonly url: string;
  readonly port: number;
  /** Resolves with the exit code (null when killed by a signal). */
  readonly exited: Promise<number | null>;
  /** What the child wrote to stderr so far. */
  stderr(): string;
}

/**
 * Starts `local/main.ts` (what `npm start` runs) with `args` and resolves once its banner names
 * the URL; rejects with its stderr when it exits first. Pass `--port 0` to get a free port.
 *
 * @example
 * const local = await startLocalProcess(["--port", "0", "--data", dataDir, "--log-level", "silent"]);
 * local.child.kill("SIGKILL");
 */
function startLocalProcess(args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<LocalProcess> {
  // The caller's LOCAL_API_KEY is left out (a blank one is refused): `env` sets one when wanted.
  const { LOCAL_API_KEY: _callerKey, ...inherited } = process.env;
  const child = spawn(process.execPath, ["-r", "ts-node/register/transpile-only", "local/main.ts", ...args], {
    cwd: PROJECT_ROOT,
    env: { ...inherited, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString("utf8");
  });
  return new Promise((resolve, reject) => {
    child.stdout?.on("data", (chunk: Buffer) => {
      stdout += chunk.toString("utf8");
      const match = /running locally at (http:\/\/127\.0\.0\.1:(\d+))/.exec(stdout);
      if (match !== null) {
        resolve({ child, url: match[1] as string, port: Number(match[2]), exited, stderr: () => stderr });
      }
    });
    exited.then((code) => reject(new Error(`local/main.ts exited with ${code} before listening: ${stderr}`)));
  });
}

/** One raw connection that has sent part of a request. */
interface SlowClient {
  /** Sends more of the request. */
  send(text: string): void;
  /** Resolves, once the server closes the connection, with what it sent after the first answer. */
  readonly closed: Promise<string>;
}

/**
 * Opens a keep-alive connection to 127.0.0.1:`port` and sends a `GET /health` followed by `head`,
 * the start of a request it does not finish (a client that trickles its headers or body); resolves
 * once the first is answered, so the server has accepted the connection and begun the second.
 *
 * @example
 * const client = await slowClient(local.port, "POST /transactions HTTP/1.1\r\nHost: 127.0.0.1\r\n");
 */
async function slowClient(port: number, head: string): Promise<SlowClient> {
  const socket = net.connect(port, "127.0.0.1");
  socket.on("error", () => undefined);
  let received = "";
  const answered = new Promise<void>((resolve) => {
    socket.on("data", (chunk: Buffer) => {
      received += chunk.toString("utf8");
      if (received.includes("}")) resolve();
    });
  });
  const closed = new Promise<string>((resolve) => socket.on("close", () => resolve(received)));
  // In one write: the server parses the start of the second request before it answers the first.
  socket.write(`GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n${head}`);
  await answered;
  const first = received.length;
  return { send: (text) => socket.write(text), closed: closed.then((all) => all.slice(first)) };
}

export type { LocalProcess, RawOutcome, RawResponse, RetriedPost, SlowClient };
export { PROJECT_ROOT, postWithRetry, rawRequest, runPool, slowClient, startLocalProcess };
