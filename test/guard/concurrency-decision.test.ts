/** The concurrency-decision rule: a reservation, or the stack's explicit opt-out, nothing else. */
import { expect } from "chai";
import { checkConcurrencyDecision } from "../../policies/guard/checks/lambda";
import { runPack } from "../helpers/guard";
import { happyStack, TAGS, withProps } from "../helpers/guard-stack";
import { T } from "../helpers/infra-graph";

const SUBJECT = { type: T.fn, name: "notify-team" };
const OPT_OUT = { ...TAGS, ConcurrencyReservation: "unreserved" };

describe("Function: checkConcurrencyDecision", () => {
  for (const reserved of [1, 50, 3000]) {
    it(`accepts an explicit reservation of ${reserved}`, () => {
      expect(checkConcurrencyDecision(SUBJECT, { reservedConcurrentExecutions: reserved })).to.deep.equal([]);
    });
  }

  for (const [label, props] of [
    ["no reservation", { tags: OPT_OUT }],
    ["Lambda's -1 (unreserved)", { reservedConcurrentExecutions: -1, tags: OPT_OUT }],
  ] as const) {
    it(`accepts ${label} on a function tagged ConcurrencyReservation=unreserved`, () => {
      expect(checkConcurrencyDecision(SUBJECT, props)).to.deep.equal([]);
    });
  }

  for (const [label, props] of [
    ["no reservation and no tag", { tags: TAGS }],
    ["no reservation and another value of the tag", { tags: { ...TAGS, ConcurrencyReservation: "none" } }],
    ["-1 without the tag", { reservedConcurrentExecutions: -1 }],
    ["a fractional reservation", { reservedConcurrentExecutions: 2.5 }],
  ] as const) {
    it(`refuses ${label}, naming the property and both valid decisions`, () => {
      // Act
      const violations = checkConcurrencyDecision(SUBJECT, props);
      // Assess
      expect(violations).to.have.length(1);
      expect(violations[0]).to.match(
        /^aws:lambda\/function:Function "notify-team": reservedConcurrentExecutions is /,
      );
      expect(violations[0]).to.include("ConcurrencyReservation=unreserved");
    });
  }
});

describe("Policy pack: lambda-concurrency-decision", () => {
  it("passes a stack whose functions are all unreserved by the opt-out", async () => {
    // Prepare
    const stack = ["process-transaction", "notify-team", "record-outcome"].reduce(
      (resources, purpose) =>
        withProps(resources, T.fn, purpose, { reservedConcurrentExecutions: undefined, tags: OPT_OUT }),
      happyStack(),
    );
    // Act
    const { violations, advisories } = await runPack(stack);
    // Assess
    expect(violations).to.deep.equal([]);
    expect(advisories).to.deep.equal([]);
  });
});
