import assert from "node:assert/strict";
import { makeCsvReader, parseCsvRecord } from "../../local/backtest/csv";

describe("Function: parseCsvRecord", () => {
  it("splits plain, empty and quoted fields with commas and escaped quotes", () => {
    // Act
    const result = parseCsvRecord('a,,"b,c","say ""hi""",');

    // Assess
    assert.deepEqual(result, { ok: true, fields: ["a", "", "b,c", 'say "hi"', ""] });
  });

  it("rejects an unclosed quote, text after a closing quote and a quote inside an unquoted field", () => {
    // Act
    const unclosed = parseCsvRecord('a,"b');
    const trailing = parseCsvRecord('"a"b,c');
    const inner = parseCsvRecord('a"b,c');

    // Assess
    assert.equal(unclosed.ok, false);
    assert.equal(trailing.ok, false);
    assert.equal(inner.ok, false);
  });
});

describe("Function: makeCsvReader", () => {
  it("joins a quoted field across lines, strips CR and numbers records by their first line", () => {
    // Prepare
    const reader = makeCsvReader();

    // Act
    const first = reader.push("id,note\r");
    const open = reader.push('2,"two');
    const closed = reader.push('lines"');
    const last = reader.push("3,x");

    // Assess
    assert.deepEqual(first, { ok: true, fields: ["id", "note"], line: 1 });
    assert.equal(open, undefined);
    assert.deepEqual(closed, { ok: true, fields: ["2", "two\nlines"], line: 2 });
    assert.deepEqual(last, { ok: true, fields: ["3", "x"], line: 4 });
    assert.equal(reader.end(), undefined);
  });

  it("reports an unterminated quoted field at the end of input", () => {
    // Prepare
    const reader = makeCsvReader();
    reader.push('1,"never closed');

    // Act
    const record = reader.end();

    // Assess
    assert.deepEqual(record, { ok: false, error: "a quoted field is not closed", line: 1 });
  });
});
