import assert from "node:assert/strict";
import * as fs from "node:fs";
import { DETECTION_DOC, withTables } from "../../local/docs-tables";
import { FEATURE_NAMES } from "../../pipeline/runtime/detect/features/registry";

describe("Docs: detection tables", () => {
  it("are what the registries generate (run npm run docs:tables after changing a feature, rule or signal)", () => {
    // Prepare
    const text = fs.readFileSync(DETECTION_DOC, "utf8");

    // Act
    const regenerated = withTables(text);

    // Assess
    assert.equal(text, regenerated);
    for (const name of FEATURE_NAMES) assert.ok(text.includes(`\`${name}\``), name);
  });

  it("names a missing marker", () => {
    assert.throws(() => withTables("no markers here"), /lacks the markers <!-- features:start -->/);
  });
});
