import * as fs from "node:fs";
import * as path from "node:path";
import { expect } from "chai";
import { main } from "../../local/backtest/main";
import { replay } from "../../local/backtest/replay";
import { runBacktest } from "../../local/backtest/run";
import type { Transaction } from "../../pipeline/runtime/contract/transaction";
import { DEFAULT_RULES_CONFIG } from "../../pipeline/runtime/detect/config";
import { FEATURE_NAMES } from "../../pipeline/runtime/detect/features/registry";
import { captureOutput, removeDir, tempDir } from "../helpers/local";
import { fraudModel, treesModel } from "../helpers/model";
import { validTransaction } from "../helpers/transactions";

const DAY_MS = 86_400_000;
const START = Date.UTC(2025, 0, 6, 9, 0, 0);
const FRAUDS_7D = FEATURE_NAMES.indexOf("merchant_frauds_7d");

/** Day-by-day purchases at one merchant by different accounts; the first one is labelled fraud. */
function merchantDays(days: number, firstLabel: boolean | undefined) {
  return Array.from({ length: days }, (_, day) => ({
    line: day + 1,
    tx: validTransaction({
      transaction_id: `tx-${day}`,
      account_id: `acc-${day}`,
      timestamp: START + day * DAY_MS,
      merchant_id: "merchant-x",
    }) as Transaction,
    label: day === 0 ? firstLabel : false,
  }));
}

function frauds7d(rows: ReturnType<typeof merchantDays>, labelDelayDays: number): number[] {
  const { replayed } = replay(rows, {
    scoring: { config: DEFAULT_RULES_CONFIG },
    labelDelayMs: labelDelayDays * DAY_MS,
    keepFeatures: true,
  });
  return replayed.map((row) => row.features?.[FRAUDS_7D] ?? Number.NaN);
}

describe("Function: replay (label delay)", () => {
  it("changes nothing before a label's delay has passed: an early label is as if absent", () => {
    // Prepare
    const labelled = merchantDays(10, true);
    const unlabelled = merchantDays(10, undefined);

    // Act
    const withLabel = replay(labelled, {
      scoring: { config: DEFAULT_RULES_CONFIG },
      labelDelayMs: 7 * DAY_MS,
    });
    const without = replay(unlabelled, {
      scoring: { config: DEFAULT_RULES_CONFIG },
      labelDelayMs: 7 * DAY_MS,
    });

    // Assess: days 1..6 score the same; from day 7 the fraud is known to the merchant profile
    const scores = (r: typeof withLabel) => r.replayed.map((row) => row.assessment.score);
    expect(scores(withLabel).slice(0, 7)).to.deep.equal(scores(without).slice(0, 7));
    expect(scores(withLabel)[7] > scores(without)[7], "the label counts once it has arrived").to.be.ok;
  });

  it("counts the fraud at the merchant on the day its label arrives, never earlier", () => {
    // Act
    const counts = frauds7d(merchantDays(12, true), 3);

    // Assess: known from day 3 on; the 7-day window forgets it after day 9
    expect(counts).to.deep.equal([0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 0, 0]);
  });

  it("never counts a legitimate label as a fraud", () => {
    // Act
    const counts = frauds7d(merchantDays(10, false), 0);

    // Assess
    expect(counts.every((count) => count === 0)).to.be.ok;
  });
});

describe("Function: replay (repeats and order)", () => {
  it("skips a repeated (transaction_id, timestamp) but replays the same id at another time, in time order", () => {
    // Prepare: out of order on purpose; lines 2 and 4 repeat keys
    const at = (line: number, id: string, offset: number) => ({
      line,
      tx: validTransaction({ transaction_id: id, timestamp: START + offset }),
    });
    const rows = [at(1, "a", 2_000), at(2, "a", 2_000), at(3, "a", 1_000), at(4, "a", 1_000), at(5, "b", 0)];

    // Act
    const { replayed, duplicates } = replay(rows, {
      scoring: { config: DEFAULT_RULES_CONFIG },
      labelDelayMs: 0,
    });

    // Assess
    expect(replayed.map((row) => row.line)).to.deep.equal([5, 3, 1]);
    expect(duplicates).to.deep.equal([4, 2]);
  });
});

