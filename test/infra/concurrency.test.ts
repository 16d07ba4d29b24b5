/**
 * Reserved concurrency: the setting, the account quota check at preview (both answers of the
 * Service Quotas data source, under mocks), the reservation on every function, and the cap on
 * notify-team's queue pollers.
 */
import { expect } from "chai";
import {
  concurrencyShortfall,
  LAMBDA_CONCURRENCY_QUOTA,
  queueMaximumConcurrency,
} from "../../pipeline/infra/concurrency";
import { validateReservedConcurrency } from "../../pipeline/infra/config";
import { fromLoadedStack, runPack } from "../helpers/guard";
import { PURPOSES, T } from "../helpers/infra-graph";
import {
  DEFAULT_STACK_CONFIG,
  type InvokeAnswers,
  type LoadedStack,
  loadFailingStack,
  loadStack,
  single,
} from "../helpers/stack";

const QUOTA_TOKEN = "aws:servicequotas/getServiceQuota:getServiceQuota";

/** The mocked Service Quotas data source answering `value` for the concurrency quota. */
function quotaOf(value: number): InvokeAnswers {
  return {
    [QUOTA_TOKEN]: (args) => ({ ...args.inputs, value, defaultValue: 1000, id: "lambda/L-B99A9384" }),
  };
}

const functionsOf = (stack: LoadedStack) => PURPOSES.map((purpose) => single(stack.resources, T.fn, purpose));
const queueMapping = (stack: LoadedStack) => single(stack.resources, T.mapping, "notify-team-alerts");

describe("Function: validateReservedConcurrency", () => {
  it("defaults to 50 when unset or blank", () => {
    expect(validateReservedConcurrency(undefined)).to.equal(50);
    expect(validateReservedConcurrency(" ")).to.equal(50);
  });

  for (const [text, value] of [
    ["0", 0],
    ["2", 2],
    ["50", 50],
    ["1000", 1000],
  ] as const) {
    it(`reads ${JSON.stringify(text)} as ${value}`, () => {
      expect(validateReservedConcurrency(text)).to.equal(value);
    });
  }

  for (const bad of ["-1", "2.5", "1", "fifty", "1e3", "50 executions"]) {
    it(`rejects ${JSON.stringify(bad)}, naming the setting, the value and the valid range`, () => {
      expect(() => validateReservedConcurrency(bad)).to.throw(
        `Invalid config reservedConcurrency=${JSON.stringify(bad)}: must be 0 (no reservation) or a whole number from 2 upwards`,
      );
      expect(() => validateReservedConcurrency(bad)).to.throw(
        /Set it with: pulumi config set reservedConcurrency/,
      );
    });
  }
});

describe("Function: concurrencyShortfall", () => {
  it("accepts a quota that leaves exactly 100 unreserved after four reservations", () => {
    expect(concurrencyShortfall({ quota: 300, reservation: 50 })).to.equal(undefined);
  });

  it("has nothing to check without a reservation, whatever the quota", () => {
    expect(concurrencyShortfall({ quota: 10, reservation: 0 })).to.equal(undefined);
  });

  it("names the quota, the figure needed, how to request it and the largest reservation that fits", () => {
    // Act
    const message = concurrencyShortfall({ quota: 299, reservation: 50 });
    // Assess
    expect(message).to.equal(
      'Lambda quota "Concurrent executions" (L-B99A9384) in us-east-1 is 299; reservedConcurrency=50 reserves 200 ' +
        "for the 4 functions and Lambda keeps 100 unreserved, so the quota must be at least 300. Request an increase " +
        '(Service Quotas console, AWS Lambda, "Concurrent executions", or: aws service-quotas request-service-quota-increase ' +
        "--service-code lambda --quota-code L-B99A9384 --desired-value 300 --region us-east-1), or lower the reservation: " +
        "pulumi config set reservedConcurrency 49 (the most this quota allows), or 0 for none.",
    );
  });

  it("suggests no reservation when the quota leaves room for none (a new account at 10)", () => {
    // Act
    const message = concurrencyShortfall({ quota: 10, reservation: 50 });
    // Assess
    expect(message).to.include("is 10;");
    expect(message).to.include("--desired-value 300");
    expect(message).to.match(/or reserve nothing: pulumi config set reservedConcurrency 0\.$/);
  });
});

