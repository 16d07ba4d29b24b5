import { expect } from "chai";
import { type HttpLoadResult, measureHttpLoad } from "../../bench/http-load";

describe("Bench figure 4: measureHttpLoad (two one-second rounds per target, no figure asserted)", () => {
  let result: HttpLoadResult;

  before(async function () {
    this.timeout(120_000);
    result = await measureHttpLoad({ connections: 2, durationSec: 1, rounds: 2 });
  });

  it("answers every request of both targets with 201, in each of the rounds", () => {
    for (const figure of [result.pipeline, result.bare]) {
      // Assess
      expect(figure.roundsPerSec).to.have.length(2);
      expect(figure.roundsPerSec.every((perSec) => perSec > 0)).to.equal(true);
      expect(figure.requestsPerSec).to.be.within(
        Math.min(...figure.roundsPerSec),
        Math.max(...figure.roundsPerSec),
      );
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

  it("reports what the pipeline stored: every answered request, and at most one in flight per connection and round", () => {
    // Assess: a request sent just before a round stopped is stored, but its answer is not counted.
    expect(result.drain.stored).to.be.within(
      result.pipeline.total,
      result.pipeline.total + result.connections * result.rounds,
    );
    expect(result.drain.deadLetters).to.equal(0);
  });

  it("refuses a round count that is not a whole number from 1, naming it", async () => {
    // Act
    const refused = await measureHttpLoad({ connections: 2, durationSec: 1, rounds: 0 }).then(
      () => undefined,
      (error: Error) => error.message,
    );

    // Assess
    expect(refused).to.equal("measureHttpLoad: rounds must be a whole number from 1, got 0");
  });
});
