import { expect } from "chai";
import { CAPACITY_ASSUMPTIONS, computeCapacity, readApiThrottle } from "../../bench/capacity";
import { API_THROTTLE } from "../../pipeline/infra/api-limits";
import { DEFAULT_RESERVED_CONCURRENCY } from "../../pipeline/infra/config";
import { warmRows } from "../helpers/bench";

describe("Function: computeCapacity", () => {
  const throttle = { rateLimit: 1000, burstLimit: 2000, source: "test" };

  it("adds the assumed SDK round trips to the handler time and scales by concurrency and batch size", () => {
    // Prepare
    const warm = warmRows({ process: 2_000, detect: 5_000, notify: 1_000 });

    // Act
    const { rows } = computeCapacity(warm, throttle);

    // Assess
    const trip = CAPACITY_ASSUMPTIONS.roundTripMs;
    expect(rows.map((row) => [row.name, row.durationMs])).to.deep.equal([
      ["process-transaction", 2 + trip],
      ["detect-fraud", 5 + 4 * trip],
      ["notify-team", 1 + 3 * trip],
    ]);
    const reserved = CAPACITY_ASSUMPTIONS.reservedConcurrency;
    expect(rows[0].sustainedPerSec).to.equal((reserved * 1) / ((2 + trip) / 1000));
    expect(rows[1].sustainedPerSec).to.equal((reserved * 100) / ((5 + 4 * trip) / 1000));
  });

  it("prices process-transaction per million at billed (rounded up) ms, 512 MB, plus requests", () => {
    // Prepare
    const warm = warmRows({ process: 500, detect: 1_000, notify: 100 });

    // Act
    const [processRow] = computeCapacity(warm, throttle).rows;

    // Assess
    const expected = 1_000_000 * (Math.ceil(10.5) / 1000) * 0.5 * 0.0000166667 + 0.2;
    expect(Math.abs(processRow.costPerMillionTx - expected) < 1e-9).to.be.ok;
  });

  it("reports the throttle above capacity when process-transaction cannot sustain the rate", () => {
    // Prepare: 90 ms per request at concurrency 50 serves about 500 rps.
    const warm = warmRows({ process: 80_000, detect: 1_000, notify: 100 });

    // Act
    const result = computeCapacity(warm, throttle);

    // Assess
    expect(result.throttleBelowCapacity).to.equal(false);
    expect(Math.abs(result.concurrencyAtRate - 90) < 1e-9).to.be.ok;
  });
});

describe("Constant: CAPACITY_ASSUMPTIONS", () => {
  it("assumes the reserved concurrency the stack deploys by default", () => {
    // Assess
    expect(CAPACITY_ASSUMPTIONS.reservedConcurrency).to.equal(DEFAULT_RESERVED_CONCURRENCY);
  });
});

describe("Function: readApiThrottle", () => {
  it("reports the throttle the stack deploys", () => {
    // Assess
    expect(readApiThrottle()).to.deep.equal({ ...API_THROTTLE, source: "pipeline/infra/api-limits.ts" });
  });
});
