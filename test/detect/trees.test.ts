import { expect } from "chai";
import fc from "fast-check";
import { assessTransaction } from "../../pipeline/runtime/detect/assess";
import { DEFAULT_RULES_CONFIG } from "../../pipeline/runtime/detect/config";
import { FEATURE_NAMES } from "../../pipeline/runtime/detect/features/registry";
import {
  type GradientBoostedTreesModel,
  parseFraudModel,
  type RegressionTree,
} from "../../pipeline/runtime/detect/model/format";
import { flattenTrees, treesAttribution, treesLogOdds } from "../../pipeline/runtime/detect/model/trees";
import {
  modelProbability,
  modelScore,
  modelScoreOnly,
  type PreparedModel,
  prepareModel,
} from "../../pipeline/runtime/detect/scoring/score";
import { current, series } from "../helpers/detect";
import { thrownBy } from "../helpers/expect";
import { fraudModel, type TreeNode, treesDocument, treesModel } from "../helpers/model";

const HOUR_MS = 3_600_000;
const A = "amount_log";
const B = FEATURE_NAMES.find((name) => name !== A) ?? "";
const IA = FEATURE_NAMES.indexOf(A);
const IB = FEATURE_NAMES.indexOf(B);

/** Root on A at 7; its right child splits on B at 0.5. */
const FIRST: readonly TreeNode[] = [
  { feature: A, threshold: 7, left: 1, right: 2, value: 0.1 },
  { feature: null, value: -0.3 },
  { feature: B, threshold: 0.5, left: 3, right: 4, value: 0.5 },
  { feature: null, value: 0.4 },
  { feature: null, value: 0.9 },
];
const STUMP: readonly TreeNode[] = [{ feature: null, value: 0.05 }];

function trees(): GradientBoostedTreesModel {
  return treesModel([FIRST, STUMP], { baseScore: -2 }) as GradientBoostedTreesModel;
}

/** The leaf `vector` reaches in one parsed tree, walked over its own arrays: the reference for the flat walk. */
function leafOf(tree: RegressionTree, vector: Float64Array): number {
  let node = 0;
  while (tree.feature[node] >= 0) {
    node = vector[tree.feature[node]] <= tree.threshold[node] ? tree.left[node] : tree.right[node];
  }
  return node;
}

/** The parsed trees' log-odds by {@link leafOf}, added in tree order: what the flat walk must equal. */
function referenceLogOdds(model: GradientBoostedTreesModel, vector: Float64Array): number {
  let z = model.baseScore;
  for (const tree of model.trees) z += tree.value[leafOf(tree, vector)];
  return z;
}

function vector(a: number, b: number): Float64Array {
  const v = new Float64Array(FEATURE_NAMES.length);
  v[IA] = a;
  v[IB] = b;
  return v;
}

