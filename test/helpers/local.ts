/**
 * Fixtures for the local runner and backtest tests: a quiet pipeline on an ephemeral port with a
 * temp outbox, an HTTP helper for 127.0.0.1, transactions near the real clock (the process
 * handler checks the recency window against it), and labelled backtest rows.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { seededRandom } from "../../local/faults";
import { type LocalPipeline, type LocalPipelineOptions, startLocalPipeline } from "../../local/pipeline";
import type { Transaction } from "../../pipeline/runtime/contract/transaction";
import { SIGNALS_OFF } from "./detect";

/** A fresh directory under the OS temp dir; remove it with `removeDir`. */
function tempDir(prefix = "fraud-local-"): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

function removeDir(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
}

/**
 * Starts a pipeline for a test: port 0 on 127.0.0.1, silent logs, outbox in `dir`, fast polling.
 *
 * @example
 * const local = await startTestPipeline(dir, { apiKey: "k" });
 */
function startTestPipeline(dir: string, options: LocalPipelineOptions = {}): Promise<LocalPipeline> {
  return startLocalPipeline({ ...quietTestOptions(dir), ...options });
}

/**
 * What every test runner starts with: a free 127.0.0.1 port, the outbox in `dir`, no output, and
 * a 5 ms batching window.
 *
 * @example
 * await startDynamoPipeline({ ...quietTestOptions(dir), dynamodbEndpoint });
 */
function quietTestOptions(dir: string) {
  return {
    port: 0,
    host: "127.0.0.1",
    outbox: path.join(dir, "outbox.jsonl"),
    logLevel: "silent",
    print: () => undefined,
    pollIntervalMs: 5,
  } satisfies LocalPipelineOptions;
}

/**
 * Per-test lifecycle for the calling `describe` block: a fresh directory before each test; after
 * it, every pipeline the test started is stopped and the directory removed.
 *
 * @example
 * const pipelines = useTestPipelines();
 * it("restarts", async () => { const local = await pipelines.start({ dataDir: path.join(pipelines.dir, "data") }); });
 */
function useTestPipelines() {
  let dir = "";
  const running: { stop(): Promise<unknown> }[] = [];
  beforeEach(() => {
    dir = tempDir();
  });
  afterEach(async () => {
    for (const pipeline of running.splice(0)) await pipeline.stop();
    removeDir(dir);
  });
  return {
    get dir() {
      return dir;
    },
    async start(options: LocalPipelineOptions = {}): Promise<LocalPipeline> {
      const pipeline = await startTestPipeline(dir, options);
      running.push(pipeline);
      return pipeline;
    },
    /** Stops `pipeline` (started some other way) after the test, like the ones `start` starts. */
    keep<T extends { stop(): Promise<unknown> }>(pipeline: T): T {
      running.push(pipeline);
      return pipeline;
    },
  };
}

/** Status, headers and parsed JSON body of one response. */
interface JsonResponse {
  readonly status: number;
  readonly headers: Headers;
  readonly body: Record<string, unknown>;
}

/**
 * POSTs `body` (JSON-encoded unless a string) to `${url}${route}`.
 *
 * @example
 * const { status, body } = await postJson(local.url, "/transactions", liveTransaction());
 */
