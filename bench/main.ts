/**
 * `npm run bench [-- --quick] [--only cold,archive,...] [--markdown FILE]`: measures cold init
 * and init + first invocation on Node 24 (against a loopback AWS stand-in), archive size, warm
 * handler cost (detect-fraud with and without a model), the local pipeline under HTTP load,
 * backtest throughput and train time, and capacity; prints one table per figure and writes the
 * same figures to bench/results.json.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { flagsTakenByNpm } from "../local/npm-flags";
import { measureArchives } from "./archive";
import { buildArtifacts, useFactoryEnv } from "./artifacts";
import { type AwsLoopback, loopbackEnv, startAwsLoopback } from "./aws-loopback";
import { measureBacktest } from "./backtest";
import { computeCapacity, readApiThrottle } from "./capacity";
import { measureColdInit } from "./cold-init";
import { benchFunctions } from "./functions";
import { measureHttpLoad } from "./http-load";
import { type BenchResults, reportTables } from "./report";
import { renderMarkdown, renderText } from "./table";
import { detectModelCost, measureWarm, type WarmBudget } from "./warm";

const SECTIONS = ["cold", "archive", "warm", "http", "backtest", "capacity"] as const;

type Section = (typeof SECTIONS)[number];

const USAGE = `Usage: npm run bench -- [--quick] [--only ${SECTIONS.join(",")}] [--markdown FILE]

  --quick          fewer processes, shorter loads, a smaller backtest file (a smoke check)
  --only LIST      run only these figures (capacity also runs warm)
  --markdown FILE  also write the tables as Markdown
Figures are printed and written to bench/results.json.`;

interface Settings {
  readonly coldProcesses: number;
  readonly warm: WarmBudget;
  readonly http: { readonly connections: number; readonly durationSec: number; readonly rounds: number };
  readonly backtestRows: number;
}

const FULL: Settings = {
  coldProcesses: 15,
  warm: { warmupMs: 300, handlerMs: 2_000, floorMs: 1_000 },
  http: { connections: 10, durationSec: 5, rounds: 3 },
  backtestRows: 500_000,
};

const QUICK: Settings = {
  coldProcesses: 3,
  warm: { warmupMs: 100, handlerMs: 300, floorMs: 150 },
  http: { connections: 10, durationSec: 5, rounds: 1 },
  backtestRows: 50_000,
};

interface BenchArgs {
  readonly quick: boolean;
  readonly sections: ReadonlySet<Section>;
  readonly markdown?: string;
  readonly help: boolean;
}

/**
 * Parses the bench's argv (without node and the script).
 *
 * @example
 * parseBenchArgs(["--quick", "--only", "warm,capacity"]); // { quick: true, sections: Set { "warm", "capacity" }, ... }
 */
function parseBenchArgs(argv: readonly string[]): BenchArgs | string {
  let quick = false;
  let help = false;
  let markdown: string | undefined;
  let sections = new Set<Section>(SECTIONS);
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--quick") quick = true;
    else if (arg === "--help" || arg === "-h") help = true;
    else if (arg === "--markdown" && argv[i + 1] !== undefined) markdown = argv[++i];
    else if (arg === "--only" && argv[i + 1] !== undefined) {
      const names = argv[++i].split(",").map((name) => name.trim());
      const unknown = names.filter((name) => !(SECTIONS as readonly string[]).includes(name));
      if (unknown.length > 0)
        return `--only: unknown figure ${unknown.join(", ")}; choose from ${SECTIONS.join(", ")}`;
      sections = new Set(names as Section[]);
    } else return `Unexpected argument "${arg}"`;
  }
  return { quick, sections, markdown, help };
}

function progress(message: string): void {
  process.stderr.write(`bench: ${message}\n`);
}

async function timed<T>(label: string, work: () => Promise<T> | T): Promise<T> {
  const start = performance.now();
  progress(`${label}...`);
  const result = await work();
  progress(`${label} done in ${((performance.now() - start) / 1000).toFixed(1)} s`);
  return result;
}