describe("Function: treesLogOdds and treesAttribution (hand-computed)", () => {
  it("adds the leaves each tree reaches, going left at exactly the threshold", () => {
    // Prepare
    const model = trees();

    // Act and assess: the test's reference walk of the parsed tree (which the property test below
    // holds the flat walk to), then the flat walk's sums
    expect(leafOf(model.trees[0], vector(8, 1))).to.equal(4);
    expect(leafOf(model.trees[0], vector(7, 1))).to.equal(1);
    expect(leafOf(model.trees[0], vector(8, 0.5))).to.equal(3);
    expect(treesLogOdds(flattenTrees(model), vector(8, 1))).to.equal(-2 + 0.9 + 0.05);
    expect(treesLogOdds(flattenTrees(model), vector(7, 1))).to.equal(-2 - 0.3 + 0.05);
    expect(modelProbability(prepareModel(model), vector(8, 1))).to.equal(
      1 / (1 + Math.exp(-(-2 + 0.9 + 0.05))),
    );
  });

  it("gives each split's change of value to its feature, summing to the log-odds", () => {
    // Act
    const high = treesAttribution(flattenTrees(trees()), vector(8, 1));
    const low = treesAttribution(flattenTrees(trees()), vector(7, 1));

    // Assess: 0.1 → 0.5 on A, 0.5 → 0.9 on B; 0.1 → −0.3 on A
    expect(Math.abs(high.bias - (-2 + 0.1 + 0.05)) < 1e-15).to.be.ok;
    expect(Math.abs(high.contributions[IA] - 0.4) < 1e-15).to.be.ok;
    expect(Math.abs(high.contributions[IB] - 0.4) < 1e-15).to.be.ok;
    expect(Math.abs(low.contributions[IA] + 0.4) < 1e-15).to.be.ok;
    expect(low.contributions[IB]).to.equal(0);
    for (const { bias, contributions, logOdds } of [high, low]) {
      const total = bias + contributions.reduce((sum, c) => sum + c, 0);
      expect(Math.abs(total - logOdds) < 1e-12, `${total} vs ${logOdds}`).to.be.ok;
    }
  });

  it("scores probability × 100 and reasons with the features whose splits raised it", () => {
    // Prepare: one stump on the amount: above log1p(1000.00) it adds 3 log-odds
    const cut = Math.log1p(1_000_00);
    const model = prepareModel(
      treesModel(
        [
          [
            { feature: A, threshold: cut, left: 1, right: 2, value: 0 },
            { feature: null, value: -1 },
            { feature: null, value: 3 },
          ],
        ],
        { baseScore: -2, threshold: 40 },
      ),
    );
    const typical = series(5, { amount: 100_00, stepMs: HOUR_MS });

    // Act
    const large = assessTransaction(
      current({ amount: 5_000_00 }),
      typical,
      DEFAULT_RULES_CONFIG,
      new Map(),
      model,
    );
    const small = assessTransaction(
      current({ amount: 50_00 }),
      typical,
      DEFAULT_RULES_CONFIG,
      new Map(),
      model,
    );

    // Assess
    expect(large.scorer).to.equal("model");
    expect(large.score).to.equal(Math.round(1_000_000 / (1 + Math.exp(-1))) / 10_000);
    expect(large.flagged).to.equal(true);
    expect(large.reasons).to.deep.equal(["amount 5000.00 USD"]);
    expect(small.score).to.equal(Math.round(1_000_000 / (1 + Math.exp(3))) / 10_000);
    expect(small.reasons, "a split that lowered the score is no reason").to.deep.equal([]);
  });

  it("leaves a logistic-regression model's score and terms as they were", () => {
    // Prepare
    const model = fraudModel({ amount_log: { weight: 2, mean: 7, scale: 1 } }, { intercept: -4 });
    const v = vector(9, 0);

    // Act
    const scored = modelScore(model, v, {} as never);

    // Assess
    expect(scored.score).to.equal(Math.round(1_000_000 / (1 + Math.exp(-(-4 + 2 * 2)))) / 10_000);
    expect(scored.contributions.map((c) => [c.source, c.value])).to.deep.equal([[A, 4]]);
  });
});

/** Uniform numbers in [0, 1) from a seed (a linear congruential generator), for repeatable vectors. */
function uniforms(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state / 2_147_483_648;
  };
}

/** 300 depth-2 trees over every feature with irregular values: sums whose order would show in the last bits. */
function manyTrees(next: () => number): PreparedModel {
  const name = () => FEATURE_NAMES[Math.floor(next() * FEATURE_NAMES.length)];
  const leaf = () => ({ feature: null, value: (next() - 0.5) / 3 });
  const forest = Array.from({ length: 300 }, () => [
    { feature: name(), threshold: next(), left: 1, right: 2, value: next() - 0.5 },
    { feature: name(), threshold: next(), left: 3, right: 4, value: next() - 0.5 },
    { feature: name(), threshold: next(), left: 5, right: 6, value: next() - 0.5 },
    leaf(),
    leaf(),
    leaf(),
    leaf(),
  ]);
  return prepareModel(treesModel(forest, { baseScore: -3.3 }));
}

describe("Function: modelScoreOnly", () => {
  it("gives modelScore's score bit for bit, for trees and for a logistic regression, without reasons", () => {
    // Prepare
    const next = uniforms(7);
    const terms = Object.fromEntries(
      FEATURE_NAMES.map((name) => [name, { weight: next() * 4 - 2, mean: next(), scale: 0.1 + next() }]),
    );
    const models = [manyTrees(next), fraudModel(terms, { intercept: -2.7 })];
    const vectors = Array.from({ length: 500 }, () => Float64Array.from(FEATURE_NAMES, () => next()));

    // Act and assess
    for (const model of models) {
      const full = vectors.map((v) => modelScore(model, v, {} as never).score);
      const only = vectors.map((v) => modelScoreOnly(model, v));
      expect(
        only.every((score, i) => Object.is(score, full[i])),
        model.kind,
      ).to.be.ok;
      expect(new Set(only).size, "the vectors give many different scores").to.be.greaterThan(100);
    }
  });
});

