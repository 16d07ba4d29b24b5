import { expect } from "chai";
import { rocAuc } from "../../local/backtest/metrics";
import { seededRandom } from "../../local/faults";
import { fitLogistic, type Matrix, predictProbability } from "../../local/train/fit";
import {
  binEdges,
  binOf,
  fitBoostedTrees,
  predictBoostedLogOdds,
  predictBoostedProbability,
} from "../../local/train/gbdt";
import { assembleTreesModel, modelText } from "../../local/train/model-file";
import { FEATURE_NAMES } from "../../pipeline/runtime/detect/features/registry";
import { parseFraudModel } from "../../pipeline/runtime/detect/model/format";
import { flattenTrees, treesAttribution, treesLogOdds } from "../../pipeline/runtime/detect/model/trees";
import { modelProbability, prepareModel } from "../../pipeline/runtime/detect/scoring/score";
import { thrownBy } from "../helpers/expect";

/**
 * Rows over the registry's width: column 0 uniform on [−5, 5], column 1 a few integers, the rest
 * noise; `label` decides y from column 0, with 2% of labels flipped.
 */
function sample(rows: number, seed: number, label: (x0: number) => boolean): { x: Matrix; y: Uint8Array } {
  const random = seededRandom(seed);
  const columns = FEATURE_NAMES.length;
  const values = new Float64Array(rows * columns);
  const y = new Uint8Array(rows);
  for (let i = 0; i < rows; i++) {
    const o = i * columns;
    values[o] = -5 + 10 * random();
    values[o + 1] = Math.floor(random() * 4);
    for (let j = 2; j < columns; j++) values[o + j] = random() * 100;
    const truth = label(values[o]);
    y[i] = (random() < 0.02 ? !truth : truth) ? 1 : 0;
  }
  return { x: { rows, columns, values }, y };
}

function auc(predict: (i: number) => number, y: Uint8Array): number {
  return rocAuc(Array.from(y, (label, i) => ({ score: predict(i), label: label === 1 }))) ?? Number.NaN;
}

const TRAINING = { from: "2025-10-01", until: "2025-10-21", rows: 1, frauds: 1, labelDelayDays: 7, seed: 1 };
const VALIDATION = {
  from: "2025-10-22",
  until: "2025-10-28",
  rows: 1,
  frauds: 1,
  rocAuc: null,
  averagePrecision: null,
};

describe("Function: binEdges", () => {
  it("keeps every distinct value but the largest as an edge when there are few", () => {
    // Act
    const [edges] = binEdges({ rows: 5, columns: 1, values: Float64Array.of(3, 1, 2, 2, 3) }, 64);

    // Assess
    expect(Array.from(edges)).to.deep.equal([1, 2]);
    expect([1, 2, 3, 0.5, 9].map((v) => binOf(edges, v))).to.deep.equal([0, 1, 2, 0, 2]);
  });

  it("cuts many values at most maxBins ways at real data values, one edge for a heavy point mass", () => {
    // Prepare: 90% zeros, the rest spread out
    const random = seededRandom(3);
    const values = Float64Array.from({ length: 10_000 }, () => (random() < 0.9 ? 0 : random() * 1_000));

    // Act
    const [edges] = binEdges({ rows: values.length, columns: 1, values }, 64);

    // Assess
    expect(edges.length <= 63 && edges.length >= 5, `${edges.length} edges`).to.be.ok;
    expect(edges[0]).to.equal(0);
    expect(edges.every((e, i) => i === 0 || e > edges[i - 1])).to.be.ok;
    expect(Array.from(edges).every((e) => values.includes(e))).to.be.ok;
    for (const v of values.subarray(0, 500)) {
      const b = binOf(edges, v);
      expect(b === edges.length || v <= edges[b]).to.be.ok;
      expect(b === 0 || v > edges[b - 1]).to.be.ok;
    }
  });
});