describe("Function: queueMaximumConcurrency", () => {
  it("caps notify-team's pollers at the reservation, within what Lambda accepts (2 to 1000)", () => {
    expect(queueMaximumConcurrency(50)).to.equal(50);
    expect(queueMaximumConcurrency(2)).to.equal(2);
    expect(queueMaximumConcurrency(5000)).to.equal(1000);
  });

  it("keeps the pollers capped at the default 50 when nothing is reserved", () => {
    expect(queueMaximumConcurrency(0)).to.equal(50);
  });
});

describe("Stack: reserved concurrency and the account quota", () => {
  describe("by default", () => {
    let stack: LoadedStack;

    before(async () => {
      stack = await loadStack();
    });

    it("reserves 50 on every one of the four functions, none tagged unreserved", () => {
      expect(functionsOf(stack)).to.have.length(4);
      for (const fn of functionsOf(stack)) {
        expect(fn.inputs.reservedConcurrentExecutions, fn.name).to.equal(50);
        expect(fn.inputs.tags, fn.name).not.to.have.property("ConcurrencyReservation");
      }
      expect(queueMapping(stack).inputs.scalingConfig).to.deep.equal({ maximumConcurrency: 50 });
    });

    it("reads the Lambda concurrency quota once, through the stack's pinned provider", () => {
      // Act
      const reads = stack.invokes.filter((call) => call.token === QUOTA_TOKEN);
      // Assess
      expect(reads).to.have.length(1);
      expect(reads[0]?.inputs).to.include({
        serviceCode: LAMBDA_CONCURRENCY_QUOTA.serviceCode,
        quotaCode: "L-B99A9384",
      });
      expect(reads[0]?.provider).to.match(/::aws-us-east-1::/);
    });
  });

  it("deploys 20 per function on a quota of exactly 180 (80 reserved + 100 unreserved)", async () => {
    // Act
    const stack = await loadStack({ ...DEFAULT_STACK_CONFIG, reservedConcurrency: "20" }, quotaOf(180));
    // Assess
    for (const fn of functionsOf(stack)) expect(fn.inputs.reservedConcurrentExecutions, fn.name).to.equal(20);
    expect(queueMapping(stack).inputs.scalingConfig).to.deep.equal({ maximumConcurrency: 20 });
  });

  it("fails at preview, before any AWS resource is registered, when the quota is one short", async () => {
    // Act
    const { error, registeredTypes } = await loadFailingStack(DEFAULT_STACK_CONFIG, quotaOf(299));
    // Assess
    expect(error.message).to.equal(concurrencyShortfall({ quota: 299, reservation: 50 }));
    expect(registeredTypes.filter((type) => type.startsWith("aws:"))).to.deep.equal([]);
  });

  describe("with reservedConcurrency 0 on a new account (quota 10)", () => {
    let stack: LoadedStack;

    before(async () => {
      stack = await loadStack({ ...DEFAULT_STACK_CONFIG, reservedConcurrency: "0" }, quotaOf(10));
    });

    it("reserves nothing and tags every function as unreserved on purpose", () => {
      for (const fn of functionsOf(stack)) {
        expect(fn.inputs, fn.name).not.to.have.property("reservedConcurrentExecutions");
        expect(fn.inputs.tags, fn.name).to.include({ ConcurrencyReservation: "unreserved" });
      }
    });

    it("does not read the quota, since no reservation needs it", () => {
      expect(stack.invokes.map((call) => call.token)).not.to.include(QUOTA_TOKEN);
    });

    it("still caps notify-team's queue pollers", () => {
      expect(queueMapping(stack).inputs.scalingConfig).to.deep.equal({ maximumConcurrency: 50 });
    });

    it("passes the guard pack: the opt-out is a concurrency decision", async () => {
      // Act
      const { violations } = await runPack(fromLoadedStack(stack));
      // Assess
      expect(violations).to.deep.equal([]);
    });
  });

  it("stops on a negative reservedConcurrency, naming the setting and the valid range", async () => {
    // Act
    const { error } = await loadFailingStack({ ...DEFAULT_STACK_CONFIG, reservedConcurrency: "-1" }).catch(
      (thrown: Error) => ({ error: thrown }),
    );
    // Assess
    expect(error.message).to.match(
      /^Invalid config reservedConcurrency="-1": must be 0 \(no reservation\) or/,
    );
  });
});
