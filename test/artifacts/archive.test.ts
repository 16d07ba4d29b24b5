import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { expect } from "chai";
import { UNUSED_RUNTIME_PACKAGES } from "../../pipeline/infra/archives";
import type { FunctionKey } from "../../pipeline/infra/naming";
import { makeDetectFraudFactory } from "../../pipeline/runtime/lambda/detect-fraud";
import { notifyTeamFactory } from "../../pipeline/runtime/lambda/notify-team";
import { processTransactionFactory } from "../../pipeline/runtime/lambda/process-transaction";
import { recordOutcomeFactory } from "../../pipeline/runtime/lambda/record-outcome";
import { type ArchivePackage, archivePackages } from "../helpers/archive";

const ROOT = path.resolve(__dirname, "..", "..");
const manifest = (dir: string) => JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8"));
const RUNTIME_DEPENDENCIES = Object.keys(manifest(ROOT).dependencies ?? {});

/** Development tools that must never be shipped to Lambda (they belong in devDependencies). */
const DEV_TOOLS = [
  "mocha",
  "node",
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

/** Each function's factory as the stack passes it (detect-fraud's without a model: a model is data, not code). */
const FACTORIES: Record<FunctionKey, () => unknown> = {
  process: processTransactionFactory,
  detect: makeDetectFraudFactory(undefined),
  notify: notifyTeamFactory,
  record: recordOutcomeFactory,
};

/** `@aws-sdk/client-sns/dist-cjs/index.js` -> `@aws-sdk/client-sns`. */
function packageOf(specifier: string): string {
  const parts = specifier.split("/");
  return specifier.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0];
}

/** The packages a serialized handler requires, plus their required peer dependencies (io-ts needs fp-ts). */
async function requiredPackages(factory: () => unknown): Promise<Set<string>> {
  const { text } = await pulumi.runtime.serializeFunction(factory, { isFactoryFunction: true });
  const required = new Set([...text.matchAll(/require\("([^"]+)"\)/g)].map((m) => packageOf(m[1])));
  for (const name of [...required]) {
    const { peerDependencies = {}, peerDependenciesMeta = {} } = manifest(
      path.join(ROOT, "node_modules", name),
    );
    for (const peer of Object.keys(peerDependencies)) {
      if (!peerDependenciesMeta[peer]?.optional) required.add(peer);
    }
  }
  return required;
}

for (const key of Object.keys(FACTORIES) as FunctionKey[]) {
  describe(`Function: archive of ${key} (what its CallbackFunction uploads)`, () => {
    let packages: ArchivePackage[];
    let names: Set<string>;
    let required: Set<string>;

    before(async () => {
      packages = await archivePackages({ extraExcludePackages: UNUSED_RUNTIME_PACKAGES[key] });
      names = new Set(packages.map((p) => p.name));
      required = await requiredPackages(FACTORIES[key]);
    });

    it("ships every package the serialized handler requires", () => {
      // Assess
      expect(required.size > 0).to.be.ok;
      for (const name of required)
        expect(names.has(name), `${name} is required but not in the archive`).to.be.ok;
    });

    it("leaves out every runtime dependency the handler does not require", () => {
      // Assess
      const unused = RUNTIME_DEPENDENCIES.filter(
        (name) => !name.startsWith("@pulumi/") && !required.has(name),
      );
      expect(unused.filter((name) => names.has(name))).to.deep.equal([]);
    });

    it("ships no test or build tool, no Pulumi package and not the v2 AWS SDK", () => {
      // Assess
      const shipped = [...names].filter(
        (name) => DEV_TOOLS.includes(name) || name.startsWith("@pulumi/") || name === "aws-sdk",
      );
      expect(shipped).to.deep.equal([]);
    });
  });
}

describe("Function: archivePackages", () => {
  it("reports a size for every package, largest first", async () => {
    // Act
    const packages = await archivePackages();

    // Assess
    expect(packages.length > 0).to.be.ok;
    expect(packages.every((p) => p.bytes > 0 && p.path.includes("node_modules"))).to.be.ok;
    expect(packages.every((p, i) => i === 0 || packages[i - 1].bytes >= p.bytes)).to.be.ok;
  });
});
