import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { assert, expect } from "chai";
import {
  generateHistory,
  generateTransactions,
  main,
  parseGenerateArgs,
  USAGE,
  writeTransactionsFile,
} from "../../bench/generate";
import { decodeTransaction, makeTransactionCodec } from "../../pipeline/runtime/contract/codec";
import { thrownBy } from "../helpers/expect";

const DAY_MS = 86_400_000;

/** Runs `main` with stdout and stderr captured; restores them whatever happens. */
function runMain(argv: readonly string[]) {
  const written = { stdout: "", stderr: "" };
  const original = { stdout: process.stdout.write, stderr: process.stderr.write };
  const capture = (stream: "stdout" | "stderr") =>
    ((text: string) => {
      written[stream] += text;
      return true;
    }) as typeof process.stdout.write;
  process.stdout.write = capture("stdout");
  process.stderr.write = capture("stderr");
  try {
    return { code: main(argv, {}), ...written };
  } finally {
    process.stdout.write = original.stdout;
    process.stderr.write = original.stderr;
  }
}

describe("Function: generateTransactions", () => {
  const rows = generateTransactions({ rows: 5_000, seed: 3 });

  it("produces at least the requested rows, sorted by timestamp, with unique keys", () => {
    // Assess
    expect(rows.length >= 5_000).to.be.ok;
    expect(rows.every((row, i) => i === 0 || rows[i - 1].timestamp <= row.timestamp)).to.be.ok;
    expect(new Set(rows.map((row) => `${row.transaction_id}@${row.timestamp}`)).size).to.equal(rows.length);
  });

  it("produces transactions the contract's codec accepts once the label is removed", () => {
    // Prepare
    const codec = makeTransactionCodec();

    // Act
    const rejected = rows.filter(({ is_fraud: _label, ...tx }) => !decodeTransaction(codec, tx).ok);

    // Assess
    expect(rejected.slice(0, 3)).to.deep.equal([]);
  });

  it("is deterministic for a seed", () => {
    // Act
    const again = generateTransactions({ rows: 5_000, seed: 3 });

    // Assess
    expect(again).to.deep.equal(rows);
  });

  it("differs for another seed", () => {
    // Act
    const other = generateTransactions({ rows: 5_000, seed: 4 });

    // Assess
    expect(other.slice(0, 100)).not.to.deep.equal(rows.slice(0, 100));
  });

  it("keeps every row inside the period and the given numbers of accounts and merchants", () => {
    // Prepare
    const start = Date.UTC(2024, 1, 1);

    // Act
    const custom = generateTransactions({
      rows: 4_000,
      seed: 9,
      start,
      days: 45,
      accounts: 60,
      merchants: 80,
    });

    // Assess
    expect(custom.every((row) => row.timestamp >= start && row.timestamp < start + 45 * DAY_MS)).to.be.ok;
    expect(new Set(custom.map((row) => row.account_id)).size <= 60).to.be.ok;
    // A fraudulent merchant may be a new one; every other merchant is one of the population.
    const fraudMerchants = new Set(custom.filter((row) => row.is_fraud).map((row) => row.merchant_id));
    const others = new Set(custom.map((row) => row.merchant_id).filter((id) => !fraudMerchants.has(id)));
    expect(others.size <= 80, `${others.size} merchants`).to.be.ok;
  });

  it("labels nothing when the fraud rate is 0", () => {
    // Act
    const clean = generateTransactions({ rows: 2_000, seed: 1, fraudRate: 0 });

    // Assess
    expect(clean.filter((row) => row.is_fraud).length).to.equal(0);
  });

  it("names the option and its range when an option is out of range", () => {
    // Assess
    expect(String(thrownBy(() => generateTransactions({ rows: 0 })))).to.match(
      /rows must be an integer from 1 to/,
    );
    expect(String(thrownBy(() => generateTransactions({ rows: 10, fraudRate: 0.5 })))).to.match(
      /fraudRate must be a number from 0 to 0.2/,
    );
    expect(String(thrownBy(() => generateTransactions({ rows: 10, start: -1 })))).to.match(
      /start must be a date \(epoch ms\)/,
    );
  });
});

