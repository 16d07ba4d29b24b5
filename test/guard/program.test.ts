import { expect } from "chai";
import { fromLoadedStack, runPack } from "../helpers/guard";
import { happyStack } from "../helpers/guard-stack";
import { PURPOSES } from "../helpers/infra-graph";
import { DEFAULT_STACK_CONFIG, loadStack } from "../helpers/stack";

const FUNCTION = "aws:lambda/function:Function";

describe("Policy pack: fraud-pipeline-guard over whole stacks", () => {
  it("reports no violation on the happy-path fixture stack", async () => {
    // Prepare
    const resources = happyStack();

    // Act
    const { violations, advisories } = await runPack(resources);

    // Assess
    expect(violations).to.deep.equal([]);
    expect(advisories).to.deep.equal([]);
  });

  it("reports no violation on the resource graph index.ts registers under mocks", async () => {
    // Prepare
    const resources = fromLoadedStack(await loadStack());

    // Act
    const { violations, advisories } = await runPack(resources);

    // Assess
    expect(resources.length > 20, `expected the whole stack, got ${resources.length} resources`).to.be.ok;
    expect(violations).to.deep.equal([]);
    expect(advisories).to.deep.equal([]);
  });

  it("blocks the program's stack with waf=false at its stage, and only there", async () => {
    // Prepare
    const resources = fromLoadedStack(await loadStack({ ...DEFAULT_STACK_CONFIG, waf: "false" }));

    // Act
    const { violations } = await runPack(resources);

    // Assess
    expect(violations.map((v) => `${v.policy} ${v.urn}`)).to.deep.equal([
      "apigateway-stage-waf urn:pulumi:dev::fraud-pipeline::aws:apigateway/stage:Stage::fraud-api",
    ]);
  });

  it("judges the program's resources: a broken memory size is reported once per recorded function", async () => {
    // Prepare
    const resources = fromLoadedStack(await loadStack()).map((resource) =>
      resource.type === FUNCTION ? { ...resource, props: { ...resource.props, memorySize: 128 } } : resource,
    );

    // Act
    const { violations } = await runPack(resources);

    // Assess
    const reported = violations.map((v) => `${v.policy} ${v.urn}`).sort();
    const expected = [...PURPOSES]
      .sort()
      .map((name) => `lambda-memory-512 urn:pulumi:dev::fraud-pipeline::${FUNCTION}::${name}`);
    expect(reported).to.deep.equal(expected);
  });
});
