import { expect } from "chai";
import fc from "fast-check";
import { averagePrecision, confusion, quality, rocAuc, thresholdSweep } from "../../local/backtest/metrics";

const scored = (pairs: [number, boolean][]) => pairs.map(([score, label]) => ({ score, label }));

describe("Function: confusion", () => {
  it("counts each cell of the matrix", () => {
    // Prepare
    const rows = [
      { label: true, flagged: true },
      { label: true, flagged: false },
      { label: false, flagged: true },
      { label: false, flagged: false },
      { label: false, flagged: false },
    ];

    // Act
    const matrix = confusion(rows);

    // Assess
    expect(matrix).to.deep.equal({ tp: 1, fn: 1, fp: 1, tn: 2 });
  });
});

describe("Function: quality", () => {
  it("computes precision, recall and F1, and null where a denominator is zero", () => {
    // Act
    const some = quality({ tp: 8, fp: 2, fn: 8, tn: 82 });
    const none = quality({ tp: 0, fp: 0, fn: 3, tn: 5 });

    // Assess
    expect(some).to.deep.equal({ precision: 0.8, recall: 0.5, f1: (2 * 0.8 * 0.5) / 1.3 });
    expect(none).to.deep.equal({ precision: null, recall: 0, f1: null });
  });
});

describe("Function: rocAuc", () => {
  it("is 1 for a perfect ranking, 0 for a reversed one and 0.5 when every score ties", () => {
    // Act
    const perfect = rocAuc(
      scored([
        [3, true],
        [2, true],
        [1, false],
      ]),
    );
    const reversed = rocAuc(
      scored([
        [1, true],
        [2, false],
        [3, false],
      ]),
    );
    const ties = rocAuc(
      scored([
        [5, true],
        [5, false],
        [5, true],
        [5, false],
      ]),
    );

    // Assess
    expect(perfect).to.equal(1);
    expect(reversed).to.equal(0);
    expect(ties).to.equal(0.5);
  });

  it("equals the share of positive/negative pairs ordered correctly (ties half)", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 5 }), fc.boolean()), { maxLength: 40 }),
        (pairs) => {
          // Prepare
          const rows = scored(pairs);
          const pos = rows.filter((r) => r.label);
          const neg = rows.filter((r) => !r.label);
          let wins = 0;
          for (const p of pos)
            for (const n of neg) wins += p.score > n.score ? 1 : p.score === n.score ? 0.5 : 0;

          // Act
          const auc = rocAuc(rows);

          // Assess
          if (pos.length === 0 || neg.length === 0) expect(auc).to.equal(null);
          else expect(Math.abs((auc as number) - wins / (pos.length * neg.length)) < 1e-12).to.be.ok;
        },
      ),
    );
  });
});

describe("Function: averagePrecision", () => {
  it("sums, over each distinct score from the top, the recall gained times the precision at it", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 5 }), fc.boolean()), { maxLength: 40 }),
        (pairs) => {
          // Prepare
          const rows = scored(pairs);
          const positives = rows.filter((r) => r.label).length;
          const distinct = [...new Set(rows.map((r) => r.score))].sort((a, b) => b - a);
          let expected = 0;
          for (const score of distinct) {
            const gained = rows.filter((r) => r.label && r.score === score).length;
            const tp = rows.filter((r) => r.label && r.score >= score).length;
            const seen = rows.filter((r) => r.score >= score).length;
            expected += (gained / positives) * (tp / seen);
          }

          // Act
          const ap = averagePrecision(rows);

          // Assess
          if (positives === 0) expect(ap).to.equal(null);
          else expect(Math.abs((ap as number) - expected) < 1e-12).to.be.ok;
        },
      ),
    );
  });

  it("sums recall steps times precision, treating tied scores as one step", () => {
    // Act
    const stepwise = averagePrecision(
      scored([
        [3, true],
        [2, false],
        [1, true],
      ]),
    );
    const tied = averagePrecision(
      scored([
        [2, true],
        [2, false],
        [1, false],
      ]),
    );
    const noPositives = averagePrecision(scored([[1, false]]));

    // Assess
    expect(stepwise).to.equal(1 * 0.5 + (2 / 3) * 0.5);
    expect(tied).to.equal(0.5);
    expect(noPositives).to.equal(null);
  });
});

describe("Function: thresholdSweep", () => {
  it("flags at score >= threshold for each threshold", () => {
    // Prepare
    const rows = scored([
      [80, true],
      [60, false],
      [40, true],
      [10, false],
    ]);

    // Act
    const sweep = thresholdSweep(rows, [50, 90]);

    // Assess
    expect(sweep).to.deep.equal([
      { threshold: 50, flagged: 2, precision: 0.5, recall: 0.5, f1: 0.5 },
      { threshold: 90, flagged: 0, precision: null, recall: 0, f1: null },
    ]);
  });
});
