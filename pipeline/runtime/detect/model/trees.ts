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
 * Every tree of a model in one set of parallel arrays. Tree `t`'s root is node `roots[t]` and its
 * nodes follow in breadth-first order, so a split's two children are adjacent: a step from node
 * `n` goes to `left[n]` (an absolute index) when `x[feature[n]] <= threshold[n]`, else to
 * `left[n] + 1`. A leaf steps to itself (feature 0, threshold NaN so the test fails, `left` one
 * before it), so walking a tree `depth[t]` steps, its longest path, ends at the leaf a row reaches
 * whatever its path's length. A node's `value` is its tree's, unchanged.
 */
interface FlatTrees {
  readonly baseScore: number;
  readonly roots: Int32Array;
  readonly depth: Int32Array;
  readonly feature: Int32Array;
  readonly threshold: Float64Array;
  readonly left: Int32Array;
  readonly value: Float64Array;
}

/**
 * The model's trees as {@link FlatTrees}, in tree order. Relies on what `parseFraudModel` checks:
 * every node but the root is the child of exactly one split.
 *
 * @example
 * const flat = flattenTrees(model); // once per model, then treesLogOdds(flat, vector) per row
 */
function flattenTrees(model: GradientBoostedTreesModel): FlatTrees {
  let nodes = 0;
  for (const tree of model.trees) nodes += tree.feature.length;
  const roots = new Int32Array(model.trees.length);
  const depth = new Int32Array(model.trees.length);
  const feature = new Int32Array(nodes);
  const threshold = new Float64Array(nodes);
  const left = new Int32Array(nodes);
  const value = new Float64Array(nodes);
  let offset = 0;
  model.trees.forEach((tree, t) => {
    roots[t] = offset;
    // The tree's own node indices in breadth-first order (position i becomes node offset + i),
    // and each position's distance from the root.
    const order = new Int32Array(tree.feature.length);
    const level = new Int32Array(tree.feature.length);
    let end = 1;
    for (let i = 0; i < end; i++) {
      const n = order[i];
      const at = offset + i;
      value[at] = tree.value[n];
      if (tree.feature[n] >= 0) {
        feature[at] = tree.feature[n];
        threshold[at] = tree.threshold[n];
        left[at] = offset + end;
        order[end] = tree.left[n];
        order[end + 1] = tree.right[n];
        level[end] = level[i] + 1;
        level[end + 1] = level[i] + 1;
        end += 2;
      } else {
        feature[at] = 0;
        threshold[at] = Number.NaN;
        left[at] = at - 1;
        depth[t] = Math.max(depth[t], level[i]);
      }
    }
    offset += tree.feature.length;
  });
  return { baseScore: model.baseScore, roots, depth, feature, threshold, left, value };
}

/**
 * The model's log-odds: `baseScore + Σ` the value of the leaf each tree reaches, in tree order.
 * Each step adds 0 or 1 to `left` instead of branching, because which way a row goes is
 * unpredictable and a mispredicted branch per level cost more than the walk's loads; and four
 * trees are walked side by side (a leaf stays put while the deeper ones finish), because one
 * tree's steps wait on each other's loads while four trees' steps overlap.
 *
 * @example
 * treesLogOdds(flattenTrees(model), vector); // -3.71
 */
function treesLogOdds(flat: FlatTrees, vector: Float64Array): number {
  const { roots, depth, feature, threshold, left, value } = flat;
  let z = flat.baseScore;
  let t = 0;
  for (; t + 4 <= roots.length; t += 4) {
    let a = roots[t];
    let b = roots[t + 1];
    let c = roots[t + 2];
    let d = roots[t + 3];
    const steps = Math.max(depth[t], depth[t + 1], depth[t + 2], depth[t + 3]);
    for (let step = 0; step < steps; step++) {
      a = left[a] + +!(vector[feature[a]] <= threshold[a]);
      b = left[b] + +!(vector[feature[b]] <= threshold[b]);
      c = left[c] + +!(vector[feature[c]] <= threshold[c]);
      d = left[d] + +!(vector[feature[d]] <= threshold[d]);
    }
    z += value[a];
    z += value[b];
    z += value[c];
    z += value[d];
  }
  for (; t < roots.length; t++) {
    let node = roots[t];
    for (let step = depth[t]; step > 0; step--)
      node = left[node] + +!(vector[feature[node]] <= threshold[node]);
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
 * The log-odds with each feature's path attribution (Saabas), stepping as {@link treesLogOdds} does.
 *
 * @example
 * const { logOdds, bias, contributions } = treesAttribution(flattenTrees(model), vector);
 * // bias + Σ contributions ≈ logOdds (to rounding)
 */
function treesAttribution(flat: FlatTrees, vector: Float64Array): TreesAttribution {
  const { roots, depth, feature, threshold, left, value } = flat;
  const contributions = new Float64Array(vector.length);
  let bias = flat.baseScore;
  for (let t = 0; t < roots.length; t++) bias += value[roots[t]];
  for (let t = 0; t < roots.length; t++) {
    let node = roots[t];
    for (let step = depth[t]; step > 0; step--) {
      const child = left[node] + +!(vector[feature[node]] <= threshold[node]);
      // A leaf steps to itself: the path ended, and a leaf is no split to credit.
      if (child === node) break;
      contributions[feature[node]] += value[child] - value[node];
      node = child;
    }
  }
  return { logOdds: treesLogOdds(flat, vector), bias, contributions };
}

export type { FlatTrees, TreesAttribution };
export { flattenTrees, treesAttribution, treesLogOdds };
