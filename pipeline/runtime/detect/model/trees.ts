/**
 * Inference for gradient-boosted trees (MODEL.json kind `gradient-boosted-trees`): a few lines of
 * plain arithmetic over the parsed JSON, so the function's archive carries data, not a library.
 * Reasons come from the model's own arithmetic by path attribution (Saabas): walking a tree from
 * its root, every split moves the output from `value[node]` to `value[child]`, and that change is
 * the split feature's. So `baseScore + Σ root values + Σ contributions = log-odds` exactly (up to
 * the order of additions). Plain functions and arrays only: this runs in the serialized closure.
 */
import type { GradientBoostedTreesModel, RegressionTree } from "./format";

/**
 * The leaf `vector` reaches in `tree`: left when `x[feature] <= threshold`, else right.
 *
 * @example
 * tree.value[leafOf(tree, vector)]; // the tree's output, log-odds
 */
function leafOf(tree: RegressionTree, vector: Float64Array): number {
  let node = 0;
  while (tree.feature[node] >= 0) {
    node = vector[tree.feature[node]] <= tree.threshold[node] ? tree.left[node] : tree.right[node];
  }
  return node;
}

/**
 * The model's log-odds: `baseScore + Σ` the value of the leaf each tree reaches, in tree order.
 *
 * @example
 * treesLogOdds(model, vector); // -3.71
 */
function treesLogOdds(model: GradientBoostedTreesModel, vector: Float64Array): number {
  let z = model.baseScore;
  for (const tree of model.trees) z += tree.value[leafOf(tree, vector)];
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
 * const { logOdds, bias, contributions } = treesAttribution(model, vector);
 * // bias + Σ contributions ≈ logOdds (to rounding)
 */
function treesAttribution(model: GradientBoostedTreesModel, vector: Float64Array): TreesAttribution {
  const contributions = new Float64Array(vector.length);
  let bias = model.baseScore;
  for (const tree of model.trees) bias += tree.value[0];
  for (const tree of model.trees) {
    let node = 0;
    while (tree.feature[node] >= 0) {
      const f = tree.feature[node];
      const child = vector[f] <= tree.threshold[node] ? tree.left[node] : tree.right[node];
      contributions[f] += tree.value[child] - tree.value[node];
      node = child;
    }
  }
  return { logOdds: treesLogOdds(model, vector), bias, contributions };
}

export type { TreesAttribution };
export { leafOf, treesAttribution, treesLogOdds };
