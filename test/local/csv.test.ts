import { Readable } from "node:stream";
import { expect } from "chai";
import { makeCsvReader } from "../../local/backtest/csv";
import { MAX_LINE_BYTES, readLines } from "../../local/backtest/lines";
import { InputError, readRows, type SourceRow } from "../../local/backtest/read-rows";
import { rejectionOf } from "../helpers/expect";

/** Feeds lines numbered from 1 and collects every record, the end's included. */
function records(lines: readonly string[]) {
  const reader = makeCsvReader();
  return [...lines.flatMap((text, i) => reader.push(i + 1, text)), ...reader.end()];
}

async function rowsOf(text: string | Buffer): Promise<SourceRow[]> {
  const rows: SourceRow[] = [];
  for await (const row of readRows(Readable.from([Buffer.from(text)]))) rows.push(row);
  return rows;
}

const HEADER = "transaction_id,account_id,amount,currency,timestamp,merchant_id";

function csvLine(id: number): string {
  return `tx-${id},acct-1,${100 + id},USD,${1_760_000_000_000 + id},m-1`;
}

describe("Function: makeCsvReader", () => {
  it("splits plain, empty and quoted fields with commas, escaped quotes and line breaks", () => {
    // Act
    const result = records(["id,note", 'a,,"b,c","say ""hi""",', '2,"two', 'lines"']);

    // Assess
    expect(result).to.deep.equal([
      { ok: true, fields: ["id", "note"], line: 1 },
      { ok: true, fields: ["a", "", "b,c", 'say "hi"', ""], line: 2 },
      { ok: true, fields: ["2", "two\nlines"], line: 3 },
    ]);
  });

  it("costs one record for a stray quote or text after a closing quote, and goes on", () => {
    // Act
    const result = records(["1,x", '2,a"b', "3,y", '"4"z,w', "5,v"]);

    // Assess
    expect(result).to.deep.equal([
      { ok: true, fields: ["1", "x"], line: 1 },
      { ok: false, error: "row: has a quote inside a field that does not start with one", line: 2 },
      { ok: true, fields: ["3", "y"], line: 3 },
      { ok: false, error: "row: has a character after the closing quote of a field", line: 4 },
      { ok: true, fields: ["5", "v"], line: 5 },
    ]);
  });

  it("reports a quote never closed by its line and reads the lines after it again", () => {
    // Act
    const result = records(["1,x", '2,"never closed', "3,y", "4,z"]);

    // Assess
    expect(result).to.deep.equal([
      { ok: true, fields: ["1", "x"], line: 1 },
      { ok: false, error: "row: has a quoted field that is not closed", line: 2 },
      { ok: true, fields: ["3", "y"], line: 3 },
      { ok: true, fields: ["4", "z"], line: 4 },
    ]);
  });

  it("gives up on an unclosed quote once the record passes the size cap", () => {
    // Prepare
    const filler = Array.from({ length: 40 }, () => "f".repeat(32 * 1024));

    // Act
    const result = records(['1,"open', ...filler, "2,y"]);

    // Assess
    expect(result[0]).to.deep.include({ ok: false, line: 1 });
    expect(result.at(-1)).to.deep.equal({ ok: true, fields: ["2", "y"], line: 42 });
  });
});

describe("Function: readLines", () => {
  it("reports a line over the cap by its length, drops a BOM and a CR, and numbers lines", async () => {
    // Prepare
    const huge = "x".repeat(MAX_LINE_BYTES + 10);
    const stream = Readable.from([
      Buffer.from(`\ufeffa\r\n${huge.slice(0, 500)}`),
      Buffer.from(`${huge.slice(500)}\nb`),
    ]);

    // Act
    const lines = [];
    for await (const line of readLines(stream)) lines.push(line);

    // Assess
    expect(lines).to.deep.equal([
      { line: 1, text: "a" },
      { line: 2, tooLong: MAX_LINE_BYTES + 10 },
      { line: 3, text: "b" },
    ]);
  });
});

describe("Function: readRows on hostile files", () => {
  it("loses one row, not the rest, to a stray quote in 100,000 CSV rows", async () => {
    // Prepare
    const lines = Array.from({ length: 100_000 }, (_, i) => csvLine(i));
    lines[3] = lines[3].replace("acct-1", 'acct"1');

    // Act
    const rows = await rowsOf(`${HEADER}\n${lines.join("\n")}\n`);

    // Assess
    const invalid = rows.filter((row) => "errors" in row);
    expect(rows).to.have.length(100_000);
    expect(invalid).to.deep.equal([
      { line: 5, errors: ["row: has a quote inside a field that does not start with one"] },
    ]);
  });

  it("makes an over-long line one invalid row in CSV and JSON Lines, and reads on", async () => {
    // Prepare
    const huge = "9".repeat(MAX_LINE_BYTES + 1);

    // Act
    const csv = await rowsOf(`${HEADER}\n${csvLine(1)}${huge}\n${csvLine(2)}\n`);
    const jsonl = await rowsOf(`{"transaction_id":"tx-1","amount":${huge}}\n{"transaction_id":"tx-2"}\n`);

    // Assess
    for (const rows of [csv, jsonl]) {
      expect(rows).to.have.length(2);
      expect(rows[0])
        .to.have.property("errors")
        .that.satisfies((errors: string[]) =>
          errors[0].includes(`more than the ${MAX_LINE_BYTES} bytes a row may have`),
        );
      expect(rows[1]).to.have.property("value");
    }
  });

  it("strips a UTF-8 BOM before the first line of JSON Lines and of CSV", async () => {
    // Act
    const jsonl = await rowsOf('\ufeff{"transaction_id":"tx-1"}\n');
    const csv = await rowsOf(`\ufeff${HEADER}\n${csvLine(1)}\n`);

    // Assess
    expect(jsonl).to.deep.equal([{ line: 1, value: { transaction_id: "tx-1" }, label: undefined }]);
    expect(csv[0]).to.have.nested.property("value.transaction_id", "tx-1");
  });

  it("rejects a CSV header that names a column twice, naming the column", async () => {
    // Act
    const error = await rejectionOf(rowsOf(`transaction_id,amount,amount\ntx-1,1,2\n`));

    // Assess
    expect(error).to.be.instanceOf(InputError);
    expect((error as Error).message).to.equal(
      'the CSV header names the column "amount" twice; keep one of them',
    );
  });
});
