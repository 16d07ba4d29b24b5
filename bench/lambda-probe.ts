/**
 * A Lambda-like host for one function's shipped code in a fresh Node process: it requires the
 * code (which runs the factory, as Lambda's init does), then calls the exported handler once per
 * event, in order, with a Lambda-shaped context, and prints one JSON line:
 * `{ requireMs, invokeMs: [...], results: [...], cpuMs }`. Without arguments it loads nothing and
 * prints only its CPU time: the empty process of the cold-init figure. The cold-init figure and
 * the archive tests start it with the Node binary the functions run on.
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";

/** The Node binary the functions run on (package.json pins it as the `node` devDependency). */
const FUNCTION_NODE = path.resolve(__dirname, "..", "node_modules", "node", "bin", "node");

/** How much of a child's stderr is kept for its error message. */
const STDERR_TAIL_CHARS = 4_000;

/** Plain JavaScript, so it runs on any Node without ts-node and loads nothing of the project. */
const PROBE_SOURCE = `"use strict";
const fs = require("node:fs");
const [file, eventsFile, functionName = "lambda-probe"] = process.argv.slice(2);
// CPU time (user + system) since the process started: unlike wall time, other work on the machine
// barely moves it.
const cpuMs = () => {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
};
if (file === undefined) {
  process.stdout.write(JSON.stringify({ requireMs: 0, invokeMs: [], results: [], cpuMs: cpuMs() }) + "\\n");
  process.exit(0);
}
const t0 = process.hrtime.bigint();
const mod = require(file);
const t1 = process.hrtime.bigint();
if (typeof mod.handler !== "function") throw new Error("The shipped code exports no handler function");
const events = eventsFile === undefined ? [] : JSON.parse(fs.readFileSync(eventsFile, "utf8"));
const context = (i) => ({
  callbackWaitsForEmptyEventLoop: true,
  functionName,
  functionVersion: "$LATEST",
  invokedFunctionArn: "arn:aws:lambda:us-east-1:123456789012:function:" + functionName,
  memoryLimitInMB: "512",
  awsRequestId: "00000000-0000-4000-8000-" + String(i).padStart(12, "0"),
  logGroupName: "/aws/lambda/" + functionName,
  logStreamName: "2026/01/01/[$LATEST]0123456789abcdef",
  getRemainingTimeInMillis: () => 10000,
  done() {},
  fail() {},
  succeed() {},
});
(async () => {
  const invokeMs = [];
  const results = [];
  for (let i = 0; i < events.length; i++) {
    const start = process.hrtime.bigint();
    results.push((await mod.handler(events[i], context(i))) ?? null);
    invokeMs.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  // Lambda freezes the environment once the handler's promise settles; timers and sockets the SDK
  // leaves behind must not count, so the probe exits at once (writes to a pipe are synchronous).
  const output = { requireMs: Number(t1 - t0) / 1e6, invokeMs, results, cpuMs: cpuMs() };
  process.stdout.write(JSON.stringify(output) + "\\n");
  process.exit(0);
})().catch((error) => {
  process.stderr.write(String(error && error.stack || error) + "\\n");
  process.exit(1);
});
`;

/** What the probe printed. */
interface ProbeOutput {
  /** In-process time to require the code (and run its factory), ms. */
  readonly requireMs: number;
  /** Each invocation's time, ms, in event order. */
  readonly invokeMs: readonly number[];
  /** Each invocation's result (`null` for none). */
  readonly results: readonly unknown[];
  /** The process's CPU time (user + system) when it printed, ms. */
  readonly cpuMs: number;
}

/**
 * Writes the probe into `dir` and returns its path.
 *
 * @example
 * const probe = writeProbe(tmp);
 * spawn(node24, [probe, "/tmp/fn/index.js", "/tmp/events.json", "lambda-notify-team-dev"]);
 */
function writeProbe(dir: string): string {
  const file = path.join(dir, "lambda-probe.js");
  fs.writeFileSync(file, PROBE_SOURCE);
  return file;
}

/**
 * Parses the probe's output line.
 *
 * @example
 * const { results } = parseProbeOutput(stdout);
 * @throws Error quoting the output when it is not the probe's JSON line.
 */
function parseProbeOutput(stdout: string): ProbeOutput {
  const line = stdout.trim().split("\n").pop() ?? "";
  try {
    const parsed = JSON.parse(line) as ProbeOutput;
    if (typeof parsed.cpuMs === "number" && Array.isArray(parsed.results)) return parsed;
  } catch {
    // Reported below with the output.
  }
  throw new Error(`The Lambda probe printed no result line: ${stdout.slice(-500)}`);
}

interface NodeRunOptions {
  readonly env: NodeJS.ProcessEnv;
  readonly cwd?: string;
  /** The child is SIGKILLed after this and the run rejects. */
  readonly timeoutMs: number;
}

/**
 * Runs `node ...args` on the functions' Node (warnings off: the SDKs' end-of-support notices are
 * no part of a Lambda start) to its end; resolves its wall time (spawn to exit) and stdout.
 *
 * @example
 * const { wallMs, stdout } = await runOnFunctionNode([probe, file], { env: process.env, timeoutMs: 30_000 });
 * @throws Error with the tail of the child's stderr when it exits non-zero or is killed.
 */
function runOnFunctionNode(
  args: readonly string[],
  options: NodeRunOptions,
): Promise<{ wallMs: number; stdout: string }> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(FUNCTION_NODE, ["--no-warnings", ...args], {
      env: options.env,
      cwd: options.cwd,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on("data", (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-STDERR_TAIL_CHARS);
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs);
    child.once("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once("close", (code, signal) => {
      clearTimeout(timer);
      const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
      if (code === 0) resolve({ wallMs, stdout });
      else
        reject(new Error(`node ${args.join(" ")} failed (code ${code}, signal ${signal}): ${stderr.trim()}`));
    });
  });
}

export type { ProbeOutput };
export { FUNCTION_NODE, parseProbeOutput, runOnFunctionNode, writeProbe };