describe("Function: generateHistory", () => {
  const fraudRate = 0.01;
  const history = generateHistory({ rows: 40_000, seed: 11, fraudRate, days: 35 });
  const fraudRows = history.rows.filter((row) => row.is_fraud);

  it("labels about the requested share of the rows as fraud", () => {
    // Act
    const share = fraudRows.length / history.rows.length;

    // Assess
    expect(Math.abs(share - fraudRate) < fraudRate * 0.2, `fraud share ${share}, asked ${fraudRate}`).to.be
      .ok;
  });

  it("makes every fraud pattern and every kind of unusual legitimate row, and counts them right", () => {
    // Act
    const counts = Object.values(history.fraudByPattern);

    // Assess
    expect(
      counts.every((n) => n > 0),
      JSON.stringify(history.fraudByPattern),
    ).to.be.ok;
    expect(counts.reduce((sum, n) => sum + n, 0)).to.equal(fraudRows.length);
    expect(
      Object.values(history.unusual).every((n) => n > 0),
      JSON.stringify(history.unusual),
    ).to.be.ok;
  });

  it("shows the shapes of the patterns: tiny probes, bursts within minutes, fraud from abroad", () => {
    // Prepare
    const byAccount = new Map<string, typeof fraudRows>();
    for (const row of fraudRows)
      byAccount.set(row.account_id, [...(byAccount.get(row.account_id) ?? []), row]);
    const bursts = [...byAccount.values()].filter((rows) =>
      rows.some((row, i) => i >= 4 && row.timestamp - rows[i - 4].timestamp <= 10 * 60_000),
    );

    // Assess
    expect(fraudRows.some((row) => row.amount < 200 && row.channel === "online")).to.be.ok;
    expect(bursts.length > 0, "no account has five fraudulent rows within ten minutes").to.be.ok;
    const countries = new Set(fraudRows.map((row) => row.country));
    expect(countries.size > 3, `fraud in ${countries.size} countries`).to.be.ok;
  });
});

describe("Function: writeTransactionsFile", () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "generate-test-"));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("writes the same bytes for the same options, one JSON row per line", () => {
    // Prepare
    const options = { rows: 3_000, seed: 5, days: 40, fraudRate: 0.008 };

    // Act
    const summary = writeTransactionsFile(path.join(dir, "a.jsonl"), options);
    writeTransactionsFile(path.join(dir, "b.jsonl"), options);

    // Assess
    const a = fs.readFileSync(path.join(dir, "a.jsonl"));
    expect(a.equals(fs.readFileSync(path.join(dir, "b.jsonl")))).to.be.ok;
    const lines = a.toString("utf8").trimEnd().split("\n");
    expect(lines.length).to.equal(summary.rows);
    expect(lines.filter((line) => JSON.parse(line).is_fraud === true).length).to.equal(summary.fraud);
  });
});

