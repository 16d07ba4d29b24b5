import assert from "node:assert/strict";
import { type ArchivePackage, archivePackages } from "../helpers/archive";

/** Development tools that must never be shipped to Lambda (they belong in devDependencies). */
const DEV_TOOLS = [
  "mocha",
  "ts-node",
  "typescript",
  "aws-sdk-client-mock",
  "sinon",
  "fast-check",
  "autocannon",
  "ajv",
  "ajv-draft-04",
  "@biomejs/biome",
  "@pulumi/policy",
  "@types/aws-lambda",
];

/** What the handlers require at run time. */
const RUNTIME_PACKAGES = [
  "@aws-sdk/client-dynamodb",
  "@aws-sdk/util-dynamodb",
  "@aws-sdk/client-sqs",
  "@aws-sdk/client-sns",
  "@aws-lambda-powertools/logger",
  "@aws-lambda-powertools/metrics",
  "io-ts",
  "fp-ts",
];

describe("Function: archivePackages (what CallbackFunction uploads)", () => {
  let packages: ArchivePackage[];

  before(async () => {
    packages = await archivePackages();
  });

  it("ships every package the handlers require", () => {
    // Assess
    const names = new Set(packages.map((p) => p.name));
    for (const name of RUNTIME_PACKAGES) assert.ok(names.has(name), `${name} is missing from the archive`);
  });

  it("ships no test or build tool", () => {
    // Assess
    const shipped = packages.map((p) => p.name).filter((name) => DEV_TOOLS.includes(name));
    assert.deepEqual(shipped, []);
  });

  it("ships no Pulumi package and not the v2 AWS SDK", () => {
    // Assess
    const shipped = packages
      .map((p) => p.name)
      .filter((name) => name.startsWith("@pulumi/") || name === "aws-sdk");
    assert.deepEqual(shipped, []);
  });

  it("reports a size for every package, largest first", () => {
    // Assess
    assert.ok(packages.length > 0);
    assert.ok(packages.every((p) => p.bytes > 0 && p.path.includes("node_modules")));
    assert.ok(packages.every((p, i) => i === 0 || packages[i - 1].bytes >= p.bytes));
  });

  it("leaves out what a function excludes through codePathOptions", async () => {
    // Act
    const trimmed = await archivePackages({ extraExcludePackages: ["@aws-sdk/client-sqs"] });

    // Assess
    assert.equal(
      trimmed.some((p) => p.name === "@aws-sdk/client-sqs"),
      false,
    );
    assert.ok(trimmed.some((p) => p.name === "@aws-sdk/client-sns"));
  });
});
