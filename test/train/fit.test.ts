import { expect } from "chai";
import { seededRandom } from "../../local/faults";
import {
  choleskySolve,
  fitLogistic,
  type Matrix,
  predictProbability,
  standardisation,
} from "../../local/train/fit";
import { thrownBy } from "../helpers/expect";

/** Standard normal draws (Box-Muller). */
function normal(seed: number): () => number {
  const u = seededRandom(seed);
  return () => Math.sqrt(-2 * Math.log(1 - u())) * Math.cos(2 * Math.PI * u());
}

/** Rows drawn from a known logistic model over raw (unstandardised) features. */
function logisticSample(
  rows: number,
  intercept: number,
  coefficients: readonly number[],
  spread: readonly { mean: number; sd: number }[],
  seed: number,
): { x: Matrix; y: Uint8Array } {
  const draw = normal(seed);
  const coin = seededRandom(seed + 1);
  const columns = coefficients.length;
  const values = new Float64Array(rows * columns);
  const y = new Uint8Array(rows);
  for (let i = 0; i < rows; i++) {
    let eta = intercept;
    for (let j = 0; j < columns; j++) {
      const v = spread[j].mean + spread[j].sd * draw();
      values[i * columns + j] = v;
      eta += coefficients[j] * v;
    }
    y[i] = coin() < 1 / (1 + Math.exp(-eta)) ? 1 : 0;
  }
  return { x: { rows, columns, values }, y };
}

/** Raw-scale coefficients of a fit: weights / scale, and the intercept moved back by the means. */
function rawCoefficients(fit: ReturnType<typeof fitLogistic>): { intercept: number; coefficients: number[] } {
  const coefficients = Array.from(fit.weights, (w, j) => w / fit.scale[j]);
  const intercept = fit.intercept - coefficients.reduce((sum, c, j) => sum + c * fit.mean[j], 0);
  return { intercept, coefficients };
}

describe("Function: fitLogistic", () => {
  it("recovers the coefficients a sample was drawn from, with a rare positive class", () => {
    // Prepare: about 3% positives, features on very different scales (as amounts and hours are)
    const truth = { intercept: -3.1, coefficients: [1.2, -0.8, 0.002, 0] };
    const spread = [
      { mean: 0, sd: 1 },
      { mean: 3, sd: 0.5 },
      { mean: 500, sd: 300 },
      { mean: -7, sd: 2 },
    ];
    const { x, y } = logisticSample(200_000, truth.intercept, truth.coefficients, spread, 7);

    // Act
    const fit = fitLogistic(x, y, { l2: 1e-6 });

    // Assess: within about three standard errors of the truth. The raw intercept extrapolates to
    // x = 0, far from the data; the fitted intercept is the log-odds at the means, measured there.
    const raw = rawCoefficients(fit);
    const atMeans = truth.intercept + truth.coefficients.reduce((sum, c, j) => sum + c * spread[j].mean, 0);
    expect(Math.abs(fit.intercept - atMeans) < 0.05, `log-odds at the means ${fit.intercept}`).to.be.ok;
    expect(Math.abs(raw.intercept - truth.intercept) < 0.4, `intercept ${raw.intercept}`).to.be.ok;
    const tolerance = [0.05, 0.12, 0.0002, 0.03];
    raw.coefficients.forEach((c, j) => {
      expect(Math.abs(c - truth.coefficients[j]) < tolerance[j], `coefficient ${j}: ${c}`).to.be.ok;
    });
    expect(fit.iterations > 0 && fit.iterations < 20, `iterations ${fit.iterations}`).to.be.ok;
  });

  it("stops at the exact optimum: the penalised gradient is zero in every coordinate", () => {
    // Prepare
    const { x, y } = logisticSample(5_000, -2, [1, -1, 0.5], Array(3).fill({ mean: 1, sd: 2 }), 3);
    const l2 = 3;

    // Act
    const fit = fitLogistic(x, y, { l2 });

    // Assess
    const gradient = new Float64Array(x.columns + 1);
    for (let i = 0; i < x.rows; i++) {
      const residual = predictProbability(fit, x, i) - y[i];
      gradient[0] += residual;
      for (let j = 0; j < x.columns; j++) {
        gradient[j + 1] += (residual * (x.values[i * x.columns + j] - fit.mean[j])) / fit.scale[j];
      }
    }
    for (let j = 0; j < x.columns; j++) gradient[j + 1] += l2 * fit.weights[j];
    for (const g of gradient) expect(Math.abs(g) < 1e-6, `gradient ${g}`).to.be.ok;
  });

  it("keeps a finite solution when the classes are separable (the ridge penalty bounds it)", () => {
    // Prepare: y = 1 exactly when x > 0
    const values = Float64Array.from({ length: 200 }, (_, i) => i - 99.5);
    const y = Uint8Array.from(values, (v) => (v > 0 ? 1 : 0));

    // Act
    const fit = fitLogistic({ rows: 200, columns: 1, values }, y, { l2: 1 });

    // Assess
    expect(Number.isFinite(fit.weights[0]) && fit.weights[0] > 0).to.be.ok;
    expect(predictProbability(fit, { rows: 200, columns: 1, values }, 199) > 0.99).to.be.ok;
  });

  it("refuses rows of a single class", () => {
    // Prepare
    const x = { rows: 3, columns: 1, values: Float64Array.of(1, 2, 3) };

    // Act and assess
    expect(String(thrownBy(() => fitLogistic(x, Uint8Array.of(0, 0, 0), { l2: 1 })))).to.match(
      /both classes are needed/,
    );
  });

  it("gives the same bits for the same rows", () => {
    // Prepare
    const { x, y } = logisticSample(3_000, -2, [1, 0.5], Array(2).fill({ mean: 0, sd: 1 }), 11);

    // Act
    const first = fitLogistic(x, y, { l2: 1 });
    const second = fitLogistic(x, y, { l2: 1 });

    // Assess
    expect(Array.from(second.weights)).to.deep.equal(Array.from(first.weights));
    expect(second.intercept).to.equal(first.intercept);
  });
});

