/**
 * Inference for gradient-boosted trees (MODEL.json kind `gradient-boosted-trees`): a few lines of
 * plain arithmetic, so the function's archive carries data, not a library. The parsed trees are
 * flattened once into typed arrays ({@link flattenTrees}) because walking 150 tree objects per row
 * was most of a model backtest's cost; the flat form is built at run time, never shipped (the
 * closure serializer takes plain data, not typed arrays).
 * Reasons come from the model's own arithmetic by path attribution (Saabas): walking a tree from
 * its root, every split moves the output from `value[node]` to `value[child]`, and that change is
 * the split feature's. So `baseScore + Σ root values + Σ contributions = log-odds` exactly (up to
 * the order of additions). Plain functions and arrays only: this runs in the serialized closure.
 */
import type { GradientBoostedTreesModel } from "./format";

/**
 * Every tree of a model in one set of parallel arrays: tree `t`'s root is node `roots[t]`, and
 * `left`, `right` hold absolute node indices (−1 at a leaf, where `feature` is −1 too). A node's
 * `threshold` and `value` are its tree's, unchanged.
 */
interface FlatTrees {
  readonly baseScore: number;
  readonly roots: Int32Array;
  readonly feature: Int32Array;
  readonly threshold: Float64Array;
  readonly left: Int32Array;
  readonly right: Int32Array;
  readonly value: Float64Array;
}

/**
 * The model's trees as {@link FlatTrees}, in tree order, each tree's nodes in their own order.
 *
 * @example
 * const flat = flattenTrees(model); // once per model, then treesLogOdds(flat, vector) per row
 */
function flattenTrees(model: GradientBoostedTreesModel): FlatTrees {
  let nodes = 0;
  for (const tree of model.trees) nodes += tree.feature.length;
  const roots = new Int32Array(model.trees.length);
  const feature = new Int32Array(nodes);
  const threshold = new Float64Array(nodes);
  const left = new Int32Array(nodes);
  const right = new Int32Array(nodes);
  const value = new Float64Array(nodes);
  let offset = 0;
  model.trees.forEach((tree, t) => {
    roots[t] = offset;
    for (let n = 0; n < tree.feature.length; n++) {
      const at = offset + n;
      feature[at] = tree.feature[n];
      threshold[at] = tree.threshold[n];
      left[at] = tree.left[n] < 0 ? -1 : offset + tree.left[n];
      right[at] = tree.right[n] < 0 ? -1 : offset + tree.right[n];
      value[at] = tree.value[n];
    }
    offset += tree.feature.length;
  });
  return { baseScore: model.baseScore, roots, feature, threshold, left, right, value };
}

/**
 * The model's log-odds: `baseScore + Σ` the value of the leaf each tree reaches, in tree order,
 * going left when `x[feature] <= threshold`, else right.
 *
 * @example
 * treesLogOdds(flattenTrees(model), vector); // -3.71
 */
function treesLogOdds(flat: FlatTrees, vector: Float64Array): number {
  const { roots, feature, threshold, left, right, value } = flat;
  let z = flat.baseScore;
  for (let t = 0; t < roots.length; t++) {
    let node = roots[t];
    let f = feature[node];
    while (f >= 0) {
      node = vector[f] <= threshold[node] ? left[node] : right[node];
      f = feature[node];
    }
    z += value[node];
  }
  return z;
}

/** A trees model's log-odds, and its split by feature. */
interface TreesAttribution {
  /** The log-odds, as {@link treesLogOdds} computes it. */
  readonly logOdds: number;
  /** `baseScore + Σ` every tree's root value: the part no feature moved. */
  readonly bias: number;
  /** Per feature, in feature order: the sum of the changes its splits made along the paths taken. */
  readonly contributions: Float64Array;
}

/**
 * The log-odds with each feature's path attribution (Saabas).
 *
 * @example
 * const { logOdds, bias, contributions } = treesAttribution(flattenTrees(model), vector);
 * // bias + Σ contributions ≈ logOdds (to rounding)
 */
function treesAttribution(flat: FlatTrees, vector: Float64Array): TreesAttribution {
  const { roots, feature, threshold, left, right, value } = flat;
  const contributions = new Float64Array(vector.length);
  let bias = flat.baseScore;
  for (let t = 0; t < roots.length; t++) bias += value[roots[t]];
  for (let t = 0; t < roots.length; t++) {
    let node = roots[t];
    while (feature[node] >= 0) {
      const f = feature[node];
      const child = vector[f] <= threshold[node] ? left[node] : right[node];
      contributions[f] += value[child] - value[node];
      node = child;
    }
  }
  return { logOdds: treesLogOdds(flat, vector), bias, contributions };
}

export type { FlatTrees, TreesAttribution };
export { flattenTrees, treesAttribution, treesLogOdds };
