import { expect } from "chai";
import { formatDuration, formatMultiple } from "../../pipeline/runtime/detect/rules/format";

describe("Function: formatDuration", () => {
  it("says a duration in the largest unit that keeps it readable", () => {
    // Prepare
    const cases: [number, string][] = [
      [1_000, "1 second"],
      [45_000, "45 seconds"],
      [90_000, "1.5 minutes"],
      [3_600_000, "1 hour"],
      [36 * 3_600_000, "36 hours"],
      [30 * 86_400_000, "30 days"],
    ];

    // Act + Assess
    for (const [ms, words] of cases) expect(formatDuration(ms), `${ms} ms`).to.equal(words);
  });
});

describe("Function: formatMultiple", () => {
  it("rounds to one decimal and appends x", () => {
    expect(formatMultiple(8.1962)).to.equal("8.2x");
  });
});
