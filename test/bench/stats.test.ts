import { expect } from "chai";
import fc from "fast-check";
import { percentile, summarize } from "../../bench/stats";
import { thrownBy } from "../helpers/expect";

describe("Function: summarize", () => {
  it("interpolates percentiles between the nearest ranks", () => {
    // Prepare
    const samples = [5, 1, 4, 2, 3];

    // Act
    const summary = summarize(samples);

    // Assess
    expect(summary).to.deep.equal({ n: 5, min: 1, median: 3, p90: 4.6, p99: 4.96, max: 5, mean: 3 });
    expect(samples, "the input is not reordered").to.deep.equal([5, 1, 4, 2, 3]);
  });

  it("orders min <= median <= p90 <= p99 <= max for any samples", () => {
    // Prepare
    const samples = fc.array(fc.double({ min: 0, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 200 });

    // Act + Assess
    fc.assert(
      fc.property(samples, (values) => {
        const s = summarize(values);
        expect(s.min <= s.median && s.median <= s.p90 && s.p90 <= s.p99 && s.p99 <= s.max, JSON.stringify(s))
          .to.be.ok;
      }),
    );
  });

  it("refuses an empty sample set and a percentile outside 0..100, naming the problem", () => {
    // Act + Assess
    expect(String(thrownBy(() => summarize([])))).to.match(/samples must not be empty/);
    expect(String(thrownBy(() => percentile([1], 101)))).to.match(/p must be from 0 to 100, got 101/);
  });
});
