import assert from "node:assert/strict";
import fc from "fast-check";
import { percentile, summarize } from "../../bench/stats";

describe("Function: summarize", () => {
  it("interpolates percentiles between the nearest ranks", () => {
    // Prepare
    const samples = [5, 1, 4, 2, 3];

    // Act
    const summary = summarize(samples);

    // Assess
    assert.deepEqual(summary, { n: 5, min: 1, median: 3, p90: 4.6, p99: 4.96, max: 5, mean: 3 });
    assert.deepEqual(samples, [5, 1, 4, 2, 3], "the input is not reordered");
  });

  it("orders min <= median <= p90 <= p99 <= max for any samples", () => {
    // Prepare
    const samples = fc.array(fc.double({ min: 0, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 200 });

    // Act + Assess
    fc.assert(
      fc.property(samples, (values) => {
        const s = summarize(values);
        assert.ok(
          s.min <= s.median && s.median <= s.p90 && s.p90 <= s.p99 && s.p99 <= s.max,
          JSON.stringify(s),
        );
      }),
    );
  });

  it("refuses an empty sample set and a percentile outside 0..100, naming the problem", () => {
    // Act + Assess
    assert.throws(() => summarize([]), /samples must not be empty/);
    assert.throws(() => percentile([1], 101), /p must be from 0 to 100, got 101/);
  });
});
