import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { expect } from "chai";

const ROOT = path.resolve(__dirname, "../..");
const READ_ROWS = path.join(ROOT, "local/backtest/read-rows.ts");

/** Runs `node -r ./local/register-ts.js ...args` from the project root. */
function runWithRegister(args: string[]) {
  return spawnSync(process.execPath, ["-r", "./local/register-ts.js", ...args], {
    cwd: ROOT,
    encoding: "utf8",
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
});
