import * as fs from "node:fs";
import * as path from "node:path";
import { expect } from "chai";
import { guardPolicies } from "../../policies/guard/policies";

const PACK_DIR = path.resolve(__dirname, "../../policies/guard");

describe("Policy pack: metadata an auditor reads", () => {
  it("names every policy once, in kebab-case", () => {
    // Prepare
    const names = guardPolicies.map((policy) => policy.name);

    // Act
    const malformed = names.filter((name) => !/^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(name));

    // Assess
    expect(malformed).to.deep.equal([]);
    expect(new Set(names).size).to.equal(names.length);
  });

  it("describes every policy in one sentence", () => {
    // Prepare
    const descriptions = guardPolicies.map((policy) => [policy.name, policy.description]);

    // Act
    const notOneSentence = descriptions.filter(
      ([, description = ""]) => !/^[A-Z][^\n]*\.$/.test(description) || /[.!?]\s+[A-Z]/.test(description),
    );

    // Assess
    expect(notOneSentence).to.deep.equal([]);
  });

  it("leaves every policy at the pack's mandatory enforcement level", () => {
    // Prepare
    const levels = guardPolicies.map((policy) => policy.enforcementLevel);

    // Act
    const overridden = levels.filter((level) => level !== undefined);

    // Assess
    expect(overridden).to.deep.equal([]);
  });

  it("ships a package.json without dependencies, so Node resolves them from the project root", () => {
    // Prepare
    const manifest = JSON.parse(fs.readFileSync(path.join(PACK_DIR, "package.json"), "utf8"));

    // Act
    const declared = [manifest.dependencies, manifest.devDependencies, manifest.peerDependencies];

    // Assess
    expect(declared).to.deep.equal([undefined, undefined, undefined]);
    expect(manifest.version).to.match(/^\d+\.\d+\.\d+$/);
    expect(manifest.main).to.equal("index.ts");
  });
});
