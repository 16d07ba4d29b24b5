/**
 * Figure 4, local pipeline end to end: HTTP load at fixed concurrency with autocannon against the
 * local pipeline (a child process on 127.0.0.1, ephemeral port), beside a bare Node http server
 * answering the same POST with a constant, in the same run. Every request carries a new
 * transaction id; after the load the pipeline reports how long detection and notification took
 * to catch up.
 */
import { seededRandom } from "../local/faults";
import { ask, type BenchChild, spawnTsChild, stopChild } from "./children";
import type { CpuSample, DrainReport } from "./http-target";
import { summarize } from "./stats";

/** The part of autocannon's API used here (the package ships no types). */
interface AutocannonRequest {
  method?: string;
  path?: string;
  headers?: Record<string, string>;
  body?: string;
}

interface AutocannonResult {
  readonly duration: number;
  readonly requests: { readonly total: number };
  readonly errors: number;
  readonly timeouts: number;
  readonly non2xx: number;
  readonly statusCodeStats: Record<string, { count: number }>;
}

/** The running load: a thenable that also emits each response with its time in (fractional) ms. */
interface AutocannonInstance extends PromiseLike<AutocannonResult> {
  on(event: "response", listener: (client: unknown, status: number, bytes: number, ms: number) => void): void;
}

type Autocannon = (options: {
  url: string;
  connections: number;
  duration: number;
  requests: {
    method: string;
    path: string;
    headers: Record<string, string>;
    setupRequest: (r: AutocannonRequest) => AutocannonRequest;
  }[];
}) => AutocannonInstance;

// autocannon has no type declarations; the interface above is what this module relies on.
const autocannon: Autocannon = require("autocannon");

/** How long a target may take to start (ts-node compiles the pipeline first). */
const START_TIMEOUT_MS = 60_000;

interface LoadFigure {
  readonly requestsPerSec: number;
  /** Latency in ms. */
  readonly p50: number;
  readonly p99: number;
  readonly total: number;
  /** Responses by status code, e.g. `{ "201": 40000 }`. */
  readonly statuses: Record<string, number>;
  readonly errors: number;
  /** The target process's CPU time (all threads, user + system) during the load, per response, µs. */
  readonly cpuPerRequestUs: number;
}

interface HttpLoadResult {
  readonly connections: number;
  readonly durationSec: number;
  readonly pipeline: LoadFigure;
  readonly bare: LoadFigure;
  readonly drain: DrainReport;
  /** pipeline requests/s / bare requests/s. */
  readonly ratio: number;
  /** bare CPU per request / pipeline CPU per request: the ratio if each target had a core to itself. */
  readonly cpuRatio: number;
}

/** Accounts the load spreads over: at ~10k requests/s each sees a few per minute, like real cardholders at peak. */
const LOAD_ACCOUNTS = 100_000;

/** One request in this many carries a very high amount, so the detector flags a realistic share. */
const HIGH_AMOUNT_EVERY = 200;

/** A request body generator: a valid transaction with a new id each call. */
function transactionBodies(runId: string): () => string {
  const random = seededRandom(7);
  let n = 0;
  return () => {
    n += 1;
    const high = n % HIGH_AMOUNT_EVERY === 0;
    return JSON.stringify({
      transaction_id: `load-${runId}-${n}`,
      account_id: `acct-${Math.floor(random() * LOAD_ACCOUNTS)}`,
      amount: high ? 5_000_000 : 100 + Math.floor(random() * 50_000),
      currency: "USD",
      timestamp: Date.now() - 1_000,
      merchant_id: `merchant-${Math.floor(random() * 300)}`,
      channel: "online",
      country: "US",
    });
  };
}

/**
 * One load run. Latency percentiles come from every 2xx response time as autocannon measures it
 * (fractional ms); its own histogram rounds to whole ms, too coarse for a sub-ms local server.
 */
async function load(
  url: string,
  child: BenchChild,
  connections: number,
  durationSec: number,
  body: () => string,
): Promise<LoadFigure> {
  const cpuBefore = await cpuOf(child);
  const instance = autocannon({
    url,
    connections,
    duration: durationSec,
    requests: [
      {
        method: "POST",
        path: "/transactions",
        headers: { "content-type": "application/json" },
        setupRequest: (request) => ({ ...request, body: body() }),
      },
    ],
  });
  const latencies: number[] = [];
  instance.on("response", (_client, status, _bytes, ms) => {
    if (status >= 200 && status < 300) latencies.push(ms);
  });
  const result = await instance;
  const cpuMicros = (await cpuOf(child)) - cpuBefore;
  const latency = summarize(latencies);
  const statuses: Record<string, number> = {};
  for (const [code, stats] of Object.entries(result.statusCodeStats ?? {})) statuses[code] = stats.count;
  return {
    requestsPerSec: result.requests.total / result.duration,
    p50: latency.median,
    p99: latency.p99,
    total: result.requests.total,
    statuses,
    errors: result.errors + result.timeouts,
    cpuPerRequestUs: cpuMicros / Math.max(1, result.requests.total),
  };
}

/** The target's CPU time so far, µs. */
async function cpuOf(child: BenchChild): Promise<number> {
  return (await ask<CpuSample>(child, { type: "cpu" }, 10_000)).cpuMicros;
}

async function withTarget<T>(
  kind: "pipeline" | "bare",
  deadlineMs: number,
  use: (url: string, child: BenchChild) => Promise<T>,
): Promise<T> {
  const child = spawnTsChild("bench/http-target.ts", [kind], deadlineMs);
  try {
    const { port } = await ask<{ port: number }>(child, undefined, START_TIMEOUT_MS);
    return await use(`http://127.0.0.1:${port}`, child);
  } finally {
    await stopChild(child, 15_000);
  }
}

/**
 * Loads the local pipeline, then the bare server, each for `durationSec` at `connections`.
 *
 * @example
 * const result = await measureHttpLoad({ connections: 10, durationSec: 10 });
 * result.pipeline.requestsPerSec;
 */
async function measureHttpLoad(options: {
  connections: number;
  durationSec: number;
}): Promise<HttpLoadResult> {
  const { connections, durationSec } = options;
  // Start-up, the load, the drain and the stop, with room to spare; the child is killed after it.
  const deadlineMs = START_TIMEOUT_MS + durationSec * 1000 + 90_000;
  const runId = Date.now().toString(36);
  const { pipeline, drain } = await withTarget("pipeline", deadlineMs, async (url, child) => {
    const figure = await load(url, child, connections, durationSec, transactionBodies(runId));
    const report = await ask<DrainReport>(child, { type: "drain" }, 75_000);
    return { pipeline: figure, drain: report };
  });
  const bare = await withTarget("bare", deadlineMs, (url, child) =>
    load(url, child, connections, durationSec, transactionBodies(runId)),
  );
  return {
    connections,
    durationSec,
    pipeline,
    bare,
    drain,
    ratio: pipeline.requestsPerSec / bare.requestsPerSec,
    cpuRatio: bare.cpuPerRequestUs / pipeline.cpuPerRequestUs,
  };
}

export type { HttpLoadResult, LoadFigure };
export { measureHttpLoad };
