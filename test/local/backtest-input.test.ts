import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { expect } from "chai";
import { inputProblem, parseRatioFlag } from "../../local/backtest/input-check";
import { main } from "../../local/backtest/main";
import { captureOutput } from "../helpers/local";

const NOW = Date.UTC(2025, 9, 1, 12);

function transaction(id: number): string {
  return JSON.stringify({
    transaction_id: `tx-${id}`,
    account_id: `acct-${id % 3}`,
    amount: 1000 + id,
    currency: "USD",
    timestamp: NOW + id * 60_000,
    merchant_id: "m-1",
  });
}

describe("Backtest CLI: input it cannot trust", () => {
  let dir: string;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "backtest-input-"));
  });

  afterEach(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("exits 1 with one line when no row is a valid transaction (a wrong CSV header)", async () => {
    // Prepare
    const file = path.join(dir, "wrong-header.csv");
    fs.writeFileSync(file, "id,acct,amt\n1,a,100\n2,b,200\n");

    // Act
    const { result, stdout, stderr } = await captureOutput(() => main([file]));

    // Assess
    expect(result).to.equal(1);
    expect(stdout).to.equal("");
    expect(stderr.trim().split("\n")).to.have.length(1);
    expect(stderr).to.match(
      /^backtest: nothing to replay: none of the 2 rows is a valid transaction \(line 2: /,
    );
  });

  it("exits 1 for an empty file", async () => {
    // Prepare
    const file = path.join(dir, "empty.jsonl");
    fs.writeFileSync(file, "");

    // Act
    const { result, stderr } = await captureOutput(() => main([file]));

    // Assess
    expect(result).to.equal(1);
    expect(stderr).to.equal("backtest: nothing to replay: the input holds no rows\n");
  });

  it("prints the report, then fails when invalid rows exceed --max-invalid-ratio", async () => {
    // Prepare: 3 valid rows, 2 garbage rows (40 %)
    const file = path.join(dir, "mostly-ok.jsonl");
    fs.writeFileSync(file, [transaction(1), "{}", transaction(2), "42", transaction(3)].join("\n"));

    // Act
    const strict = await captureOutput(() => main([file]));
    const lenient = await captureOutput(() => main([file, "--max-invalid-ratio", "0.5"]));

    // Assess
    expect(strict.result).to.equal(1);
    expect(strict.stdout).to.match(/rows read\s+5\s+\(replayed 3, invalid 2/);
    expect(strict.stderr).to.equal(
      "backtest: 2 of 5 rows (40.0 %) break the contract, more than --max-invalid-ratio 0.1: " +
        "fix the input, or raise the ratio to accept it\n",
    );
    expect(lenient.result).to.equal(0);
    expect(lenient.stderr).to.equal("");
  });

  it("refuses a ratio outside 0..1 with exit 2, naming the flag", async () => {
    // Act
    const { result, stderr } = await captureOutput(() => main(["x.jsonl", "--max-invalid-ratio", "1.5"]));

    // Assess
    expect(result).to.equal(2);
    expect(stderr).to.match(/^backtest: --max-invalid-ratio must be a number from 0 to 1, got "1.5"\n/);
  });
});

describe("Function: inputProblem", () => {
  it("accepts a share of invalid rows up to the ratio, inclusive", () => {
    const invalidRows = [{ line: 1, errors: ["bad"] }];
    expect(inputProblem({ rows: 10, replayed: 9, invalidRows }, 0.1)).to.equal(undefined);
    expect(inputProblem({ rows: 9, replayed: 8, invalidRows }, 0.1)).to.match(/^1 of 9 rows \(11\.1 %\)/);
  });

  it("parses ratios and names the flag otherwise", () => {
    expect(parseRatioFlag("--max-invalid-ratio", "0")).to.equal(0);
    expect(parseRatioFlag("--max-invalid-ratio", "")).to.match(/from 0 to 1/);
    expect(parseRatioFlag("--max-invalid-ratio", "abc")).to.match(/got "abc"/);
  });
});