/**
 * Runs `work` with the loopback AWS stand-in started and this process's environment (which the
 * cold-init children inherit) pointing every SDK call at it, the alert queue's URL included;
 * restores the environment and closes the stand-in afterwards.
 */
async function withAwsLoopback<T>(work: (aws: AwsLoopback) => Promise<T>): Promise<T> {
  const aws = await startAwsLoopback();
  const env = { ...loopbackEnv(aws.endpoint), ALERT_QUEUE_URL: aws.queueUrl("sqs-fraud-alerts-bench") };
  const saved = Object.fromEntries(Object.keys(env).map((name) => [name, process.env[name]]));
  Object.assign(process.env, env);
  try {
    return await work(aws);
  } finally {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    await aws.close();
  }
}

async function measure(args: BenchArgs, settings: Settings): Promise<BenchResults> {
  const results: { -readonly [K in keyof BenchResults]: BenchResults[K] } = {};
  const has = (section: Section) => args.sections.has(section);
  if (has("cold") || has("archive")) {
    const count = benchFunctions().length;
    const { artifacts, dispose } = await timed(`serializing ${count} artifacts`, buildArtifacts);
    try {
      if (has("cold"))
        results.coldInit = await timed("cold init on the functions' Node", () =>
          withAwsLoopback((aws) => measureColdInit(artifacts, settings.coldProcesses, aws)),
        );
      if (has("archive")) results.archive = await timed("archive", () => measureArchives(artifacts));
    } finally {
      dispose();
    }
  }
  if (has("warm") || has("capacity")) {
    results.warm = await timed("warm handlers", () => measureWarm(settings.warm));
    results.detectModelCost = detectModelCost(results.warm);
  }
  if (has("http")) results.httpLoad = await timed("HTTP load", () => measureHttpLoad(settings.http));
  if (has("backtest"))
    results.backtest = await timed("backtest and training", () =>
      measureBacktest(settings.backtestRows, progress),
    );
  if (has("capacity") && results.warm) results.capacity = computeCapacity(results.warm, readApiThrottle());
  return results;
}

/**
 * Runs the benchmark; resolves with the exit code.
 *
 * @example
 * main(["--quick"]).then((code) => { process.exitCode = code; });
 */
async function main(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const misplaced = flagsTakenByNpm("npm run bench --", USAGE, env);
  if (misplaced !== undefined) {
    process.stderr.write(`bench: ${misplaced}\n`);
    return 2;
  }
  const args = parseBenchArgs(argv);
  if (typeof args === "string") {
    process.stderr.write(`bench: ${args}\n${USAGE}\n`);
    return 2;
  }
  if (args.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const settings = args.quick ? QUICK : FULL;
  useFactoryEnv();
  // Other work on the machine skews every figure; the load average puts a run in context.
  const loadBefore = os.loadavg()[0];
  const started = performance.now();
  const results = await measure(args, settings);
  const seconds = (performance.now() - started) / 1000;
  const tables = reportTables(results);
  const machine = `${os.cpus().length} x ${os.cpus()[0]?.model.trim()}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${os.platform()} ${os.arch()}`;
  const load = `load average ${loadBefore.toFixed(1)} before, ${os.loadavg()[0].toFixed(1)} after`;
  const heading = `Fraud pipeline benchmark${args.quick ? " (--quick)" : ""}, ${new Date().toISOString()}, ${machine}, ${load}, ${seconds.toFixed(0)} s`;
  process.stdout.write(`\n${heading}\n\n${tables.map(renderText).join("\n\n")}\n`);
  const json = {
    date: new Date().toISOString(),
    machine,
    quick: args.quick,
    durationSec: seconds,
    settings,
    ...results,
  };
  fs.writeFileSync(path.join(__dirname, "results.json"), `${JSON.stringify(json, null, 2)}\n`);
  if (args.markdown !== undefined)
    fs.writeFileSync(args.markdown, `${heading}\n\n${tables.map(renderMarkdown).join("\n\n")}\n`);
  return 0;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(
        `bench: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
      );
      process.exitCode = 1;
    },
  );
}

export { main, parseBenchArgs, USAGE };
