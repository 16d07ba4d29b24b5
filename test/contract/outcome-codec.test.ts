import { expect } from "chai";
import {
  checkReportedAt,
  decodeOutcome,
  makeOutcomeCodec,
} from "../../pipeline/runtime/contract/outcome-codec";
import { LIMITS } from "../../pipeline/runtime/contract/transaction";
import { outcomeBody, validOutcome } from "../helpers/outcomes";
import { FIXED_NOW } from "../helpers/transactions";

describe("Function: decodeOutcome", () => {
  it("returns the outcome when every field is valid", () => {
    // Prepare
    const outcome = validOutcome({ reported_at: FIXED_NOW });

    // Act
    const result = decodeOutcome(makeOutcomeCodec(), JSON.parse(JSON.stringify(outcome)));

    // Assess
    expect(result).to.deep.equal({ ok: true, value: outcome });
  });

  it("says what each offending field would need to be", () => {
    // Act
    const result = decodeOutcome(makeOutcomeCodec(), outcomeBody({ outcome: "x", card: "4111" }, ["source"]));

    // Assess
    expect(result).to.deep.equal({
      ok: false,
      errors: [
        { field: "outcome", message: "must be one of fraud, legitimate" },
        { field: "source", message: "is required; it must be one of chargeback, dispute, analyst, other" },
        {
          field: "card",
          message:
            "is not an accepted property (accepted: transaction_id, timestamp, outcome, source, reported_at)",
        },
      ],
    });
  });
});

describe("Function: checkReportedAt", () => {
  for (const [name, reportedAt, fields] of [
    ["absent", undefined, []],
    ["a year ago", FIXED_NOW - 365 * 86_400_000, []],
    ["exactly the allowed skew ahead", FIXED_NOW + LIMITS.maxFutureSkewMs, []],
    ["one millisecond past the allowed skew", FIXED_NOW + LIMITS.maxFutureSkewMs + 1, ["reported_at"]],
  ] as const) {
    it(`${fields.length === 0 ? "accepts" : "rejects"} reported_at ${name}`, () => {
      // Act
      const errors = checkReportedAt({ reported_at: reportedAt }, FIXED_NOW);

      // Assess
      expect(errors.map((e) => e.field)).to.deep.equal(fields);
    });
  }

  it("says how far ahead of the server clock it may be", () => {
    // Act
    const [error] = checkReportedAt({ reported_at: FIXED_NOW + 3_600_000 }, FIXED_NOW);

    // Assess
    expect(error.message).to.equal(
      `must not be more than 5 minutes ahead of the server clock (now ${FIXED_NOW}, epoch milliseconds)`,
    );
  });
});