describe("Function: standardisation", () => {
  it("uses the mean and population standard deviation, and scale 1 with a weight of 0 for a constant column", () => {
    // Prepare: column 0 varies; column 1 is a constant whose mean would not round-trip (0.1 × 3 / 3)
    const rows = [
      [1, 0.1],
      [2, 0.1],
      [6, 0.1],
    ];
    const x = { rows: 3, columns: 2, values: Float64Array.from(rows.flat()) };

    // Act
    const s = standardisation(x);
    const fit = fitLogistic(x, Uint8Array.of(0, 1, 1), { l2: 1 });

    // Assess
    expect(s.mean[0]).to.equal(3);
    expect(s.scale[0]).to.equal(Math.sqrt(14 / 3));
    expect(s.mean[1]).to.equal(0.1);
    expect(s.scale[1]).to.equal(1);
    expect(fit.weights[1]).to.equal(0);
    expect(fit.scale[1]).to.equal(1);
  });

  it("leaves an empty matrix at mean 0 and scale 1", () => {
    // Act
    const s = standardisation({ rows: 0, columns: 2, values: new Float64Array(0) });

    // Assess
    expect(Array.from(s.mean)).to.deep.equal([0, 0]);
    expect(Array.from(s.scale)).to.deep.equal([1, 1]);
  });
});

describe("Function: choleskySolve", () => {
  it("solves a symmetric positive definite system", () => {
    // Prepare: a = [[4, 2, 0], [2, 5, 1], [0, 1, 3]], x = [1, -2, 3]
    const a = Float64Array.of(4, 2, 0, 2, 5, 1, 0, 1, 3);
    const b = Float64Array.of(0, -5, 7);

    // Act
    const x = choleskySolve(a, b, 3);

    // Assess
    [1, -2, 3].forEach((expected, i) => {
      expect(Math.abs(x[i] - expected) < 1e-12, `x[${i}] = ${x[i]}`).to.be.ok;
    });
  });

  it("throws for a matrix that is not positive definite", () => {
    // Act and assess
    expect(
      String(thrownBy(() => choleskySolve(Float64Array.of(1, 2, 2, 1), Float64Array.of(1, 1), 2))),
    ).to.match(/positive definite/);
  });
});