describe("Function: fitBoostedTrees", () => {
  it("learns a two-sided threshold (|x0| > 3) that logistic regression cannot rank", () => {
    // Prepare
    const train = sample(4_000, 11, (x0) => Math.abs(x0) > 3);
    const test = sample(2_000, 12, (x0) => Math.abs(x0) > 3);

    // Act
    const trees = fitBoostedTrees(train.x, train.y, { trees: 50 });
    const logistic = fitLogistic(train.x, train.y, { l2: 1 });

    // Assess
    const treesAuc = auc((i) => predictBoostedProbability(trees, test.x, i), test.y);
    const logisticAuc = auc((i) => predictProbability(logistic, test.x, i), test.y);
    expect(treesAuc > 0.97, `trees ROC AUC ${treesAuc}`).to.be.ok;
    expect(logisticAuc < 0.65, `logistic ROC AUC ${logisticAuc}`).to.be.ok;
    const at = (x0: number) => {
      const row = new Float64Array(FEATURE_NAMES.length);
      row[0] = x0;
      return predictBoostedProbability(trees, { rows: 1, columns: row.length, values: row }, 0);
    };
    expect(at(4) > 0.5 && at(-4) > 0.5 && at(0) < 0.2, `${at(4)} ${at(-4)} ${at(0)}`).to.be.ok;
  });

  it("learns y = x0 > 3 with a root split at a data value next to 3", () => {
    // Prepare
    const { x, y } = sample(3_000, 5, (x0) => x0 > 3);

    // Act
    const fit = fitBoostedTrees(x, y, { trees: 5, maxDepth: 1 });

    // Assess: a stump on x0; its threshold is a training value (within a bin's width of 3)
    const [first] = fit.trees;
    expect(first.feature[0]).to.equal(0);
    expect(Math.abs(first.threshold[0] - 3) < 0.25, `threshold ${first.threshold[0]}`).to.be.ok;
    expect(Array.from(x.values).includes(first.threshold[0])).to.be.ok;
    expect(first.value[2] > 0 && first.value[1] < 0).to.be.ok;
  });

  it("respects the depth, keeps children after their parents and each child's hessian at least the minimum", () => {
    // Prepare
    const { x, y } = sample(3_000, 7, (x0) => Math.abs(x0) > 3);

    // Act
    const fit = fitBoostedTrees(x, y, { trees: 20, maxDepth: 3, minChildHessian: 5 });

    // Assess
    for (const tree of fit.trees) {
      expect(tree.feature.length <= 15).to.be.ok;
      tree.left.forEach((child, n) => {
        if (tree.feature[n] >= 0) expect(child > n && tree.right[n] > n).to.be.ok;
        else expect(child === -1 && tree.right[n] === -1).to.be.ok;
      });
    }
    expect(fit.trees.length).to.equal(20);
    expect(fit.iterations).to.equal(20);
  });

  it("lowers the training log-loss as trees are added", () => {
    // Prepare
    const { x, y } = sample(2_000, 9, (x0) => Math.abs(x0) > 3);

    // Act
    const losses = [1, 10, 40].map((trees) => fitBoostedTrees(x, y, { trees }).loss);

    // Assess
    expect(losses[0] > losses[1] && losses[1] > losses[2], losses.join(" > ")).to.be.ok;
  });

  it("is deterministic: the same rows give the same trees, bit for bit", () => {
    // Prepare
    const { x, y } = sample(2_000, 13, (x0) => x0 > 1);

    // Act
    const first = fitBoostedTrees(x, y, { trees: 30 });
    const second = fitBoostedTrees(x, y, { trees: 30 });

    // Assess
    expect(first).to.deep.equal(second);
  });

  it("rejects a single class", () => {
    // Prepare
    const { x } = sample(10, 1, () => false);

    // Act and assess
    expect(String(thrownBy(() => fitBoostedTrees(x, new Uint8Array(10))))).to.match(
      /both classes are needed/,
    );
  });
});

describe("Trees inference against the trainer", () => {
  it("scores every row as the trainer predicts it (1e-9) and its attribution sums to the log-odds", () => {
    // Prepare: a fit written to MODEL.json text and parsed back as the stack would
    const { x, y } = sample(3_000, 17, (x0) => Math.abs(x0) > 2.5);
    const fit = fitBoostedTrees(x, y, { trees: 60 });
    const text = modelText(assembleTreesModel(fit, 50, TRAINING, VALIDATION));
    const model = parseFraudModel(text, FEATURE_NAMES);
    expect(model.kind).to.equal("gradient-boosted-trees");
    if (model.kind !== "gradient-boosted-trees") return;

    // Act and assess
    const prepared = prepareModel(model);
    const flat = flattenTrees(model);
    let largest = 0;
    let largestGap = 0;
    for (let i = 0; i < x.rows; i++) {
      const vector = x.values.slice(i * x.columns, (i + 1) * x.columns);
      largest = Math.max(
        largest,
        Math.abs(modelProbability(prepared, vector) - predictBoostedProbability(fit, x, i)),
      );
      const z = treesLogOdds(flat, vector);
      expect(Math.abs(z - predictBoostedLogOdds(fit, x, i)) <= 1e-9).to.be.ok;
      const { bias, contributions, logOdds } = treesAttribution(flat, vector);
      expect(logOdds).to.equal(z);
      const total = bias + contributions.reduce((sum, c) => sum + c, 0);
      largestGap = Math.max(largestGap, Math.abs(total - z));
    }
    expect(largest <= 1e-9, `largest probability difference ${largest}`).to.be.ok;
    expect(largestGap <= 1e-9, `largest attribution gap ${largestGap}`).to.be.ok;
  });

  it("writes the node arrays one line each and reads back the same trees", () => {
    // Prepare
    const { x, y } = sample(1_000, 19, (x0) => x0 > 0);
    const fit = fitBoostedTrees(x, y, { trees: 3, maxDepth: 2 });

    // Act
    const text = modelText(assembleTreesModel(fit, 50, TRAINING, VALIDATION));

    // Assess
    expect(text).to.match(/\n {6}"feature": \[-?\d+(,-?\d+)*\],\n/);
    const parsed = JSON.parse(text);
    expect(parsed.trees).to.deep.equal(fit.trees);
    expect(parsed.baseScore).to.equal(fit.baseScore);
  });
});
