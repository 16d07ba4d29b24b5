import { expect } from "chai";
import { type HttpLoadResult, measureHttpLoad } from "../../bench/http-load";

describe("Bench figure 4: measureHttpLoad (a one-second run per target, no figure asserted)", () => {
  let result: HttpLoadResult;

  before(async function () {
    this.timeout(120_000);
    result = await measureHttpLoad({ connections: 2, durationSec: 1 });
  });

  it("answers every request of both targets with 201", () => {
    for (const figure of [result.pipeline, result.bare]) {
      // Assess
      expect(figure.total).to.be.greaterThan(0);
      expect(figure.statuses).to.deep.equal({ "201": figure.total });
      expect(figure.errors).to.equal(0);
    }
  });

  it("takes each target's CPU per response from the target process itself", () => {
    // Assess: the pipeline stores, scores and streams every request; the bare server answers a constant.
    expect(result.bare.cpuPerRequestUs).to.be.greaterThan(0);
    expect(result.pipeline.cpuPerRequestUs).to.be.greaterThan(result.bare.cpuPerRequestUs);
    expect(result.cpuRatio).to.equal(result.bare.cpuPerRequestUs / result.pipeline.cpuPerRequestUs);
  });

  it("reports what the pipeline stored after the load: every answered request, and at most one in flight per connection", () => {
    // Assess: a request sent just before the load stopped is stored, but its answer is not counted.
    expect(result.drain.stored).to.be.within(
      result.pipeline.total,
      result.pipeline.total + result.connections,
    );
    expect(result.drain.deadLetters).to.equal(0);
  });
});
