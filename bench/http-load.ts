/**
 * Figure 4, local pipeline end to end: HTTP load at fixed concurrency with autocannon against the
 * local pipeline (a child process on 127.0.0.1, ephemeral port), beside a bare Node http server
 * answering the same POST with a constant, in the same run. Both targets stay up and are loaded
 * in alternating rounds (pipeline, bare, pipeline, ...), and each target's requests/s is the
 * median of its rounds: a machine whose speed drifts then moves both sides alike. Latencies are
 * pooled over the rounds, counts summed, and CPU per request is the rounds' CPU over their
 * responses (detection still catching up after a round is not in it). Every request carries a new
 * transaction id; after each pipeline round the pipeline reports how long detection and
 * notification took to catch up.
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
  /** The median of the rounds' requests/s. */
  readonly requestsPerSec: number;
  /** Each round's requests/s, in order. */
  readonly roundsPerSec: readonly number[];
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
  /** Length of one round, s. */
  readonly durationSec: number;
  readonly rounds: number;
  readonly pipeline: LoadFigure;
  readonly bare: LoadFigure;
  /** After the last pipeline round. */
  readonly drain: DrainReport;
  /** pipeline requests/s / bare requests/s (the medians). */
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

/** One round against one target: what autocannon counted, every 2xx latency and the target's CPU. */
interface Round {
  readonly requestsPerSec: number;
  readonly total: number;
  readonly statuses: Record<string, number>;
  readonly errors: number;
  readonly latencies: number[];
  readonly cpuMicros: number;
}

/**
 * One load round. Latency percentiles come from every 2xx response time as autocannon measures it
 * (fractional ms); its own histogram rounds to whole ms, too coarse for a sub-ms local server.
 */
async function load(
  url: string,
  child: BenchChild,
  connections: number,
  durationSec: number,
  body: () => string,
): Promise<Round> {
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
  const statuses: Record<string, number> = {};
  for (const [code, stats] of Object.entries(result.statusCodeStats ?? {})) statuses[code] = stats.count;
  return {
    requestsPerSec: result.requests.total / result.duration,
    total: result.requests.total,
    statuses,
    errors: result.errors + result.timeouts,
    latencies,
    cpuMicros,
  };
}

/** A target's rounds as one figure: the median requests/s; latencies, counts and CPU over all rounds. */
function figureOf(rounds: readonly Round[]): LoadFigure {
  const latency = summarize(rounds.flatMap((round) => round.latencies));
  const statuses: Record<string, number> = {};
  for (const round of rounds)
    for (const [code, count] of Object.entries(round.statuses))
      statuses[code] = (statuses[code] ?? 0) + count;
  const total = rounds.reduce((sum, round) => sum + round.total, 0);
  const cpuMicros = rounds.reduce((sum, round) => sum + round.cpuMicros, 0);
  return {
    requestsPerSec: summarize(rounds.map((round) => round.requestsPerSec)).median,
    roundsPerSec: rounds.map((round) => round.requestsPerSec),
    p50: latency.median,
    p99: latency.p99,
    total,
    statuses,
    errors: rounds.reduce((sum, round) => sum + round.errors, 0),
    cpuPerRequestUs: cpuMicros / Math.max(1, total),
  };
}

/** The target's CPU time so far, µs. */
async function cpuOf(child: BenchChild): Promise<number> {
  return (await ask<CpuSample>(child, { type: "cpu" }, 10_000)).cpuMicros;
}

/** Starts a target and resolves with its URL once it listens. */
async function startTarget(kind: "pipeline" | "bare", deadlineMs: number) {
  const child = spawnTsChild("bench/http-target.ts", [kind], deadlineMs);
  try {
    const { port } = await ask<{ port: number }>(child, undefined, START_TIMEOUT_MS);
    return { child, url: `http://127.0.0.1:${port}` };
  } catch (error) {
    await stopChild(child, 15_000);
    throw error;
  }
}

/**
 * Loads the local pipeline and the bare server in `rounds` alternating rounds of `durationSec`
 * each at `connections`, both targets running throughout.
 *
 * @example
 * const result = await measureHttpLoad({ connections: 10, durationSec: 5, rounds: 3 });
 * result.pipeline.requestsPerSec; // the median of three rounds
 */
async function measureHttpLoad(options: {
  connections: number;
  durationSec: number;
  rounds: number;
}): Promise<HttpLoadResult> {
  const { connections, durationSec, rounds } = options;
  if (!Number.isInteger(rounds) || rounds < 1)
    throw new Error(`measureHttpLoad: rounds must be a whole number from 1, got ${rounds}`);
  // Start-up, every round, the drains and the stop, with room to spare; the children are killed after it.
  const deadlineMs = START_TIMEOUT_MS + 2 * rounds * (durationSec * 1000 + 75_000) + 90_000;
  const runId = Date.now().toString(36);
  const pipelineTarget = await startTarget("pipeline", deadlineMs);
  try {
    const bareTarget = await startTarget("bare", deadlineMs);
    try {
      const pipelineBodies = transactionBodies(runId);
      const bareBodies = transactionBodies(runId);
      const pipelineRounds: Round[] = [];
      const bareRounds: Round[] = [];
      const drains: DrainReport[] = [];
      for (let round = 0; round < rounds; round++) {
        pipelineRounds.push(
          await load(pipelineTarget.url, pipelineTarget.child, connections, durationSec, pipelineBodies),
        );
        drains.push(await ask<DrainReport>(pipelineTarget.child, { type: "drain" }, 75_000));
        bareRounds.push(await load(bareTarget.url, bareTarget.child, connections, durationSec, bareBodies));
      }
      const pipeline = figureOf(pipelineRounds);
      const bare = figureOf(bareRounds);
      return {
        connections,
        durationSec,
        rounds,
        pipeline,
        bare,
        drain: drains[drains.length - 1],
        ratio: pipeline.requestsPerSec / bare.requestsPerSec,
        cpuRatio: bare.cpuPerRequestUs / pipeline.cpuPerRequestUs,
      };
    } finally {
      await stopChild(bareTarget.child, 15_000);
    }
  } finally {
    await stopChild(pipelineTarget.child, 15_000);
  }
}

export type { HttpLoadResult, LoadFigure };
export { measureHttpLoad };
