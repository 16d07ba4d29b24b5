import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { expect } from "chai";
import { LAMBDA_REQUIREMENTS } from "../../policies/guard/checks/lambda";

const ROOT = path.resolve(__dirname, "..", "..");
const NODE_PACKAGE = path.join(ROOT, "node_modules", "node");
const manifest = (dir: string) => JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8"));

/** The Node version `test:unit` runs the suite under, as package.json pins it. */
const PINNED = manifest(ROOT).devDependencies.node as string;

describe("Function: the pinned Node binary (test:unit)", () => {
  it("pins an exact version of the Lambda runtime's major", () => {
    // Prepare
    const lambdaMajor = /^nodejs(\d+)\.x$/.exec(LAMBDA_REQUIREMENTS.runtime)?.[1];

    // Assess
    expect(PINNED).to.match(/^\d+\.\d+\.\d+$/);
    expect(PINNED.split(".")[0]).to.equal(lambdaMajor);
  });

  it("is installed and reports the pinned version", () => {
    // Prepare
    const binary = path.join(NODE_PACKAGE, manifest(NODE_PACKAGE).bin.node);

    // Act
    const version = execFileSync(binary, ["--version"], { encoding: "utf8" }).trim();

    // Assess
    expect(version).to.equal(`v${PINNED}`);
  });

  it("is not linked into node_modules/.bin, so npm scripts keep the Node that runs npm", () => {
    // Prepare
    const bin = path.join(ROOT, "node_modules", ".bin");

    // Act
    const linked = ["node", "node.cmd", "node.ps1"].filter((name) => fs.existsSync(path.join(bin, name)));

    // Assess
    expect(linked, "run `npm install`: its postinstall removes the link").to.deep.equal([]);
  });
});