describe("Function: parseFraudModel (gradient-boosted trees)", () => {
  it("loads a valid trees model as plain arrays", () => {
    // Act
    const model = trees();

    // Assess
    expect(model.kind).to.equal("gradient-boosted-trees");
    expect(model.baseScore).to.equal(-2);
    expect(model.trees[0].left).to.deep.equal([1, -1, 3, -1, -1]);
    expect(Array.isArray(model.trees[0].value)).to.be.ok;
  });

  type Tree = { feature: number[]; threshold: number[]; left: number[]; right: number[]; value: number[] };
  const cases: [string, (doc: Record<string, unknown>, tree: Tree) => void, RegExp][] = [
    ["no trees", (doc) => Object.assign(doc, { trees: [] }), /field trees must be an array of 1 to/],
    [
      "a missing baseScore",
      (doc) => Object.assign(doc, { baseScore: undefined }),
      /field baseScore must be a number/,
    ],
    [
      "a tree that is not an object",
      (doc) => Object.assign(doc, { trees: [3] }),
      /trees\[0\] must be an object/,
    ],
    [
      "a missing array",
      (_, tree) => Object.assign(tree, { value: undefined }),
      /trees\[0\]\.value must be an array/,
    ],
    [
      "arrays of unequal length",
      (_, tree) => tree.threshold.pop(),
      /trees\[0\]\.threshold has 4 entries but trees\[0\]\.feature has 5/,
    ],
    [
      "a non-finite value",
      (_, tree) => (tree.value[2] = null as never),
      /trees\[0\]\.value\[2\] must be a finite number, got null/,
    ],
    [
      "a feature index past the features",
      (_, tree) => (tree.feature[0] = FEATURE_NAMES.length),
      /trees\[0\]\.feature\[0\] must be a feature index 0 to \d+ or -1/,
    ],
    [
      "a fractional feature index",
      (_, tree) => (tree.feature[0] = 0.5),
      /trees\[0\]\.feature\[0\] must be a feature index/,
    ],
    [
      "a child before its parent (a cycle)",
      (_, tree) => (tree.right[2] = 0),
      /trees\[0\]\.right\[2\] must be a node index after 2 and below 5, got 0/,
    ],
    [
      "a child pointing at itself",
      (_, tree) => (tree.left[0] = 0),
      /trees\[0\]\.left\[0\] must be a node index after 0/,
    ],
    [
      "a child outside the tree",
      (_, tree) => (tree.left[2] = 5),
      /trees\[0\]\.left\[2\] must be a node index after 2 and below 5, got 5/,
    ],
    [
      "a leaf with a child",
      (_, tree) => (tree.left[1] = 3),
      /trees\[0\] node 1 is a leaf: its left and right must be -1/,
    ],
    [
      "the same child twice",
      (_, tree) => (tree.right[0] = 1),
      /trees\[0\] node 0 has the same left and right child 1/,
    ],
    [
      "a node with two parents",
      (_, tree) => {
        tree.right[0] = 3;
      },
      /trees\[0\] node 3 has two parents, nodes 0 and 2/,
    ],
    [
      "an orphan node",
      (_, tree) => {
        tree.feature[2] = -1;
        tree.left[2] = -1;
        tree.right[2] = -1;
      },
      /trees\[0\] node 3 is no node's child/,
    ],
    [
      "a threshold over 100",
      (doc) => Object.assign(doc, { threshold: 101 }),
      /field threshold must be a number between 0 and 100/,
    ],
    [
      "no training object",
      (doc) => Object.assign(doc, { training: undefined }),
      /must carry training and validation objects/,
    ],
  ];
  for (const [what, mutate, message] of cases) {
    it(`rejects ${what}, naming the problem`, () => {
      // Prepare
      const doc = treesDocument([FIRST, STUMP]);
      mutate(doc, (doc.trees as Tree[])[0]);

      // Act and assess
      expect(thrownBy(() => parseFraudModel(JSON.stringify(doc), FEATURE_NAMES))).to.satisfy(
        (error: Error) => error.name === "ConfigurationError" && message.test(error.message),
      );
    });
  }

  it("rejects a trees model whose features are not this version's, as for logistic regression", () => {
    // Prepare
    const doc = { ...treesDocument([STUMP]), features: [...FEATURE_NAMES].reverse() };

    // Act and assess
    expect(String(thrownBy(() => parseFraudModel(JSON.stringify(doc), FEATURE_NAMES)))).to.match(
      /not in this version's order/,
    );
  });
});