describe("Function: runBacktest (walk-forward options)", () => {
  it("measures only the labelled rows from `from` on, and reports precision at the top accounts per day", async () => {
    // Prepare
    const rows = merchantDays(10, true).map((row) => ({ ...row.tx, is_fraud: row.label }));

    // Act
    const all = await runBacktest(rows);
    const late = await runBacktest(rows, { from: START + 5 * DAY_MS });

    // Assess
    expect(all.labelled).to.equal(10);
    expect(late.labelled).to.equal(5);
    expect(late.replayed, "earlier rows still warm up history and profiles").to.equal(10);
    expect(late.measured, "alerts and the alert rate count the measured rows only").to.equal(5);
    expect(all.labelDelayDays).to.equal(7);
    expect(all.precisionAtTop100PerDay, "one account a day, one fraudulent day in ten").to.equal(0.1);
    expect(late.precisionAtTop100PerDay).to.equal(0);
  });

  it("scores with a model when given one and reports its threshold", async () => {
    // Prepare
    const model = fraudModel({ amount_log: { weight: 1, mean: 0, scale: 1 } }, { threshold: 42 });
    const rows = merchantDays(3, true).map((row) => ({ ...row.tx, is_fraud: row.label }));

    // Act
    const result = await runBacktest(rows, { model, keepRows: true });

    // Assess
    expect(result.scorer).to.equal("model");
    expect(result.threshold).to.equal(42);
    expect(result.scored.every((row) => row.assessment.scorer === "model")).to.be.ok;
  });

  it("measures the same with reasons worded (rows handed out) as without (the score-only path)", async () => {
    // Prepare: amounts that vary by day, and a trees model on the amount and the merchant's frauds
    const model = treesModel(
      [
        [
          { feature: "amount_log", threshold: 8, left: 1, right: 2, value: 0.1 },
          { feature: null, value: -0.7 },
          { feature: "merchant_frauds_7d", threshold: 0.5, left: 3, right: 4, value: 0.6 },
          { feature: null, value: 0.3 },
          { feature: null, value: 1.9 },
        ],
      ],
      { baseScore: -1.2, threshold: 40 },
    );
    const rows = merchantDays(12, true).map((row, day) => ({
      ...row.tx,
      amount: 1_000 + ((day * 7_919) % 9_000_00),
      is_fraud: day % 4 === 0,
    }));
    const handedOut: (readonly string[])[] = [];

    // Act
    const bare = await runBacktest(rows, { model, sweepThresholds: [10, 40, 70] });
    const kept = await runBacktest(rows, { model, sweepThresholds: [10, 40, 70], keepRows: true });
    const written = await runBacktest(rows, {
      model,
      sweepThresholds: [10, 40, 70],
      onScored: (row) => handedOut.push(row.assessment.reasons),
    });

    // Assess
    expect({ ...kept, scored: undefined }).to.deep.equal(bare);
    expect(written).to.deep.equal(bare);
    expect(
      new Set(kept.scored.map((row) => row.assessment.score)).size,
      "the rows score apart",
    ).to.be.greaterThan(1);
    expect(
      handedOut.some((reasons) => reasons.length > 0),
      "rows handed out carry their reasons",
    ).to.be.ok;
  });

  it("keeps rows without reasons under skipReasons (training), their scores and features the same", async () => {
    // Prepare: the default score, whose reasons are worded when kept
    const rows = merchantDays(12, true).map((row, day) => ({
      ...row.tx,
      amount: 1_000 + ((day * 7_919) % 9_000_00),
      is_fraud: day % 4 === 0,
    }));

    // Act
    const worded = await runBacktest(rows, { keepFeatures: true });
    const skipped = await runBacktest(rows, { keepFeatures: true, skipReasons: true });

    // Assess
    expect(worded.scored.some((row) => row.assessment.reasons.length > 0)).to.be.ok;
    expect(skipped.scored.every((row) => row.assessment.reasons.length === 0)).to.be.ok;
    expect(skipped.scored).to.deep.equal(
      worded.scored.map((row) => ({ ...row, assessment: { ...row.assessment, reasons: [] } })),
    );
    expect({ ...skipped, scored: undefined }).to.deep.equal({ ...worded, scored: undefined });
  });
});

describe("Function: main (backtest CLI, walk-forward flags)", () => {
  let dir: string;

  beforeEach(() => {
    dir = tempDir("fraud-walk-forward-");
  });

  afterEach(() => {
    removeDir(dir);
  });

  function writeRows(): string {
    const file = path.join(dir, "history.jsonl");
    const rows = merchantDays(4, true).map((row) => JSON.stringify({ ...row.tx, is_fraud: row.label }));
    fs.writeFileSync(file, `${rows.join("\n")}\n`);
    return file;
  }

  it("accepts --model, --label-delay and --from and reports them", async () => {
    // Prepare
    const modelFile = path.join(dir, "model.json");
    fs.writeFileSync(modelFile, JSON.stringify(fraudModel({}, { threshold: 30 })));

    // Act
    const { result, stdout } = await captureOutput(() =>
      main([writeRows(), "--model", modelFile, "--label-delay", "2", "--from", "2025-01-07", "--json"]),
    );

    // Assess
    expect(result).to.equal(0);
    const report = JSON.parse(stdout);
    expect(report.scorer).to.equal("model");
    expect(report.label_delay_days).to.equal(2);
    expect(report.from).to.equal("2025-01-07");
    expect(report.labelled).to.equal(3);
    expect(report.threshold).to.equal(30);
  });

  it("fails with one line naming the model file and the problem", async () => {
    // Prepare
    const modelFile = path.join(dir, "model.json");
    fs.writeFileSync(modelFile, JSON.stringify({ ...fraudModel({}), features: ["amount"] }));

    // Act
    const { result, stderr } = await captureOutput(() => main([writeRows(), "--model", modelFile]));

    // Assess
    expect(result).to.equal(1);
    expect(stderr.trim().split("\n").length).to.equal(1);
    expect(stderr).to.match(
      /model\.json: Fraud model features do not match this version's features \(missing amount_log/,
    );
  });

  for (const [flag, value, message] of [
    ["--label-delay", "-1", /--label-delay must be a number of days between 0 and 120, got "-1"/],
    ["--from", "2025-02-30", /--from must be a date as YYYY-MM-DD, got "2025-02-30"/],
    ["--model", undefined, /Option --model needs a value/],
  ] as const) {
    it(`rejects ${flag} ${value ?? "without a value"} with exit code 2`, async () => {
      // Act
      const args = value === undefined ? [writeRows(), flag] : [writeRows(), flag, value];
      const { result, stderr } = await captureOutput(() => main(args));

      // Assess
      expect(result).to.equal(2);
      expect(stderr).to.match(message);
    });
  }
});