describe("Function: parseGenerateArgs", () => {
  it("takes every flag, in both --flag value and --flag=value forms", () => {
    // Act
    const argv =
      "--rows=1000 --seed 7 --out h.jsonl --days 60 --fraud-rate 0.01 --accounts 50 --merchants=200";
    const parsed = parseGenerateArgs([...argv.split(" "), "--start", "2025-01-15"], {});

    // Assess
    const options = { rows: 1000, seed: 7, days: 60, fraudRate: 0.01, accounts: 50, merchants: 200 };
    const start = Date.UTC(2025, 0, 15);
    expect(parsed).to.deep.equal({
      ok: true,
      help: false,
      args: { out: "h.jsonl", options: { ...options, start } },
    });
  });

  it("rejects an unknown flag or a stray argument with one line", () => {
    // Act
    const unknown = parseGenerateArgs(["--rows", "10", "--rowz", "5"], {});
    const stray = parseGenerateArgs(["5"], {});

    // Assess
    expect(unknown).to.deep.equal({
      ok: false,
      error: 'unknown option "--rowz"; run npm run generate-history -- --help for the options',
    });
    expect(!stray.ok && stray.error.startsWith('unexpected argument "5"')).to.be.ok;
  });

  it("names the flag and its valid range for a bad value", () => {
    // Prepare
    const cases: [string[], string][] = [
      [["--rows", "abc"], '--rows must be an integer from 1 to 3000000, got "abc"'],
      [["--seed", "1.5"], '--seed must be an integer from 0 to 4294967295, got "1.5"'],
      [["--days", "0"], '--days must be an integer from 1 to 366, got "0"'],
      [["--fraud-rate", "0.3"], '--fraud-rate must be a number from 0 to 0.2, got "0.3"'],
      [["--accounts", "-2"], '--accounts must be an integer from 1 to 1000000, got "-2"'],
      [["--merchants", "10"], '--merchants must be an integer from 50 to 1000000, got "10"'],
      [
        ["--start", "2025-02-30"],
        '--start must be a date (YYYY-MM-DD) from 1970-01-01 to 2099-12-31, got "2025-02-30"',
      ],
      [["--out"], "--out needs a value"],
    ];

    // Act
    const errors = cases.map(([argv]) => parseGenerateArgs(argv, {}));

    // Assess
    expect(errors).to.deep.equal(cases.map(([, error]) => ({ ok: false, error })));
  });

  it("tells to put -- first when npm took the flags for itself", () => {
    // Prepare: `npm run generate-history --rows 5 --fraud-rate 0.01` sets these and passes "5", "0.01"
    const env = { npm_config_rows: "true", npm_config_fraud_rate: "true", npm_config_cache: "/root/.npm" };

    // Act
    const parsed = parseGenerateArgs(["5", "0.01"], env);

    // Assess
    assert.ok(!parsed.ok);
    expect(parsed.error).to.match(
      /npm took --rows, --fraud-rate as its own config: put -- before the script's flags/,
    );
  });

  it("asks for help with --help or -h", () => {
    // Assess
    expect(parseGenerateArgs(["--help"], {})).to.deep.equal({ ok: true, help: true });
    expect(parseGenerateArgs(["--rows", "5", "-h"], {})).to.deep.equal({ ok: true, help: true });
  });
});

describe("Function: main", () => {
  it("prints the usage and exits 0 for --help", () => {
    // Act
    const { code, stdout } = runMain(["--help"]);

    // Assess
    expect(code).to.equal(0);
    expect(stdout).to.equal(`${USAGE}\n`);
    expect(USAGE).to.match(/--fraud-rate N/);
    expect(USAGE).to.match(/account_takeover/);
  });

  it("exits 2 with one line on stderr for a bad flag", () => {
    // Act
    const { code, stderr, stdout } = runMain(["--bogus"]);

    // Assess
    expect(code).to.equal(2);
    expect(stdout).to.equal("");
    expect(stderr.split("\n").filter(Boolean).length).to.equal(1);
  });

  it("writes the file and reports its rows and fraud on the first line", () => {
    // Prepare
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "generate-main-"));
    const file = path.join(dir, "nested", "h.jsonl");

    try {
      // Act
      const { code, stdout } = runMain(["--rows", "1500", "--seed", "2", "--out", file]);

      // Assess
      expect(code).to.equal(0);
      const [first, second] = stdout.split("\n");
      const lines = fs.readFileSync(file, "utf8").trimEnd().split("\n");
      const fraud = lines.filter((line) => JSON.parse(line).is_fraud).length;
      expect(first).to.equal(`Wrote ${lines.length} transactions (${fraud} labelled fraud) to ${file}`);
      expect(second).to.match(
        /^Fraud by pattern: compromised_merchant \d+, .*; unusual but legitimate: travel \d+/,
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
