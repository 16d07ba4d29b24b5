/**
 * Gradient-boosted regression trees for the logistic loss, histogram-based (as LightGBM and
 * scikit-learn's HistGradientBoosting): every feature is cut into at most {@link DEFAULT_MAX_BINS}
 * quantile bins of the training rows, a tree is grown depth-first to `maxDepth` by choosing at each
 * node the split with the largest second-order gain among the bin edges, and a node's value is the
 * Newton step `−G / (H + λ)` times the learning rate, with G and H the sums of the loss's gradient
 * `p − y` and hessian `p(1 − p)` over its rows. A child's histogram is built only for the smaller
 * child, the larger one's is the parent's minus it. Thresholds are real feature values (the upper
 * edge of a bin), so `bin <= b` while training is `x <= threshold` at inference: the shipped trees
 * route every training row exactly as they did while being grown.
 *
 * Deterministic: no sampling, a fixed order of every addition, ties broken toward the lower
 * feature and bin. The same rows and options give the same bits.
 */
import type { RegressionTree } from "../../pipeline/runtime/detect/model/format";
import type { Matrix } from "./fit";

/** Textbook defaults (scikit-learn's GradientBoostingClassifier and XGBoost's), not tuned to data. */
const DEFAULT_TREES = 150;
const DEFAULT_MAX_DEPTH = 4;
const DEFAULT_LEARNING_RATE = 0.1;
/** λ: the L2 penalty on node values, XGBoost's default. */
const DEFAULT_LAMBDA = 1;
/** XGBoost's min_child_weight. */
const DEFAULT_MIN_CHILD_HESSIAN = 1;
const DEFAULT_MAX_BINS = 64;

export interface BoostOptions {
  readonly trees?: number;
  readonly maxDepth?: number;
  readonly learningRate?: number;
  readonly lambda?: number;
  readonly minChildHessian?: number;
  /** At most 256 (bins are bytes). */
  readonly maxBins?: number;
}

export interface BoostedFit {
  /** Log-odds of the training rows' fraud rate. */
  readonly baseScore: number;
  readonly trees: readonly RegressionTree[];
  readonly options: Required<BoostOptions>;
  /** Boosting rounds: the number of trees. */
  readonly iterations: number;
  /** Mean log-loss on the training rows after the last tree. */
  readonly loss: number;
}

/** Per feature, the ascending bin edges: bin b holds `edges[b − 1] < x <= edges[b]`, the last bin the rest. */
type Edges = Float64Array[];

/**
 * Quantile bin edges of every column: the distinct values when there are at most `maxBins`,
 * else the values at the `k / maxBins` quantiles, deduplicated; the largest value is never an
 * edge (no row would go right of it).
 *
 * @example
 * binEdges({ rows: 4, columns: 1, values: Float64Array.of(3, 1, 2, 2) }, 64); // [[1, 2]]
 */
function binEdges(x: Matrix, maxBins: number): Edges {
  const { rows, columns, values } = x;
  const edges: Edges = [];
  const column = new Float64Array(rows);
  for (let j = 0; j < columns; j++) {
    for (let i = 0; i < rows; i++) column[i] = values[i * columns + j];
    column.sort();
    const distinct: number[] = [];
    for (let i = 0; i < rows && distinct.length <= maxBins; i++) {
      if (i === 0 || column[i] !== column[i - 1]) distinct.push(column[i]);
    }
    let cuts: number[];
    if (distinct.length <= maxBins) cuts = distinct.slice(0, -1);
    else {
      cuts = [];
      const max = column[rows - 1];
      for (let k = 1; k < maxBins; k++) {
        const v = column[Math.min(rows - 1, Math.floor((k * rows) / maxBins))];
        if (v < max && (cuts.length === 0 || v > cuts[cuts.length - 1])) cuts.push(v);
      }
    }
    edges.push(Float64Array.from(cuts));
  }
  return edges;
}

