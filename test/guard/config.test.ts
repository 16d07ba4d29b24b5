import { expect } from "chai";
import { GUARD_DEFAULTS } from "../../policies/guard/config";
import { guardPolicies } from "../../policies/guard/policies";
import { configOf, runPack } from "../helpers/guard";
import { happyStack, TAGS, withProps } from "../helpers/guard-stack";
import { T } from "../helpers/infra-graph";

function policyNamed(name: string) {
  const policy = guardPolicies.find((p) => p.name === name);
  if (policy === undefined) throw new Error(`No policy ${name}`);
  return policy;
}

describe("Policy pack: configuration", () => {
  it("declares today's values as the configSchema defaults", () => {
    // Prepare
    const names = [
      "required-tags",
      "physical-names",
      "sqs-fraud-alerts-visibility-300",
      "dynamodb-stream-new-and-old-images",
    ];

    // Act
    const defaults = names.map((name) => configOf(policyNamed(name), {}));

    // Assess
    expect(defaults).to.deep.equal([
      { tags: { Environment: "production", CostCenter: "fraud-detection" } },
      { suffixPattern: "{stack}" },
      { queueNameIncludes: "fraud-alerts", queueNameExcludes: "dlq" },
      { tableNameIncludes: "transactions" },
    ]);
    expect(defaults).to.deep.equal([
      GUARD_DEFAULTS.requiredTags,
      GUARD_DEFAULTS.physicalNames,
      GUARD_DEFAULTS.alertsQueue,
      GUARD_DEFAULTS.streamTable,
    ]);
  });

  it("required-tags enforces the configured tag values instead of the defaults", async () => {
    // Prepare
    const config = { "required-tags": { tags: { ...TAGS, Environment: "staging" } } };
    const staging = happyStack().map((r) =>
      "tags" in r.props ? { ...r, props: { ...r.props, tags: { ...TAGS, Environment: "staging" } } } : r,
    );

    // Act
    const onProduction = await runPack(happyStack(), config);
    const onStaging = await runPack(staging, config);

    // Assess
    expect(onProduction.violations.length > 10).to.be.ok;
    expect(onProduction.violations.every((v) => v.policy === "required-tags")).to.be.ok;
    expect(
      onProduction.violations.every((v) =>
        v.message.endsWith('tags.Environment is "production"; it must be "staging".'),
      ),
    ).to.be.ok;
    expect(onStaging.violations).to.deep.equal([]);
  });

  it("physical-names takes the suffix from the configured pattern", async () => {
    // Prepare
    const config = { "physical-names": { suffixPattern: "pr-[0-9]+" } };
    const renamed = withProps(happyStack(), T.queue, "fraud-alerts", { name: "sqs-fraud-alerts-pr-42" });

    // Act
    const { violations } = await runPack(renamed, config);

    // Assess
    const flagged = violations.map((v) => v.urn);
    expect(violations.every((v) => v.policy === "physical-names")).to.be.ok;
    expect(!flagged.includes("urn:pulumi:dev::fraud-pipeline::aws:sqs/queue:Queue::fraud-alerts")).to.be.ok;
    expect(flagged.includes("urn:pulumi:dev::fraud-pipeline::aws:sqs/queue:Queue::fraud-alerts-dlq")).to.be
      .ok;
  });

  it("physical-names defaults the suffix to the stack name read from the URN", async () => {
    // Prepare
    const prodStack = happyStack().map((r) => ({
      ...r,
      urn: `urn:pulumi:prod::fraud-pipeline::${r.type}::${r.name}`,
    }));

    // Act
    const { violations } = await runPack(prodStack);

    // Assess
    expect(violations.length > 10).to.be.ok;
    expect(violations.every((v) => v.policy === "physical-names" && v.message.includes("-(?:prod)$"))).to.be
      .ok;
  });

  it("sqs-fraud-alerts-visibility-300 follows the configured queue matcher", async () => {
    // Prepare
    const config = {
      "sqs-fraud-alerts-visibility-300": { queueNameIncludes: "fraud-alerts", queueNameExcludes: "" },
    };

    // Act
    const { violations } = await runPack(happyStack(), config);

    // Assess
    expect(violations).to.deep.equal([
      {
        policy: "sqs-fraud-alerts-visibility-300",
        message: 'aws:sqs/queue:Queue "fraud-alerts-dlq": visibilityTimeoutSeconds is 30; it must be 300.',
        urn: "urn:pulumi:dev::fraud-pipeline::aws:sqs/queue:Queue::fraud-alerts-dlq",
      },
    ]);
  });

  it("dynamodb-stream-new-and-old-images requires a stream of the table the configured matcher names", async () => {
    // Prepare
    const config = { "dynamodb-stream-new-and-old-images": { tableNameIncludes: "merchant-risk" } };

    // Act
    const { violations } = await runPack(happyStack(), config);

    // Assess
    const table = 'aws:dynamodb/table:Table "merchant-risk"';
    const urn = "urn:pulumi:dev::fraud-pipeline::aws:dynamodb/table:Table::merchant-risk";
    expect(violations).to.deep.equal([
      {
        policy: "dynamodb-stream-new-and-old-images",
        message: `${table}: streamEnabled is not set; it must be true.`,
        urn,
      },
      {
        policy: "dynamodb-stream-new-and-old-images",
        message: `${table}: streamViewType is not set; it must be "NEW_AND_OLD_IMAGES".`,
        urn,
      },
    ]);
  });
});
