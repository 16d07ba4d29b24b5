import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { expect } from "chai";

const ROOT = path.resolve(__dirname, "../..");
const READ_ROWS = path.join(ROOT, "local/backtest/read-rows.ts");

/** Runs `node -r ./local/register-ts.js ...args` from the project root, with `env` added. */
function runWithRegister(args: string[], env: NodeJS.ProcessEnv = {}) {
  return spawnSync(process.execPath, ["-r", "./local/register-ts.js", ...args], {
    cwd: ROOT,
    encoding: "utf8",
    env: { ...process.env, ...env },
  });
}

describe("Module: local/register-ts.js (npm run backtest's TypeScript loader)", () => {
  it("runs the backtest CLI from its TypeScript sources", () => {
    // Act
    const run = runWithRegister(["local/backtest/main.ts", "--help"]);

    // Assess
    expect(run.status, run.stderr).to.equal(0);
    expect(run.stdout).to.match(/^Usage: npm run backtest -- FILE/);
  });

  it("names the TypeScript file and line in a stack trace", () => {
    // Prepare: the line of read-rows.ts that opens the input
    const line =
      fs
        .readFileSync(READ_ROWS, "utf8")
        .split("\n")
        .findIndex((text) => text.includes("fs.openSync(file")) + 1;

    // Act
    const run = runWithRegister([
      "-e",
      `require(${JSON.stringify(READ_ROWS)}).readRowsFromFile("/no/such/history.jsonl")`,
    ]);

    // Assess
    expect(line > 0, "read-rows.ts opens its input with fs.openSync").to.be.ok;
    expect(run.status).to.equal(1);
    expect(run.stderr).to.include(`${READ_ROWS}:${line}:`);
  });

  it("reads an unchanged file back from its cache and transpiles a changed one again", () => {
    // Prepare: a cache folder of its own, so no other run shares it
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "register-ts-"));
    const cache = path.join(dir, "cache");
    const env = { FRAUD_PIPELINE_TS_CACHE: cache };
    const script = path.join(dir, "script.ts");
    fs.writeFileSync(script, "const answer: number = 1;\nconsole.log(answer);\n");
    try {
      const first = runWithRegister([script], env);
      const [entry] = fs.readdirSync(cache);
      const entries = fs.readdirSync(cache);
      // The entry now says something the source does not: only a cache read can print it.
      fs.writeFileSync(path.join(cache, entry), 'console.log("from the cache");\n');

      // Act
      const unchanged = runWithRegister([script], env);
      fs.writeFileSync(script, "const answer: number = 2;\nconsole.log(answer);\n");
      const changed = runWithRegister([script], env);

      // Assess
      expect(first.stdout, first.stderr).to.equal("1\n");
      expect(entries, "one entry, no partial file left").to.have.length(1);
      expect(entry).to.match(/^[0-9a-f]{64}\.js$/);
      expect(unchanged.stdout, unchanged.stderr).to.equal("from the cache\n");
      expect(changed.stdout, changed.stderr).to.equal("2\n");
      expect(fs.readdirSync(cache), "the changed source's entry beside the first").to.have.length(2);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("still runs when the cache cannot be written, transpiling instead", () => {
    // Prepare: the cache path is a file, so no folder can be made there
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "register-ts-"));
    const blocked = path.join(dir, "not-a-folder");
    fs.writeFileSync(blocked, "");
    const script = path.join(dir, "script.ts");
    fs.writeFileSync(script, "const answer: number = 3;\nconsole.log(answer);\n");
    try {
      // Act
      const run = runWithRegister([script], { FRAUD_PIPELINE_TS_CACHE: path.join(blocked, "ts") });

      // Assess
      expect(run.status, run.stderr).to.equal(0);
      expect(run.stdout).to.equal("3\n");
      expect(fs.readdirSync(dir).sort()).to.deep.equal(["not-a-folder", "script.ts"]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