async function postJson(
  url: string,
  route: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<JsonResponse> {
  const response = await fetch(`${url}${route}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  return {
    status: response.status,
    headers: response.headers,
    body: (await response.json()) as Record<string, unknown>,
  };
}

/**
 * A valid transaction timestamped `offsetMs` from the real clock (default one minute ago).
 *
 * @example
 * const tx = liveTransaction({ transaction_id: "tx-9" }, -5_000);
 */
function liveTransaction(overrides: Partial<Transaction> = {}, offsetMs = -60_000): Transaction {
  return {
    transaction_id: "tx-live-1",
    account_id: "acct-live-1",
    amount: 25_00,
    currency: "USD",
    timestamp: Date.now() + offsetMs,
    merchant_id: "merchant-1",
    ...overrides,
  };
}

/**
 * `count` transactions of one account, one second apart, each with its own merchant and amount
 * (so only the velocity rule can see a pattern).
 *
 * @example
 * const burst = accountBurst("acct-7", 5, Date.now() - 120_000);
 */
function accountBurst(accountId: string, count: number, start: number): Transaction[] {
  return Array.from({ length: count }, (_, i) => ({
    transaction_id: `${accountId}-burst-${i + 1}`,
    account_id: accountId,
    amount: 10_00 + i,
    currency: "USD",
    timestamp: start + i * 1000,
    merchant_id: `merchant-${accountId}-${i + 1}`,
  }));
}

/** The rule settings the labelled scenario is computed against (pinned, so default changes do not move it). */
const SCENARIO_RULES = {
  threshold: 60,
  history: { windowMs: 7 * 86_400_000, limit: 50 },
  rules: {
    highAmount: { limits: { USD: 1_000_000 }, defaultLimit: 1_000_000, baseScore: 40, maxScore: 80 },
    amountSpike: { minHistory: 5, minMultiple: 5, baseScore: 30, maxScore: 70 },
    velocity: { windowMs: 600_000, maxCount: 5, baseScore: 25, maxScore: 60 },
    impossibleTravel: { maxSpeedKmh: 900, minDistanceKm: 100, baseScore: 40, maxScore: 80 },
    cardTesting: {
      windowMs: 3_600_000,
      tinyMax: 200,
      largeMin: 10_000,
      minTinyRun: 3,
      baseScore: 60,
      maxScore: 90,
    },
    repeatedCharge: { windowMs: 300_000, minRepeats: 1, baseScore: 30, maxScore: 60 },
  },
  // Rules only: the scenario's expected confusion matrix is the rules' arithmetic.
  signals: SIGNALS_OFF,
} as const;

type LabelledRow = Transaction & { is_fraud: boolean };

/**
 * A labelled history with known injected patterns and the confusion matrix they produce under
 * {@link SCENARIO_RULES}: high amount (tp), card testing (3 tiny fn + the large charge tp),
 * impossible travel (tn then tp), a 12-transaction velocity burst (11 tn, the 12th tp),
 * a legitimate large purchase (fp), a quiet fraud (fn), and 20 ordinary accounts (80 tn).
 * Rows are shuffled out of time order on purpose: the replay must sort them.
 *
 * @example
 * const { rows, expected } = labelledScenario(Date.UTC(2025, 0, 1));
 */
function labelledScenario(start: number): {
  rows: LabelledRow[];
  expected: { tp: number; fp: number; fn: number; tn: number };
} {
  const minute = 60_000;
  const row = (
    id: string,
    account: string,
    at: number,
    amount: number,
    fraud: boolean,
    extra: Partial<Transaction> = {},
  ) => ({
    transaction_id: id,
    account_id: account,
    amount,
    currency: "USD",
    timestamp: start + at,
    merchant_id: `m-${id}`,
    ...extra,
    is_fraud: fraud,
  });
  const rows: LabelledRow[] = [];
  for (let a = 1; a <= 20; a++) {
    for (let t = 1; t <= 4; t++)
      rows.push(row(`ok-${a}-${t}`, `acct-ok-${a}`, t * 60 * minute, 2_000 + a * 10 + t, false));
  }
  rows.push(row("fraud-high", "acct-high", 5 * minute, 2_000_000, true));
  for (let t = 1; t <= 3; t++) rows.push(row(`test-tiny-${t}`, "acct-testing", t * minute, 100 + t, true));
  rows.push(row("test-large", "acct-testing", 4 * minute, 15_000, true));
  rows.push(
    row("travel-ny", "acct-travel", 0, 4_000, false, { location: { latitude: 40.7128, longitude: -74.006 } }),
  );
  rows.push(
    row("travel-london", "acct-travel", 30 * minute, 4_100, true, {
      location: { latitude: 51.5072, longitude: -0.1276 },
    }),
  );
  for (let t = 1; t <= 12; t++) rows.push(row(`burst-${t}`, "acct-burst", t * 20_000, 1_000 + t, t === 12));
  rows.push(row("legit-big", "acct-big", 10 * minute, 1_500_000, false));
  rows.push(row("quiet-fraud", "acct-quiet", 10 * minute, 3_000, true));
  rows.reverse();
  return { rows, expected: { tp: 4, fp: 1, fn: 4, tn: 92 } };
}

/**
 * `count` pseudo-random transactions (seeded) over `count / 20` accounts, about 1% labelled
 * fraud with a high amount: enough structure for a throughput benchmark of the backtest.
 *
 * @example
 * const rows = syntheticHistory(200_000, 7);
 */
function syntheticHistory(count: number, seed: number): LabelledRow[] {
  const random = seededRandom(seed);
  const accounts = Math.max(1, Math.floor(count / 20));
  const start = Date.UTC(2025, 0, 1);
  return Array.from({ length: count }, (_, i) => {
    const fraud = random() < 0.01;
    return {
      transaction_id: `syn-${i}`,
      account_id: `acct-${Math.floor(random() * accounts)}`,
      amount: fraud ? 1_000_000 + Math.floor(random() * 2_000_000) : 100 + Math.floor(random() * 20_000),
      currency: "USD",
      timestamp: start + Math.floor(random() * 30 * 86_400_000),
      merchant_id: `m-${Math.floor(random() * 500)}`,
      location: { latitude: 40 + random() * 10, longitude: -74 + random() * 10 },
      is_fraud: fraud,
    };
  });
}

/**
 * Runs `act` with process.stdout/stderr writes captured (and not printed).
 *
 * @example
 * const { result, stdout } = await captureOutput(() => main(["rows.jsonl", "--json"]));
 */
async function captureOutput<T>(
  act: () => Promise<T>,
): Promise<{ result: T; stdout: string; stderr: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const { stdout, stderr } = process;
  const originalOut = stdout.write;
  const originalErr = stderr.write;
  stdout.write = ((chunk: string | Uint8Array) => out.push(String(chunk)) > 0) as typeof stdout.write;
  stderr.write = ((chunk: string | Uint8Array) => err.push(String(chunk)) > 0) as typeof stderr.write;
  try {
    const result = await act();
    return { result, stdout: out.join(""), stderr: err.join("") };
  } finally {
    stdout.write = originalOut;
    stderr.write = originalErr;
  }
}

/**
 * The rows as CSV with the contract's field names, latitude/longitude columns and is_fraud as 1/0.
 *
 * @example
 * fs.writeFileSync(file, toCsv(labelledScenario(start).rows));
 */
function toCsv(rows: readonly LabelledRow[]): string {
  const header =
    "transaction_id,account_id,amount,currency,timestamp,merchant_id,latitude,longitude,is_fraud";
  const lines = rows.map((r) =>
    [
      r.transaction_id,
      r.account_id,
      r.amount,
      r.currency,
      r.timestamp,
      `"${r.merchant_id}"`,
      r.location?.latitude ?? "",
      r.location?.longitude ?? "",
      r.is_fraud ? 1 : 0,
    ].join(","),
  );
  return `${[header, ...lines].join("\r\n")}\r\n`;
}

export type { JsonResponse, LabelledRow };
export {
  accountBurst,
  captureOutput,
  labelledScenario,
  liveTransaction,
  postJson,
  quietTestOptions,
  removeDir,
  SCENARIO_RULES,
  startTestPipeline,
  syntheticHistory,
  tempDir,
  toCsv,
  useTestPipelines,
};
