import * as fs from "node:fs";
import { expect } from "chai";
import { DETECTION_DOC, withTables } from "../../local/docs-tables";
import { FEATURE_NAMES } from "../../pipeline/runtime/detect/features/registry";
import { thrownBy } from "../helpers/expect";

describe("Docs: detection tables", () => {
  it("are what the registries generate (run npm run docs:tables after changing a feature, rule or signal)", () => {
    // Prepare
    const text = fs.readFileSync(DETECTION_DOC, "utf8");

    // Act
    const regenerated = withTables(text);

    // Assess
    expect(text).to.equal(regenerated);
    for (const name of FEATURE_NAMES) expect(text.includes(`\`${name}\``), name).to.be.ok;
  });

  it("names a missing marker", () => {
    expect(String(thrownBy(() => withTables("no markers here")))).to.match(
      /lacks the markers <!-- features:start -->/,
    );
  });
});
