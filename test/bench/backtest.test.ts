import assert from "node:assert/strict";
import { type BacktestFigure, measureBacktest } from "../../bench/backtest";
import { reportTables } from "../../bench/report";

describe("Function: measureBacktest (smoke, no figure asserted)", function () {
  // Two backtests, an in-process training and one `npm run train` process (ts-node start included).
  this.timeout(120_000);
  let figure: BacktestFigure;

  before(async () => {
    figure = await measureBacktest(2_000);
  });

  it("times a backtest with the default score, then one with the model npm run train wrote", () => {
    // Assess
    assert.deepEqual(
      figure.runs.map((run) => run.scorer),
      ["default", "model"],
    );
    for (const run of figure.runs) {
      assert.ok(run.backtestMs > 0 && run.rowsPerSec > 0, `${run.scorer}: positive time and rows/s`);
    }
    assert.ok(figure.rows >= 2_000 && figure.fraudRows > 0 && figure.fileBytes > 0);
  });

  it("times training in process (replay and fit apart) and with the CLI, which writes the same model", () => {
    // Assess
    const t = figure.training;
    for (const [name, value] of Object.entries({
      trainMs: t.trainMs,
      replayMs: t.replayMs,
      fitMs: t.fitMs,
      rowsPerSec: t.rowsPerSec,
      cliMs: t.cliMs,
      trainingRows: t.trainingRows,
      trainingFrauds: t.trainingFrauds,
    })) {
      assert.ok(value > 0, `${name} is positive, got ${value}`);
    }
    assert.equal(t.cliSameModel, true);
    assert.match(t.cliSummary, /^Wrote /);
  });

  it("reports the backtest and the training as tables 5 and 5b, with the goal", () => {
    // Act
    const tables = reportTables({ backtest: figure });

    // Assess
    assert.deepEqual(
      tables.map((table) => table.title.split(" ")[0]),
      ["5.", "5b."],
    );
    assert.deepEqual(
      tables[0].rows.map((row) => row[0]),
      [
        "default score",
        `model, ${figure.training.kind === "logistic-regression" ? "logistic" : "trees"} (trained on this file)`,
      ],
    );
    assert.ok(tables[0].notes?.some((note) => note.startsWith("Goal: at least 50,000 rows/s")));
    assert.match(tables[1].title, /^5b\. Train time for 2,\d{3} rows/);
  });
});
