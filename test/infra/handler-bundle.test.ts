/** bundleFactory: what a bundle keeps of a package depends on how the closure reads it. */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { expect } from "chai";
import * as t from "io-ts";
import { type BundledHandler, bundleFactory } from "../../pipeline/infra/handler-bundle";
import { externalRequires } from "../helpers/archive";

/** Requires a bundle from a fresh directory and returns its handler. */
function loadBundle(dir: string, name: string, code: string): () => Promise<unknown> {
  const file = path.join(dir, `${name}.js`);
  fs.writeFileSync(file, code);
  return require(file).handler;
}

describe("Function: bundleFactory", () => {
  let dir: string;
  let named: BundledHandler;
  let whole: BundledHandler;

  before(async function () {
    this.timeout(60_000);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "fraud-bundle-unit-"));
    // Reads two exports of io-ts.
    named = await bundleFactory(() => async () => t.string.is("id") && !t.number.is("id"));
    // Hands the module object on: every export must stay.
    whole = await bundleFactory(() => async () => Object.keys(t).includes("string"));
  });

  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("exports a working handler from a closure that reads named exports of a package", async () => {
    // Act
    const handler = loadBundle(dir, "named", named.code);
    // Assess
    expect(named.exportName).to.equal("handler");
    expect(named.containsSecrets).to.equal(false);
    expect(await handler()).to.equal(true);
  });

  it("keeps the whole module object for a closure that uses it as a value", async () => {
    // Act
    const handler = loadBundle(dir, "whole", whole.code);
    // Assess
    expect(await handler()).to.equal(true);
  });

  it("leaves out of the bundle what the named exports do not reach, and requires no package", () => {
    // Assess
    expect(named.code.length < whole.code.length, "named exports did not narrow the bundle").to.be.ok;
    expect(externalRequires(named.code)).to.deep.equal([]);
    expect(externalRequires(whole.code)).to.deep.equal([]);
  });
});
