import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { assert, expect } from "chai";
import { thresholdSweep } from "../../local/backtest/metrics";
import { runBacktest } from "../../local/backtest/run";
import { seededRandom } from "../../local/faults";
import { trainingSet } from "../../local/train/dataset";
import { type LogisticFit, predictProbability } from "../../local/train/fit";
import { main } from "../../local/train/main";
import { chooseThreshold, scoreOfProbability } from "../../local/train/model-file";
import { train } from "../../local/train/train";
import { FEATURE_NAMES } from "../../pipeline/runtime/detect/features/registry";
import { DAY_MS } from "../../pipeline/runtime/detect/merchant-risk";
import { parseFraudModel } from "../../pipeline/runtime/detect/model/format";
import { modelProbability, prepareModel } from "../../pipeline/runtime/detect/scoring/score";
import { captureOutput } from "../helpers/local";

const START = Date.UTC(2025, 2, 1);
const HOUR = 3_600_000;

type Row = Record<string, unknown> & { timestamp: number; is_fraud?: boolean };

/**
 * A small labelled history over `days`: accounts buying at their usual merchants by day, and about
 * 4% frauds that are larger, at night, at new merchants, with legitimate large purchases and
 * quiet frauds so the classes overlap. Sorted by time.
 */
function history(days: number, seed: number): Row[] {
  const random = seededRandom(seed);
  const rows: Row[] = [];
  for (let a = 0; a < 40; a++) {
    const usual = 1_000 + Math.floor(random() * 9_000);
    for (let t = 0; t < days * 1.5; t++) {
      const fraud = random() < 0.04;
      const big = fraud ? random() < 0.7 : random() < 0.03;
      const night = fraud ? random() < 0.6 : random() < 0.05;
      const hour = night ? 1 + random() * 4 : 9 + random() * 12;
      const day = Math.floor(random() * days);
      rows.push({
        transaction_id: `t-${a}-${t}`,
        account_id: `acct-${a}`,
        amount: Math.round(usual * (big ? 5 + random() * 10 : 0.5 + random())),
        currency: "USD",
        timestamp: START + day * DAY_MS + Math.floor(hour * HOUR),
        merchant_id: fraud && random() < 0.7 ? `m-new-${Math.floor(random() * 30)}` : `m-${a % 12}-${t % 3}`,
        is_fraud: fraud,
      });
    }
  }
  return rows.sort((x, y) => x.timestamp - y.timestamp);
}

function toLines(rows: readonly object[]): string {
  return rows.map((row) => `${JSON.stringify(row)}\n`).join("");
}

const OPTIONS = { labelDelayDays: 3, validationDays: 4, seed: 1 };

describe("Function: trainingSet", () => {
  it("trains only on rows whose label is known at the last row's time, and replays the rest", async () => {
    // Prepare: a third of the rows lose their label
    const rows: Row[] = history(14, 5).map((row, i) => {
      if (i % 3 !== 0) return row;
      const { is_fraud: _, ...unlabelled } = row;
      return unlabelled as Row;
    });
    const last = rows[rows.length - 1].timestamp;
    const known = rows.filter((r) => r.is_fraud !== undefined && r.timestamp + 3 * DAY_MS <= last);
    const pending = rows.filter((r) => r.is_fraud !== undefined && r.timestamp + 3 * DAY_MS > last);

    // Act
    const set = await trainingSet(rows, { labelDelayDays: 3 });

    // Assess
    expect(set.replayed).to.equal(rows.length);
    expect(set.knownAt).to.equal(last);
    expect(set.examples.x.rows).to.equal(known.length);
    expect(set.pendingLabels).to.equal(pending.length);
    expect(set.unlabelled).to.equal(rows.length - known.length - pending.length);
    expect(set.examples.x.columns).to.equal(FEATURE_NAMES.length);
    expect(Array.from(set.examples.y)).to.deep.equal(known.map((r) => (r.is_fraud ? 1 : 0)));
    expect(set.examples.timestamps.every((t) => t + 3 * DAY_MS <= last)).to.be.ok;
  });

  it("keeps the feature vectors the backtest computes for the same rows", async () => {
    // Prepare
    const rows = history(10, 9);

    // Act
    const set = await trainingSet(rows, { labelDelayDays: 2 });
    const backtest = await runBacktest(rows, { keepFeatures: true, labelDelayDays: 2 });

    // Assess: the training rows are the first rows of the replay (time order), vectors equal
    const width = FEATURE_NAMES.length;
    for (let i = 0; i < set.examples.x.rows; i++) {
      expect(Array.from(set.examples.x.values.subarray(i * width, (i + 1) * width))).to.deep.equal(
        Array.from(backtest.scored[i].features ?? []),
      );
    }
  });

  it("drops rows from the end time on before replaying (--until)", async () => {
    // Prepare
    const rows = history(14, 5);
    const end = START + 9 * DAY_MS;

    // Act
    const set = await trainingSet(rows, { labelDelayDays: 3, end });

    // Assess
    expect(set.replayed).to.equal(rows.filter((r) => r.timestamp < end).length);
    expect(set.knownAt < end).to.be.ok;
  });
});