/** One node's draw: whether it splits (when room is left), on what, and its value. */
interface NodeDraw {
  readonly split: boolean;
  readonly feature: number;
  readonly threshold: number;
  readonly value: number;
}

/**
 * A valid tree from draws: nodes are numbered in breadth-first order, node `n` takes draw `n`, and
 * a split appends its two children while draws remain, so children always follow their parent.
 */
function treeOf(draws: readonly NodeDraw[]): TreeNode[] {
  const nodes: TreeNode[] = [];
  let count = 1;
  for (let n = 0; n < count; n++) {
    const draw = draws[n];
    if (draw.split && count + 2 <= draws.length) {
      const feature = FEATURE_NAMES[draw.feature];
      nodes.push({ feature, threshold: draw.threshold, left: count, right: count + 1, value: draw.value });
      count += 2;
    } else {
      nodes.push({ feature: null, value: draw.value });
    }
  }
  return nodes;
}

/** The same tree numbered depth first (a right child after its sibling's whole subtree), as a file may hold it. */
function depthFirst(nodes: readonly TreeNode[]): TreeNode[] {
  const order: number[] = [];
  const visit = (n: number) => {
    order.push(n);
    const { left, right } = nodes[n];
    if (left !== undefined && right !== undefined) {
      visit(left);
      visit(right);
    }
  };
  visit(0);
  const at = (n: number | undefined) => (n === undefined ? undefined : order.indexOf(n));
  return order.map((n) => ({ ...nodes[n], left: at(nodes[n].left), right: at(nodes[n].right) }));
}

/** Path attribution over the parsed trees, tree by tree and split by split: what the flat walk must equal. */
function referenceContributions(model: GradientBoostedTreesModel, vector: Float64Array): Float64Array {
  const contributions = new Float64Array(vector.length);
  for (const tree of model.trees) {
    let node = 0;
    while (tree.feature[node] >= 0) {
      const f = tree.feature[node];
      const child = vector[f] <= tree.threshold[node] ? tree.left[node] : tree.right[node];
      contributions[f] += tree.value[child] - tree.value[node];
      node = child;
    }
  }
  return contributions;
}

const finite = fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e6, max: 1e6 });
const nodeDraw = fc.record({
  split: fc.boolean(),
  feature: fc.nat(FEATURE_NAMES.length - 1),
  threshold: finite,
  value: finite,
});
/**
 * A vector entry: a number, one of the model's thresholds (by index) to go left at exactly it, or
 * NaN or an infinity, which a feature never is but which must still go where the parsed walk goes.
 */
const entry = fc.oneof(
  fc.record({ x: finite }),
  fc.record({ threshold: fc.nat() }),
  fc.record({ x: fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY) }),
);

describe("Function: treesLogOdds and treesAttribution (property)", () => {
  it("equal, bit for bit, the walk over the parsed trees, breadth- or depth-first", () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(nodeDraw, { minLength: 1, maxLength: 40 }), { minLength: 1, maxLength: 30 }),
        fc.boolean(),
        finite,
        fc.array(fc.array(entry, { minLength: FEATURE_NAMES.length, maxLength: FEATURE_NAMES.length }), {
          minLength: 1,
          maxLength: 20,
        }),
        (forest, depthFirstOrder, baseScore, rows) => {
          // Prepare
          const trees = forest.map((draws) => (depthFirstOrder ? depthFirst(treeOf(draws)) : treeOf(draws)));
          const model = treesModel(trees, { baseScore }) as GradientBoostedTreesModel;
          const thresholds = forest.flat().map((draw) => draw.threshold);
          const vectors = rows.map((row) =>
            Float64Array.from(row, (e) => ("x" in e ? e.x : thresholds[e.threshold % thresholds.length])),
          );
          const flat = flattenTrees(model);

          // Act and assess
          for (const v of vectors) {
            const expected = referenceLogOdds(model, v);
            const attribution = treesAttribution(flat, v);
            expect(Object.is(treesLogOdds(flat, v), expected)).to.equal(true);
            expect(Object.is(attribution.logOdds, expected)).to.equal(true);
            expect(attribution.contributions).to.deep.equal(referenceContributions(model, v));
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
