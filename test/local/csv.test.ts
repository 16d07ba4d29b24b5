import { expect } from "chai";
import { makeCsvReader, parseCsvRecord } from "../../local/backtest/csv";

describe("Function: parseCsvRecord", () => {
  it("splits plain, empty and quoted fields with commas and escaped quotes", () => {
    // Act
    const result = parseCsvRecord('a,,"b,c","say ""hi""",');

    // Assess
    expect(result).to.deep.equal({ ok: true, fields: ["a", "", "b,c", 'say "hi"', ""] });
  });

  it("rejects an unclosed quote, text after a closing quote and a quote inside an unquoted field", () => {
    // Act
    const unclosed = parseCsvRecord('a,"b');
    const trailing = parseCsvRecord('"a"b,c');
    const inner = parseCsvRecord('a"b,c');

    // Assess
    expect(unclosed.ok).to.equal(false);
    expect(trailing.ok).to.equal(false);
    expect(inner.ok).to.equal(false);
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
    expect(first).to.deep.equal({ ok: true, fields: ["id", "note"], line: 1 });
    expect(open).to.equal(undefined);
    expect(closed).to.deep.equal({ ok: true, fields: ["2", "two\nlines"], line: 2 });
    expect(last).to.deep.equal({ ok: true, fields: ["3", "x"], line: 4 });
    expect(reader.end()).to.equal(undefined);
  });

  it("reports an unterminated quoted field at the end of input", () => {
    // Prepare
    const reader = makeCsvReader();
    reader.push('1,"never closed');

    // Act
    const record = reader.end();

    // Assess
    expect(record).to.deep.equal({ ok: false, error: "a quoted field is not closed", line: 1 });
  });
});
