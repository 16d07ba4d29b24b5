import { expect } from "chai";
import { type BacktestFigure, measureBacktest } from "../../bench/backtest";
import { reportTables } from "../../bench/report";

describe("Function: measureBacktest (smoke, no figure asserted)", function () {
  // Two backtests in process, an in-process training, one `npm run train` process, then a warm-up
  // and two alternating rounds of `npm run backtest` processes without and with the model.
  this.timeout(120_000);
  let figure: BacktestFigure;

  before(async () => {
    figure = await measureBacktest(2_000, () => {}, 2);
  });

  it("times a backtest with the default score, then one with the model npm run train wrote", () => {
    // Assess
    expect(figure.runs.map((run) => run.scorer)).to.deep.equal(["default", "model"]);
    for (const run of figure.runs) {
      expect(run.backtestMs > 0 && run.rowsPerSec > 0, `${run.scorer}: positive time and rows/s`).to.be.ok;
    }
    expect(figure.rows >= 2_000 && figure.fraudRows > 0 && figure.fileBytes > 0).to.be.ok;
  });

  it("times npm run backtest as a fresh process in alternating rounds, with the default score and with the model, each counting the same alerts", () => {
    // Assess
    for (const cli of [figure.cli, figure.cliWithModel]) {
      expect(cli.roundsMs).to.have.length(2);
      expect(cli.wallMs).to.be.within(Math.min(...cli.roundsMs), Math.max(...cli.roundsMs));
      expect(cli.wallMs > 0 && cli.rowsPerSec > 0).to.be.ok;
      expect(cli.sameAlerts).to.equal(true);
    }
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
      expect(value > 0, `${name} is positive, got ${value}`).to.be.ok;
    }
    expect(t.cliSameModel).to.equal(true);
    expect(t.cliSummary).to.match(/^Wrote /);
  });

  it("reports the backtest and the training as tables 5 and 5b, with the goal", () => {
    // Act
    const tables = reportTables({ backtest: figure });

    // Assess
    expect(tables.map((table) => table.title.split(" ")[0])).to.deep.equal(["5.", "5b."]);
    expect(tables[0].rows.map((row) => row[0])).to.deep.equal([
      "default score",
      `model, ${figure.training.kind === "logistic-regression" ? "logistic" : "trees"} (trained on this file)`,
    ]);
    const goal = tables[0].notes?.find((note) => note.startsWith("Goal: at least 50,000 rows/s"));
    expect(goal).to.match(
      /as npm run backtest, start-up included: [\d,]+ rows\/s with the default score \((met|NOT met)\); [\d,]+ rows\/s with the model \((met|NOT met)\)\./,
    );
    expect(
      tables[0].notes?.some((note) => note.startsWith("npm run backtest -- FILE --json as a fresh process")),
    ).to.be.ok;
    expect(tables[1].title).to.match(/^5b\. Train time for 2,\d{3} rows/);
  });

  it("refuses a CLI round count that is not a whole number from 1, naming it", async () => {
    // Act
    const refused = await measureBacktest(2_000, () => {}, 1.5).then(
      () => undefined,
      (error: Error) => error.message,
    );

    // Assess
    expect(refused).to.equal("measureBacktest: cliRounds must be a whole number from 1, got 1.5");
  });
});