/** The bin of `v`: the first edge it is at or below, else the last bin. */
function binOf(edges: Float64Array, v: number): number {
  let lo = 0;
  let hi = edges.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (v <= edges[mid]) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** Every row's bin of every feature, row-major like `x`. */
function binRows(x: Matrix, edges: Edges): Uint8Array {
  const { rows, columns, values } = x;
  const codes = new Uint8Array(rows * columns);
  for (let i = 0; i < rows; i++) {
    const o = i * columns;
    for (let j = 0; j < columns; j++) codes[o + j] = binOf(edges[j], values[o + j]);
  }
  return codes;
}

function sigmoid(z: number): number {
  return 1 / (1 + Math.exp(-z));
}

/** A finite number rounded to 12 significant digits: what MODEL.json holds, used while training too. */
function tidy(value: number): number {
  return Number(value.toPrecision(12));
}

/** A tree while it grows. */
interface Growing {
  feature: number[];
  threshold: number[];
  left: number[];
  right: number[];
  value: number[];
}

interface Split {
  readonly feature: number;
  readonly bin: number;
  readonly gain: number;
}

/** What every tree of one fit shares. */
interface Context {
  readonly codes: Uint8Array;
  readonly columns: number;
  readonly edges: Edges;
  readonly stride: number;
  readonly gradient: Float64Array;
  readonly hessian: Float64Array;
  /** Row indices, partitioned in place: a node owns a contiguous range. */
  readonly order: Int32Array;
  readonly scratch: Int32Array;
  readonly options: Required<BoostOptions>;
  /** Every training row's log-odds so far. */
  readonly margin: Float64Array;
}

/** Gradient and hessian sums per (feature, bin): `[g, h]` pairs at `2 × (feature × stride + bin)`. */
function histogram(ctx: Context, start: number, end: number): Float64Array {
  const { codes, columns, stride, gradient, hessian, order } = ctx;
  const hist = new Float64Array(columns * stride * 2);
  for (let k = start; k < end; k++) {
    const r = order[k];
    const g = gradient[r];
    const h = hessian[r];
    const o = r * columns;
    for (let j = 0; j < columns; j++) {
      const at = (j * stride + codes[o + j]) << 1;
      hist[at] += g;
      hist[at + 1] += h;
    }
  }
  return hist;
}

function score(g: number, h: number, lambda: number): number {
  return (g * g) / (h + lambda);
}

/** The best split of a node from its histogram, or null when none gains with both children heavy enough. */
function bestSplit(ctx: Context, hist: Float64Array, g: number, h: number): Split | null {
  const { columns, stride, edges, options } = ctx;
  const { lambda, minChildHessian } = options;
  const parent = score(g, h, lambda);
  let best: Split | null = null;
  for (let j = 0; j < columns; j++) {
    const cuts = edges[j].length;
    let gl = 0;
    let hl = 0;
    for (let b = 0; b < cuts; b++) {
      const at = (j * stride + b) << 1;
      gl += hist[at];
      hl += hist[at + 1];
      const hr = h - hl;
      if (hl < minChildHessian) continue;
      if (hr < minChildHessian) break;
      const gain = score(gl, hl, lambda) + score(g - gl, hr, lambda) - parent;
      if (gain > 0 && (best === null || gain > best.gain)) best = { feature: j, bin: b, gain };
    }
  }
  return best;
}

/** Moves the rows of `[start, end)` with `bin <= split bin` before the others, keeping their order; returns the boundary. */
function partition(ctx: Context, start: number, end: number, split: Split): number {
  const { codes, columns, order, scratch } = ctx;
  let l = start;
  let r = 0;
  for (let k = start; k < end; k++) {
    const row = order[k];
    if (codes[row * columns + split.feature] <= split.bin) order[l++] = row;
    else scratch[r++] = row;
  }
  order.set(scratch.subarray(0, r), l);
  return l;
}

/** Grows node `node` over rows `[start, end)` with histogram `hist` (consumed) and sums g, h. */
function grow(
  ctx: Context,
  tree: Growing,
  node: number,
  range: readonly [number, number],
  hist: Float64Array,
  sums: readonly [number, number],
  depth: number,
): void {
  const [start, end] = range;
  const [g, h] = sums;
  const split = depth < ctx.options.maxDepth ? bestSplit(ctx, hist, g, h) : null;
  if (split === null) {
    const value = tree.value[node];
    for (let k = start; k < end; k++) ctx.margin[ctx.order[k]] += value;
    return;
  }
  const middle = partition(ctx, start, end, split);
  let gl = 0;
  let hl = 0;
  for (let b = 0; b <= split.bin; b++) {
    const at = (split.feature * ctx.stride + b) << 1;
    gl += hist[at];
    hl += hist[at + 1];
  }
  const leftSmaller = middle - start <= end - middle;
  const small = leftSmaller ? histogram(ctx, start, middle) : histogram(ctx, middle, end);
  for (let k = 0; k < hist.length; k++) hist[k] -= small[k];
  const leftHist = leftSmaller ? small : hist;
  const rightHist = leftSmaller ? hist : small;
  const { learningRate, lambda } = ctx.options;
  const left = tree.feature.length;
  const right = left + 1;
  tree.feature[node] = split.feature;
  tree.threshold[node] = ctx.edges[split.feature][split.bin];
  tree.left[node] = left;
  tree.right[node] = right;
  const gr = g - gl;
  const hr = h - hl;
  for (const [gs, hs] of [
    [gl, hl],
    [gr, hr],
  ]) {
    tree.feature.push(-1);
    tree.threshold.push(0);
    tree.left.push(-1);
    tree.right.push(-1);
    tree.value.push(tidy((-learningRate * gs) / (hs + lambda)));
  }
  grow(ctx, tree, left, [start, middle], leftHist, [gl, hl], depth + 1);
  grow(ctx, tree, right, [middle, end], rightHist, [gr, hr], depth + 1);
}

/**
 * Fits gradient-boosted trees of `y` (0/1) on the rows of `x`.
 *
 * @example
 * const fit = fitBoostedTrees(matrix, labels);
 * predictBoostedProbability(fit, matrix, 0); // 0.0031
 * @throws Error when the rows hold only one class or an option is out of range.
 */
function fitBoostedTrees(x: Matrix, y: Uint8Array, settings: BoostOptions = {}): BoostedFit {
  const options: Required<BoostOptions> = {
    trees: settings.trees ?? DEFAULT_TREES,
    maxDepth: settings.maxDepth ?? DEFAULT_MAX_DEPTH,
    learningRate: settings.learningRate ?? DEFAULT_LEARNING_RATE,
    lambda: settings.lambda ?? DEFAULT_LAMBDA,
    minChildHessian: settings.minChildHessian ?? DEFAULT_MIN_CHILD_HESSIAN,
    maxBins: settings.maxBins ?? DEFAULT_MAX_BINS,
  };
  const { rows, columns } = x;
  if (y.length !== rows) throw new Error(`${rows} rows but ${y.length} labels`);
  if (!(options.maxBins >= 2 && options.maxBins <= 256)) throw new Error("maxBins must be 2 to 256");
  if (!(options.lambda >= 0 && options.learningRate > 0 && options.minChildHessian >= 0)) {
    throw new Error("lambda and minChildHessian must be >= 0, learningRate > 0");
  }
  let positives = 0;
  for (let i = 0; i < rows; i++) positives += y[i];
  if (positives === 0 || positives === rows) {
    throw new Error(`cannot fit on ${rows} rows of which ${positives} are fraud: both classes are needed`);
  }
  const baseScore = tidy(Math.log(positives / (rows - positives)));
  const edges = binEdges(x, options.maxBins);
  const ctx: Context = {
    codes: binRows(x, edges),
    columns,
    edges,
    stride: options.maxBins,
    gradient: new Float64Array(rows),
    hessian: new Float64Array(rows),
    order: new Int32Array(rows),
    scratch: new Int32Array(rows),
    options,
    margin: new Float64Array(rows).fill(baseScore),
  };
  const trees: RegressionTree[] = [];
  for (let t = 0; t < options.trees; t++) {
    let g = 0;
    let h = 0;
    for (let i = 0; i < rows; i++) {
      const p = sigmoid(ctx.margin[i]);
      ctx.gradient[i] = p - y[i];
      ctx.hessian[i] = p * (1 - p);
      g += ctx.gradient[i];
      h += ctx.hessian[i];
      ctx.order[i] = i;
    }
    const tree: Growing = {
      feature: [-1],
      threshold: [0],
      left: [-1],
      right: [-1],
      value: [tidy((-options.learningRate * g) / (h + options.lambda))],
    };
    grow(ctx, tree, 0, [0, rows], histogram(ctx, 0, rows), [g, h], 0);
    trees.push(tree);
  }
  let loss = 0;
  for (let i = 0; i < rows; i++) {
    const z = ctx.margin[i];
    loss += (z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z))) - (y[i] === 1 ? z : 0);
  }
  return { baseScore, trees, options, iterations: trees.length, loss: loss / rows };
}

