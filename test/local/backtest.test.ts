import * as fs from "node:fs";
import * as path from "node:path";
import { expect } from "chai";
import { main } from "../../local/backtest/main";
import { readRowsFromFile } from "../../local/backtest/read-rows";
import { runBacktest } from "../../local/backtest/run";
import { parseRulesConfig } from "../../pipeline/runtime/detect/config";
import { captureOutput, labelledScenario, removeDir, SCENARIO_RULES, tempDir, toCsv } from "../helpers/local";

const START = Date.UTC(2025, 0, 6, 9, 0, 0);

describe("Function: main (backtest CLI)", () => {
  let dir: string;
  let rulesFile: string;

  beforeEach(() => {
    dir = tempDir("fraud-backtest-");
    rulesFile = path.join(dir, "rules.json");
    fs.writeFileSync(rulesFile, JSON.stringify(SCENARIO_RULES));
  });

  afterEach(() => {
    removeDir(dir);
  });

  it("reports the exact confusion matrix, rule stats and bad lines as one JSON object", async () => {
    // Prepare
    const { rows, expected } = labelledScenario(START);
    const lines = rows.map((row) => JSON.stringify(row));
    lines.splice(2, 0, JSON.stringify({ ...rows[0], transaction_id: "bad-amount", amount: "12.34" }));
    lines.splice(5, 0, "{not json");
    const file = path.join(dir, "history.jsonl");
    const scoresFile = path.join(dir, "scores.jsonl");
    fs.writeFileSync(file, `${lines.join("\n")}\n`);

    // Act
    const { result, stdout } = await captureOutput(() =>
      main([file, "--json", "--rules", rulesFile, "--scores-out", scoresFile, "--threshold-sweep"]),
    );

    // Assess
    expect(result).to.equal(0);
    const report = JSON.parse(stdout);
    expect({ tp: report.tp, fp: report.fp, fn: report.fn, tn: report.tn }).to.deep.equal(expected);
    expect(report.rows).to.equal(rows.length + 2);
    expect(report.alerts).to.equal(expected.tp + expected.fp);
    expect(report.precision).to.equal(4 / 5);
    expect(report.recall).to.equal(4 / 8);
    for (const key of ["f1", "roc_auc", "average_precision"])
      expect(typeof report[key], key).to.equal("number");
    expect(report.invalid_rows.map((row: { line: number }) => row.line)).to.deep.equal([3, 6]);
    expect(report.invalid_rows[0].errors.join()).to.match(/^amount: /);
    expect(report.rules["card-testing"]).to.deep.equal({ hits: 1, precision: 1 });
    expect(report.rules["impossible-travel"]).to.deep.equal({ hits: 1, precision: 1 });
    expect(report.rules["high-amount"].hits).to.equal(2);
    expect(report.rules["high-amount"].precision).to.equal(0.5);
    expect(report.threshold_sweep.some((point: { threshold: number }) => point.threshold === 60)).to.be.ok;
    const scores = fs
      .readFileSync(scoresFile, "utf8")
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line));
    expect(scores.length).to.equal(rows.length);
    expect(Object.keys(scores[0]).sort()).to.deep.equal([
      "flagged",
      "reasons",
      "rules",
      "score",
      "transaction_id",
    ]);
    expect(
      scores
        .filter((s) => s.flagged)
        .map((s) => s.transaction_id)
        .sort(),
    ).to.deep.equal(["burst-12", "fraud-high", "legit-big", "test-large", "travel-london"]);
  });

  it("prints a human report with precision, recall and the confusion matrix", async () => {
    // Prepare
    const file = path.join(dir, "history.jsonl");
    fs.writeFileSync(
      file,
      labelledScenario(START)
        .rows.map((row) => JSON.stringify(row))
        .join("\n"),
    );

    // Act
    const { result, stdout } = await captureOutput(() => main([file, "--rules", rulesFile]));

    // Assess
    expect(result).to.equal(0);
    expect(stdout).to.match(/alerts\s+5 /);
    expect(stdout).to.match(/precision 0\.800\s+recall 0\.500/);
    expect(stdout).to.match(/fraud\s+4\s+4/);
    expect(stdout).to.match(/legitimate\s+1\s+92/);
  });

  it("prints one error line and exits 1 for a missing input file", async () => {
    // Act
    const { result, stdout, stderr } = await captureOutput(() => main([path.join(dir, "missing.jsonl")]));

    // Assess
    expect(result).to.equal(1);
    expect(stdout).to.equal("");
    expect(stderr).to.match(/^backtest: cannot read .*missing\.jsonl \(ENOENT\)\n$/);
  });

  it("prints one error line and exits 1 for an invalid rules file", async () => {
    // Prepare
    fs.writeFileSync(rulesFile, '{"threshold": "high"}');
    const file = path.join(dir, "history.jsonl");
    fs.writeFileSync(file, "");

    // Act
    const { result, stderr } = await captureOutput(() => main([file, "--rules", rulesFile]));

    // Assess
    expect(result).to.equal(1);
    expect(stderr.trim().split("\n").length).to.equal(1);
    expect(stderr).to.match(/threshold/);
  });
});

describe("Function: runBacktest", () => {
  let dir: string;

  beforeEach(() => {
    dir = tempDir("fraud-backtest-");
  });

  afterEach(() => {
    removeDir(dir);
  });

  it("gives the same matrix for CSV input (quoted fields, CRLF, location columns) as for objects", async () => {
    // Prepare
    const { rows, expected } = labelledScenario(START);
    const file = path.join(dir, "history.csv");
    fs.writeFileSync(file, toCsv(rows));
    const config = parseRulesConfig(JSON.stringify(SCENARIO_RULES));

    // Act
    const fromCsv = await runBacktest(readRowsFromFile(file), { config });
    const fromObjects = await runBacktest(rows, { config });

    // Assess
    expect(fromCsv.invalidRows).to.deep.equal([]);
    expect(fromCsv.confusion).to.deep.equal(expected);
    expect(fromObjects.confusion).to.deep.equal(expected);
    expect(fromCsv.rules["impossible-travel"].hits).to.equal(1);
  });

  it("reports a CSV row with the wrong number of fields or a bad label by its line and goes on", async () => {
    // Prepare
    const file = path.join(dir, "rows.csv");
    fs.writeFileSync(
      file,
      [
        "transaction_id,account_id,amount,currency,timestamp,merchant_id,is_fraud",
        `t1,a1,100,USD,${START},m1,0`,
        "t2,a1,100",
        `t3,a1,100,USD,${START + 1},m1,maybe`,
        `t4,a1,1e3,USD,${START + 2},m2,1`,
      ].join("\n"),
    );

    // Act
    const result = await runBacktest(readRowsFromFile(file));

    // Assess
    expect(result.rows).to.equal(4);
    expect(result.replayed).to.equal(2);
    expect(result.invalidRows.map((row) => row.line)).to.deep.equal([3, 4]);
    expect(result.labelled).to.equal(2);
  });

  it("replays a repeated (transaction_id, timestamp) once and reports the repeat by line", async () => {
    // Prepare
    const tx = {
      transaction_id: "t1",
      account_id: "a1",
      amount: 100,
      currency: "USD",
      timestamp: START,
      merchant_id: "m1",
    };

    // Act
    const result = await runBacktest([tx, { ...tx }]);

    // Assess
    expect(result.replayed).to.equal(1);
    expect(result.duplicateLines).to.deep.equal([2]);
  });
});
