import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { guardPolicies } from "../../policies/guard/policies";

const PACK_DIR = path.resolve(__dirname, "../../policies/guard");

describe("Policy pack: metadata an auditor reads", () => {
  it("names every policy once, in kebab-case", () => {
    // Prepare
    const names = guardPolicies.map((policy) => policy.name);

    // Act
    const malformed = names.filter((name) => !/^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(name));

    // Assess
    assert.deepEqual(malformed, []);
    assert.equal(new Set(names).size, names.length);
  });

  it("describes every policy in one sentence", () => {
    // Prepare
    const descriptions = guardPolicies.map((policy) => [policy.name, policy.description]);

    // Act
    const notOneSentence = descriptions.filter(
      ([, description = ""]) => !/^[A-Z][^\n]*\.$/.test(description) || /[.!?]\s+[A-Z]/.test(description),
    );

    // Assess
    assert.deepEqual(notOneSentence, []);
  });

  it("leaves every policy at the pack's mandatory enforcement level", () => {
    // Prepare
    const levels = guardPolicies.map((policy) => policy.enforcementLevel);

    // Act
    const overridden = levels.filter((level) => level !== undefined);

    // Assess
    assert.deepEqual(overridden, []);
  });

  it("ships a package.json without dependencies, so Node resolves them from the project root", () => {
    // Prepare
    const manifest = JSON.parse(fs.readFileSync(path.join(PACK_DIR, "package.json"), "utf8"));

    // Act
    const declared = [manifest.dependencies, manifest.devDependencies, manifest.peerDependencies];

    // Assess
    assert.deepEqual(declared, [undefined, undefined, undefined]);
    assert.match(manifest.version, /^\d+\.\d+\.\d+$/);
    assert.equal(manifest.main, "index.ts");
  });
});