describe("Function: train", () => {
  for (const kind of ["logistic-regression", "gradient-boosted-trees"] as const) {
    it(`ships a ${kind} model whose inference (modelProbability, the backtest's score) equals the fitter's predictions`, async () => {
      // Prepare
      const rows = history(16, 21);

      // Act
      const trained = await train(rows, { ...OPTIONS, kind });
      const model = parseFraudModel(trained.text, FEATURE_NAMES);
      const backtest = await runBacktest(rows, { model, keepFeatures: true, labelDelayDays: 3 });

      // Assess
      expect(model.kind).to.equal(kind);
      expect(trained.kind).to.equal(kind);
      const { x } = trained.set.examples;
      const prepared = prepareModel(model);
      let largest = 0;
      for (let i = 0; i < x.rows; i++) {
        const vector = x.values.slice(i * x.columns, (i + 1) * x.columns);
        const difference = Math.abs(modelProbability(prepared, vector) - trained.predict(x, i));
        largest = Math.max(largest, difference);
        expect(backtest.scored[i].assessment.score).to.equal(scoreOfProbability(trained.predict(x, i)));
      }
      expect(largest <= 1e-9, `largest difference ${largest}`).to.be.ok;
      expect(x.rows > 500).to.be.ok;
      if (kind === "logistic-regression") {
        expect(trained.predict(x, 0)).to.equal(predictProbability(trained.fit as LogisticFit, x, 0));
      }
    });
  }

  it("records the split, the threshold and the honest training window in the model", async () => {
    // Prepare
    const rows = history(16, 21);

    // Act
    const { model, set } = await train(rows, OPTIONS);

    // Assess
    const { training, validation } = model;
    expect(training.rows).to.equal(set.examples.x.rows);
    expect(training.rows).to.equal((validation.fitRows ?? 0) + validation.rows);
    expect(training.labelsKnownAt).to.equal(new Date(rows[rows.length - 1].timestamp).toISOString());
    expect(training.replayedRows).to.equal(rows.length);
    expect(training.labelDelayDays).to.equal(3);
    expect(validation.days).to.equal(4);
    expect(validation.from >= (validation.fitUntil ?? "") && validation.until === training.until).to.be.ok;
    expect(model.threshold > 0 && model.threshold < 100).to.be.ok;
    expect(model.threshold).to.equal(Math.round(model.threshold * 10_000) / 10_000);
    expect(typeof validation.rocAuc).to.equal("number");
    expect(training.shipped ?? "").to.match(/refit on all training rows/);
    expect(validation.basis ?? "").to.match(/threshold maximises F1/);
  });

  it("auto: measures both kinds on the held-out days and ships the higher average precision, saying why", async () => {
    // Prepare
    const rows = history(16, 21);

    // Act
    const auto = await train(rows, OPTIONS);
    const logistic = await train(rows, { ...OPTIONS, kind: "logistic-regression" });
    const trees = await train(rows, { ...OPTIONS, kind: "gradient-boosted-trees" });

    // Assess: each candidate's figures are those of its single-kind run; the winner's are the model's
    const { validation } = auto.model;
    const byKind = Object.fromEntries((validation.candidates ?? []).map((c) => [c.kind, c]));
    expect(Object.keys(byKind).sort()).to.deep.equal(["gradient-boosted-trees", "logistic-regression"]);
    for (const single of [logistic, trees]) {
      expect(byKind[single.model.kind].averagePrecision).to.equal(single.model.validation.averagePrecision);
      expect(byKind[single.model.kind].rocAuc).to.equal(single.model.validation.rocAuc);
    }
    const apOf = (t: typeof auto) => t.model.validation.averagePrecision ?? -1;
    const expected = apOf(trees) > apOf(logistic) ? trees : logistic;
    expect(auto.model.kind).to.equal(expected.model.kind);
    expect(validation.candidates?.[0].kind).to.equal(auto.model.kind);
    expect(validation.selection ?? "").to.match(
      new RegExp(`^${auto.model.kind} shipped: .*average precision`),
    );
    const { candidates: _, selection: __, ...figures } = validation;
    expect(figures).to.deep.equal(expected.model.validation);
    expect(auto.model.threshold).to.equal(expected.model.threshold);
    expect(logistic.model.validation.candidates, "a single kind records no comparison").to.equal(undefined);
  });

  it("records the trees' settings, and refuses nothing a logistic-regression file carried", async () => {
    // Prepare
    const rows = history(16, 21);

    // Act
    const { model } = await train(rows, { ...OPTIONS, kind: "gradient-boosted-trees" });

    // Assess
    expect(model.kind).to.equal("gradient-boosted-trees");
    if (model.kind !== "gradient-boosted-trees") return;
    expect(model.training.solver).to.equal("histogram-gradient-boosting");
    expect(model.trees.length).to.equal(model.training.iterations);
    expect([
      model.training.learningRate,
      model.training.maxDepth,
      model.training.maxBins,
      model.training.l2,
    ]).to.deep.equal([0.1, 4, 64, 1]);
    expect(model.trees.every((tree) => tree.feature.length <= 31)).to.be.ok;
  });
});

