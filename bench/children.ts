/**
 * Child processes the benchmarks start: each one bounded in time (killed when its deadline
 * passes) and killed when this process exits, whatever the reason.
 */
import { type ChildProcess, spawn } from "node:child_process";
import * as path from "node:path";

const PROJECT_ROOT = path.resolve(__dirname, "..");

const running = new Set<ChildProcess>();
let exitHookInstalled = false;

function killAll(): void {
  for (const child of running) child.kill("SIGKILL");
  running.clear();
}

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on("exit", killAll);
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.once(signal, () => {
      killAll();
      process.exit(130);
    });
  }
}

/** A started child and the tail of its stderr (always drained, so the child never blocks on it). */
interface BenchChild {
  readonly process: ChildProcess;
  stderr(): string;
}

/** How much of a child's stderr is kept for error messages. */
const STDERR_TAIL_CHARS = 2000;

/**
 * Starts `node -r ts-node/register/transpile-only <script> ...args` from the project root with an
 * IPC channel. The child is SIGKILLed after `deadlineMs` and when this process exits.
 *
 * @example
 * const child = spawnTsChild("bench/http-target.ts", ["bare"], 60_000);
 */
function spawnTsChild(script: string, args: readonly string[], deadlineMs: number): BenchChild {
  installExitHook();
  const child = spawn(
    process.execPath,
    ["--no-warnings", "-r", "ts-node/register/transpile-only", path.resolve(PROJECT_ROOT, script), ...args],
    { cwd: PROJECT_ROOT, stdio: ["ignore", "ignore", "pipe", "ipc"] },
  );
  running.add(child);
  const deadline = setTimeout(() => child.kill("SIGKILL"), deadlineMs);
  deadline.unref();
  child.once("exit", () => {
    clearTimeout(deadline);
    running.delete(child);
  });
  let tail = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    tail = (tail + chunk.toString()).slice(-STDERR_TAIL_CHARS);
  });
  return { process: child, stderr: () => tail.trim() };
}

/**
 * Sends `message` and resolves with the child's next message; rejects when the child exits first
 * or does not answer within `timeoutMs`.
 *
 * @example
 * const { port } = await ask<{ port: number }>(child, undefined, 20_000); // waits for the first message
 */
function ask<T>({ process: child, stderr }: BenchChild, message: unknown, timeoutMs: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const cleanup = () => {
      clearTimeout(timer);
      child.off("message", onMessage);
      child.off("exit", onExit);
    };
    const onMessage = (answer: unknown) => {
      cleanup();
      resolve(answer as T);
    };
    const onExit = (code: number | null, signal: string | null) => {
      cleanup();
      reject(new Error(`Child exited (code ${code}, signal ${signal}) before answering: ${stderr()}`));
    };
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`Child did not answer within ${timeoutMs} ms: ${stderr()}`));
    }, timeoutMs);
    child.on("message", onMessage);
    child.once("exit", onExit);
    if (message !== undefined) child.send(message as object);
  });
}

/**
 * Disconnects the child (it exits on disconnect) and resolves once it has; SIGKILL after `graceMs`.
 *
 * @example
 * await stopChild(child, 15_000);
 */
function stopChild({ process: child }: BenchChild, graceMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
    child.once("exit", () => {
      clearTimeout(timer);
      resolve();
    });
    if (child.connected) child.disconnect();
    else child.kill("SIGTERM");
  });
}

/** What a finished script printed and how long it ran. */
interface ScriptRun {
  /** Exit code; null when killed (deadline or signal). */
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** From spawn to exit, ms. */
  readonly wallMs: number;
}

/**
 * Runs `node ...args` from the project root to its end (what an npm script runs, without npm's
 * own start) and resolves what it printed and its wall time. The child is SIGKILLed after
 * `deadlineMs` and when this process exits.
 *
 * @example
 * const run = await runNode(["-r", "./local/register-ts.js", "local/backtest/main.ts", "history.jsonl"], 600_000);
 */
function runNode(args: readonly string[], deadlineMs: number): Promise<ScriptRun> {
  installExitHook();
  const started = performance.now();
  const child = spawn(process.execPath, args, { cwd: PROJECT_ROOT, stdio: ["ignore", "pipe", "pipe"] });
  running.add(child);
  const deadline = setTimeout(() => child.kill("SIGKILL"), deadlineMs);
  deadline.unref();
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-STDERR_TAIL_CHARS);
  });
  return new Promise((resolve, reject) => {
    child.once("error", (error) => {
      clearTimeout(deadline);
      running.delete(child);
      reject(error);
    });
    child.once("close", (code) => {
      clearTimeout(deadline);
      running.delete(child);
      resolve({ code, stdout, stderr, wallMs: performance.now() - started });
    });
  });
}

export type { BenchChild, ScriptRun };
export { ask, runNode, spawnTsChild, stopChild };