/**
 * The fit's log-odds for row `i` of `x`, routing on the raw values as inference does
 * (`x[feature] <= threshold` goes left) and adding the leaves in tree order.
 *
 * @example
 * predictBoostedLogOdds(fit, matrix, 12); // 2.3
 */
function predictBoostedLogOdds(fit: BoostedFit, x: Matrix, i: number): number {
  const o = i * x.columns;
  let z = fit.baseScore;
  for (const tree of fit.trees) {
    let node = 0;
    while (tree.feature[node] >= 0) {
      node = x.values[o + tree.feature[node]] <= tree.threshold[node] ? tree.left[node] : tree.right[node];
    }
    z += tree.value[node];
  }
  return z;
}

/**
 * The fit's probability for row `i` of `x`.
 *
 * @example
 * predictBoostedProbability(fit, matrix, 12); // 0.91
 */
function predictBoostedProbability(fit: BoostedFit, x: Matrix, i: number): number {
  return sigmoid(predictBoostedLogOdds(fit, x, i));
}

export {
  binEdges,
  binOf,
  DEFAULT_LAMBDA,
  DEFAULT_LEARNING_RATE,
  DEFAULT_MAX_BINS,
  DEFAULT_MAX_DEPTH,
  DEFAULT_MIN_CHILD_HESSIAN,
  DEFAULT_TREES,
  fitBoostedTrees,
  predictBoostedLogOdds,
  predictBoostedProbability,
};