describe("Function: chooseThreshold", () => {
  it("picks the score with the highest F1 of any threshold, as the backtest's sweep measures it", () => {
    // Prepare
    const random = seededRandom(4);
    const rows = Array.from({ length: 2_000 }, () => {
      const label = random() < 0.05;
      return { label, score: Math.round((label ? 40 : 0) + random() * 60) };
    });
    const thresholds = [...new Set(rows.map((r) => r.score))];

    // Act
    const choice = chooseThreshold(rows);

    // Assess
    const sweep = thresholdSweep(rows, thresholds);
    const best = Math.max(...sweep.map((point) => point.f1 ?? 0));
    const atChoice = sweep.find((point) => point.threshold === choice?.threshold);
    assert.ok(choice !== null && atChoice !== undefined);
    expect(Math.abs(choice.f1 - best)).to.be.below(1e-12);
    expect(Math.abs((atChoice.f1 ?? 0) - choice.f1)).to.be.below(1e-12);
    expect(atChoice.flagged).to.equal(choice.flagged);
  });

  it("has no threshold without a fraud", () => {
    // Act and assess
    expect(chooseThreshold([{ score: 3, label: false }])).to.equal(null);
  });
});

describe("Function: main (train CLI)", () => {
  let dir: string;
  let file: string;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "fraud-train-"));
    file = path.join(dir, "history.jsonl");
    fs.writeFileSync(file, toLines(history(16, 21)));
  });

  afterEach(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("writes the same bytes twice (stable keys, trailing newline) and a summary line", async () => {
    // Prepare
    const first = path.join(dir, "first.json");
    const second = path.join(dir, "second.json");
    const args = ["--label-delay", "3", "--validation-days", "4"];

    // Act
    const run = await captureOutput(() => main([file, "--out", first, ...args]));
    await captureOutput(() => main([file, ...args, "--out", second, "--seed", "1", "--kind", "auto"]));

    // Assess
    expect(run.result, run.stderr).to.equal(0);
    expect(run.stdout).to.match(/^Wrote .*first\.json: \d+ training rows/);
    expect(run.stdout).to.match(/\n {2}candidates: (gradient-boosted-trees|logistic-regression) AP /);
    const text = fs.readFileSync(first);
    expect(text.equals(fs.readFileSync(second))).to.be.ok;
    expect(text.toString().endsWith("}\n")).to.be.ok;
    expect(() => parseFraudModel(text.toString(), FEATURE_NAMES)).not.to.throw();
  });

  const KEYS: Record<string, string[]> = {
    "logistic-regression": ["mean", "scale", "weights", "intercept"],
    "gradient-boosted-trees": ["baseScore", "trees"],
  };
  for (const [kind, parameters] of Object.entries(KEYS)) {
    it(`writes a ${kind} model with --kind ${kind}, keys in a stable order, the same bytes twice`, async () => {
      // Prepare
      const first = path.join(dir, "first.json");
      const second = path.join(dir, "second.json");
      const args = ["--label-delay", "3", "--validation-days", "4", "--kind", kind];

      // Act
      const run = await captureOutput(() => main([file, "--out", first, ...args]));
      await captureOutput(() => main([file, "--out", second, ...args]));

      // Assess
      expect(run.result, run.stderr).to.equal(0);
      expect(run.stdout).to.match(new RegExp(`shipped: ${kind}, refit on all`));
      const text = fs.readFileSync(first);
      expect(text.equals(fs.readFileSync(second))).to.be.ok;
      const keys = Object.keys(JSON.parse(text.toString()));
      expect(keys).to.deep.equal([
        "format",
        "version",
        "kind",
        "features",
        ...parameters,
        "threshold",
        "training",
        "validation",
      ]);
      expect(parseFraudModel(text.toString(), FEATURE_NAMES).kind).to.equal(kind);
    });
  }

  it("trains only on rows up to --until", async () => {
    // Prepare
    const out = path.join(dir, "model.json");

    // Act
    const { result: code } = await captureOutput(() =>
      main([file, "--out", out, "--until", "2025-03-12", "--label-delay", "3", "--validation-days", "2"]),
    );

    // Assess
    expect(code).to.equal(0);
    const { training } = JSON.parse(fs.readFileSync(out, "utf8"));
    expect(training.labelsKnownAt < "2025-03-13").to.be.ok;
    expect(training.until <= "2025-03-09", training.until).to.be.ok;
  });

  it("prints the usage for --help", async () => {
    // Act
    const { result: code, stdout } = await captureOutput(() => main(["--help"]));

    // Assess
    expect(code).to.equal(0);
    expect(stdout).to.match(/^Usage: npm run train -- FILE --out MODEL\.json/);
    expect(stdout).to.match(/--validation-days N/);
    expect(stdout).to.match(
      /--kind KIND +auto, logistic-regression or gradient-boosted-trees \(default auto\)/,
    );
  });

  const usageErrors: [string, string[], RegExp][] = [
    ["a missing --out", [], /^train: Missing --out MODEL\.json\n/],
    ["an unknown flag", ["--out", "m.json", "--epochs", "3"], /^train: Unexpected argument "--epochs"\n/],
    [
      "a bad --until",
      ["--out", "m.json", "--until", "2025-02-30"],
      /^train: --until must be a date as YYYY-MM-DD/,
    ],
    ["a zero --validation-days", ["--out", "m.json", "--validation-days", "0"], /must be more than 0/],
    ["a bad --seed", ["--out", "m.json", "--seed", "-1"], /^train: --seed must be a whole number/],
    [
      "an unknown --kind",
      ["--out", "m.json", "--kind", "forest"],
      /^train: --kind must be one of auto, logistic-regression, gradient-boosted-trees, got "forest"\n/,
    ],
    ["a --kind without a value", ["--out", "m.json", "--kind"], /^train: Option --kind needs a value\n/],
  ];
  for (const [what, args, message] of usageErrors) {
    it(`exits 2 with the message and usage for ${what}`, async () => {
      // Act
      const { result: code, stdout, stderr } = await captureOutput(() => main([file, ...args]));

      // Assess
      expect(code).to.equal(2);
      expect(stdout).to.equal("");
      expect(stderr).to.match(message);
      expect(stderr).to.match(/Usage: npm run train/);
    });
  }

  it("exits 1 with one line when no row's label is known yet", async () => {
    // Prepare: all rows within the label delay of the last one
    const recent = path.join(dir, "recent.jsonl");
    fs.writeFileSync(recent, toLines(history(2, 3)));
    const out = path.join(dir, "model.json");

    // Act
    const { result: code, stdout, stderr } = await captureOutput(() => main([recent, "--out", out]));

    // Assess
    expect(code).to.equal(1);
    expect(stdout).to.equal("");
    expect(stderr).to.match(/^train: .*recent\.jsonl: no labelled rows whose label is known by .*\n$/);
    expect(fs.existsSync(out)).to.equal(false);
  });

  it("exits 1 with one line for an unlabelled history", async () => {
    // Prepare
    const unlabelled = path.join(dir, "unlabelled.jsonl");
    fs.writeFileSync(unlabelled, toLines(history(16, 21).map(({ is_fraud: _, ...row }) => row)));

    // Act
    const { result: code, stderr } = await captureOutput(() =>
      main([unlabelled, "--out", path.join(dir, "m.json")]),
    );

    // Assess
    expect(code).to.equal(1);
    expect(stderr).to.match(/^train: .*no labelled rows .*\d+ unlabelled rows\)\n$/);
  });

  it("exits 1 with one line for an unreadable input file", async () => {
    // Act
    const { result: code, stderr } = await captureOutput(() =>
      main([path.join(dir, "missing.jsonl"), "--out", path.join(dir, "m.json")]),
    );

    // Assess
    expect(code).to.equal(1);
    expect(stderr).to.match(/^train: cannot read .*missing\.jsonl \(ENOENT\)\n$/);
  });

  it("exits 1 with one line when the model cannot be written", async () => {
    // Act
    const { result: code, stderr } = await captureOutput(() =>
      main([file, "--out", path.join(dir, "no-such-dir", "m.json"), "--label-delay", "3"]),
    );

    // Assess
    expect(code).to.equal(1);
    expect(stderr).to.match(/^train: cannot write the model file .*m\.json \(ENOENT\)\n$/);
  });
});
