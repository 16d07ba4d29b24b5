import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { expect } from "chai";

const ROOT = path.resolve(__dirname, "../..");
const READ_ROWS = path.join(ROOT, "local/backtest/read-rows.ts");
const CACHE_DIR = path.join(ROOT, "node_modules/.cache/fraud-pipeline/ts");

/** The cache's file names now. */
function cacheEntries(): Set<string> {
  return new Set(fs.existsSync(CACHE_DIR) ? fs.readdirSync(CACHE_DIR) : []);
}

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

  it("reads an unchanged file back from its cache and transpiles a changed one again", () => {
    // Prepare: a script of its own, so no other run shares its cache entry
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "register-ts-"));
    const script = path.join(dir, "script.ts");
    fs.writeFileSync(script, "const answer: number = 1;\nconsole.log(answer);\n");
    const before = cacheEntries();
    try {
      const first = runWithRegister([script]);
      const added = [...cacheEntries()].filter((name) => !before.has(name));
      // The entry now says something the source does not: only a cache read can print it.
      fs.writeFileSync(path.join(CACHE_DIR, added[0]), 'console.log("from the cache");\n');

      // Act
      const unchanged = runWithRegister([script]);
      fs.writeFileSync(script, "const answer: number = 2;\nconsole.log(answer);\n");
      const changed = runWithRegister([script]);

      // Assess
      expect(first.stdout, first.stderr).to.equal("1\n");
      expect(added, "one new cache entry").to.have.length(1);
      expect(unchanged.stdout, unchanged.stderr).to.equal("from the cache\n");
      expect(changed.stdout, changed.stderr).to.equal("2\n");
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
      for (const name of cacheEntries()) if (!before.has(name)) fs.rmSync(path.join(CACHE_DIR, name));
    }
  });
});
