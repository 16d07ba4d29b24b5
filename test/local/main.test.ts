import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { expect } from "chai";
import { main } from "../../local/main";
import type { LocalPipeline } from "../../local/pipeline";
import { captureOutput, removeDir, startTestPipeline, tempDir } from "../helpers/local";
import { fraudModel } from "../helpers/model";
import { type SlowClient, slowClient } from "../helpers/resilience";

const MAIN = path.resolve(__dirname, "../../local/main.ts");

/**
 * Runs `npm start`'s entry point in a child process and collects its exit code and output: for the
 * paths that end in a signal handler calling `process.exit`.
 */
function runMain(
  args: string[],
  env: Record<string, string>,
  onStdout?: (text: string, child: ReturnType<typeof spawn>) => void,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["-r", "ts-node/register/transpile-only", MAIN, ...args], {
      env: { ...process.env, ...env },
      cwd: path.resolve(__dirname, "../.."),
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => {
      stdout += chunk;
      onStdout?.(stdout, child);
    });
    child.stderr.on("data", (chunk) => {
      stderr += chunk;
    });
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

/**
 * Runs `main` in this process, for start-ups that fail: it returns the exit code before it
 * installs signal handlers, so nothing outlives the call (and no child pays ts-node's start-up).
 */
async function runMainInProcess(
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number | undefined; stdout: string; stderr: string }> {
  const run = await captureOutput(() => main(args, env));
  return { code: run.result, stdout: run.stdout, stderr: run.stderr };
}

describe("Function: main (npm start)", () => {
  let dir: string;
  let busy: LocalPipeline | undefined;

  beforeEach(() => {
    dir = tempDir();
  });

  afterEach(async () => {
    await busy?.stop();
    busy = undefined;
    removeDir(dir);
  });

  it("prints one line and exits 1 when the port is in use", async () => {
    // Prepare
    busy = await startTestPipeline(dir);

    // Act
    const run = await runMainInProcess([], {
      PORT: String(busy.port),
      OUTBOX: path.join(dir, "other.jsonl"),
    });

    // Assess
    expect(run.code).to.equal(1);
    expect(run.stderr).to.match(
      /^npm start: Cannot listen on 127\.0\.0\.1:\d+ \(EADDRINUSE\): set PORT \(or --port\) to a free port\n$/,
    );
  });

  it("prints one line and exits 1 when the outbox is not writable", async () => {
    // Prepare
    const blocker = path.join(dir, "file");
    fs.writeFileSync(blocker, "");

    // Act
    const run = await runMainInProcess([], { PORT: "0", OUTBOX: path.join(blocker, "outbox.jsonl") });

    // Assess
    expect(run.code).to.equal(1);
    expect(run.stderr).to.match(
      /^npm start: Cannot write the outbox file .*outbox\.jsonl \(E[A-Z]+\): set OUTBOX/,
    );
    expect(run.stderr.trim().split("\n").length).to.equal(1);
  });

  it("prints one line naming --dynamodb-endpoint and exits 1 when the endpoint does not answer", async () => {
    // Prepare: a port that was free a moment ago, with nothing listening on it
    const closed = await startTestPipeline(dir);
    const port = closed.port;
    await closed.stop();

    // Act
    const run = await runMainInProcess(["--dynamodb-endpoint", `http://127.0.0.1:${port}`], {
      PORT: "0",
      OUTBOX: path.join(dir, "o.jsonl"),
    });

    // Assess
    expect(run.code).to.equal(1);
    expect(
      run.stderr
        .trim()
        .split("\n")
        .filter((line) => line.startsWith("npm start:")),
    ).to.have.length(1);
    expect(run.stderr).to.match(
      /npm start: Cannot use the DynamoDB endpoint http:\/\/127\.0\.0\.1:\d+\/ \(--dynamodb-endpoint\) \(ECONNREFUSED\)/,
    );
  });

  it("prints one line naming the source and exits 1 for a bad rules config", async () => {
    // Act
    const run = await runMainInProcess([], {
      PORT: "0",
      OUTBOX: path.join(dir, "o.jsonl"),
      FRAUD_RULES_CONFIG: '{"threshold": 0}',
    });

    // Assess
    expect(run.code).to.equal(1);
    expect(run.stderr.trim().split("\n").length).to.equal(1);
    expect(run.stderr).to.match(
      /^npm start: Invalid fraud rules config: .*threshold.*\(from FRAUD_RULES_CONFIG\)\n$/,
    );
  });

  it("prints the URL, an example curl and the outbox, and exits 0 on SIGINT", async () => {
    // Prepare
    const outbox = path.join(dir, "alerts.jsonl");
    let signalled = false;

    // Act
    const run = await runMain([], { PORT: "0", OUTBOX: outbox }, (text, child) => {
      if (!signalled && text.includes("Ctrl-C")) {
        signalled = true;
        child.kill("SIGINT");
      }
    });

    // Assess
    expect(run.code).to.equal(0);
    expect(run.stdout).to.match(/running locally at http:\/\/127\.0\.0\.1:\d+/);
    expect(run.stdout).to.match(/curl -s -X POST http:\/\/127\.0\.0\.1:\d+\/transactions/);
    expect(run.stdout.includes(outbox)).to.be.ok;
    expect(run.stdout).to.match(/Scoring: label-free default score; default rule settings\./);
    expect(run.stdout).to.match(/Stopped\./);
  });

  it("says in the banner when a model and rules override the defaults, and from where", async () => {
    // Prepare
    const modelFile = path.join(dir, "model.json");
    fs.writeFileSync(modelFile, JSON.stringify(fraudModel({})));
    let signalled = false;

    // Act
    const run = await runMain(
      ["--model", modelFile],
      { PORT: "0", OUTBOX: path.join(dir, "o.jsonl"), FRAUD_RULES_CONFIG: '{"threshold": 70}' },
      (text, child) => {
        if (!signalled && text.includes("Ctrl-C")) {
          signalled = true;
          child.kill("SIGINT");
        }
      },
    );

    // Assess
    expect(run.code).to.equal(0);
    expect(
      run.stdout.includes(`Scoring: model from --model ${modelFile}; rule settings from FRAUD_RULES_CONFIG.`),
      run.stdout,
    ).to.be.ok;
  });

  it("prints one line naming the model file and exits 1 for a model of other features", async () => {
    // Prepare
    const modelFile = path.join(dir, "model.json");
    fs.writeFileSync(modelFile, JSON.stringify({ ...fraudModel({}), features: ["amount"] }));

    // Act
    const run = await runMainInProcess(["--model", modelFile], {
      PORT: "0",
      OUTBOX: path.join(dir, "o.jsonl"),
    });

    // Assess
    expect(run.code).to.equal(1);
    expect(run.stderr.trim().split("\n").length).to.equal(1);
    expect(run.stderr).to.match(/^npm start: .*model\.json: Fraud model features do not match/);
  });

  it("refuses a second runner on a data directory in use with one line and exit 1", async () => {
    // Prepare
    const dataDir = path.join(dir, "data");
    busy = await startTestPipeline(dir, { dataDir });

    // Act
    const run = await runMainInProcess(["--data", dataDir], {
      PORT: "0",
      OUTBOX: path.join(dir, "second.jsonl"),
    });

    // Assess
    expect(run.code).to.equal(1);
    expect(run.stderr).to.match(
      new RegExp(`^npm start: The data directory .*data is in use by process ${process.pid} on [^\n]*\n$`),
    );
  });

  it("exits 1 with one line and nothing listening when a journal line is JSON but no transaction", async () => {
    // Prepare
    const dataDir = path.join(dir, "data");
    fs.mkdirSync(dataDir);
    fs.writeFileSync(path.join(dataDir, "journal.jsonl"), "42\n");

    // Act
    const run = await runMainInProcess(["--data", dataDir], { PORT: "0", OUTBOX: path.join(dir, "o.jsonl") });

    // Assess
    expect(run.code).to.equal(1);
    expect(run.stderr).to.match(
      /^npm start: .*journal\.jsonl line 1 \(\d+ bytes at byte offset \d+\) is not a stored transaction [^\n]*\n$/,
    );
    expect(run.stdout).to.equal("");
  });

  it("on SIGTERM closes a client trickling its headers at --shutdown-timeout-ms and exits 0", async () => {
    // Prepare
    let slow: Promise<SlowClient> | undefined;

    // Act
    const run = await runMain(
      ["--shutdown-timeout-ms", "300"],
      { PORT: "0", OUTBOX: path.join(dir, "o.jsonl") },
      (text, child) => {
        const port = /running locally at http:\/\/127\.0\.0\.1:(\d+)/.exec(text)?.[1];
        if (slow !== undefined || port === undefined || !text.includes("Ctrl-C")) return;
        slow = slowClient(Number(port), "POST /transactions HTTP/1.1\r\nHost: 127.0.0.1\r\n");
        slow.then(() => child.kill("SIGTERM"));
      },
    );

    // Assess
    expect(run.code).to.equal(0);
    expect(run.stderr).to.equal("npm start: shutdown deadline reached: closed 1 connection(s) still open\n");
    expect(run.stdout).to.match(/SIGTERM: draining in-flight work\.\.\.\nStopped\.\n$/);
    expect(await (await slow)?.closed).to.equal("");
  });
});
