/**
 * Generates labelled transaction histories to develop fraud detection against, for the backtest
 * benchmark, and for trying `npm run backtest` without real data. Accounts with spending levels,
 * habits, regular merchants and a home; merchants with categories and a popularity; fraud patterns
 * on top, labelled `is_fraud: true` on the fraudulent rows only. Some fraud is deliberately
 * subtle and some legitimate spending unusual (trips, big purchases, bursts of shopping), so no
 * detector gets precision and recall of 1. Details live in `generate/`.
 *
 * CLI: `npm run generate-history -- --rows 200000 --out history.jsonl [--seed 1] [--help]`
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parseGenerateArgs, USAGE } from "./generate/cli";
import { generateHistory, type History } from "./generate/history";
import type { GenerateOptions } from "./generate/options";
import type { LabelledTransaction } from "./generate/rows";

/** What {@link writeTransactionsFile} wrote. */
interface WriteSummary {
  readonly rows: number;
  readonly fraud: number;
  readonly fraudByPattern: History["fraudByPattern"];
  readonly unusual: History["unusual"];
}

/** Rows serialised per write: large enough to be fast, small enough to keep memory flat. */
const WRITE_CHUNK = 5_000;
const PREFIX = "generate-history:";

/**
 * Generates at least `rows` labelled transactions, sorted by timestamp. Same options, same rows.
 *
 * @example
 * const rows = generateTransactions({ rows: 10_000, seed: 7, days: 60, fraudRate: 0.01 });
 * @throws RangeError naming an option out of its range.
 */
function generateTransactions(options: GenerateOptions): LabelledTransaction[] {
  return generateHistory(options).rows;
}

/**
 * Writes generated rows to `file` as JSON Lines (synchronously, in chunks), creating its folder.
 *
 * @example
 * const { rows, fraud } = writeTransactionsFile("/tmp/history.jsonl", { rows: 200_000 });
 * @throws RangeError naming an option out of its range; the file system's error when it cannot write.
 */
function writeTransactionsFile(file: string, options: GenerateOptions): WriteSummary {
  const { rows, fraudByPattern, unusual } = generateHistory(options);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const fd = fs.openSync(file, "w");
  try {
    for (let i = 0; i < rows.length; i += WRITE_CHUNK) {
      let text = "";
      for (const row of rows.slice(i, i + WRITE_CHUNK)) text += `${JSON.stringify(row)}\n`;
      fs.writeSync(fd, text);
    }
  } finally {
    fs.closeSync(fd);
  }
  const fraud = Object.values(fraudByPattern).reduce((sum, n) => sum + n, 0);
  return { rows: rows.length, fraud, fraudByPattern, unusual };
}

function counts(of: Readonly<Record<string, number>>): string {
  return Object.entries(of)
    .map(([name, n]) => `${name} ${n}`)
    .join(", ");
}

/**
 * Runs the CLI; returns the exit code (0, 1 when the file cannot be written, 2 for bad flags).
 *
 * @example
 * process.exitCode = main(process.argv.slice(2), process.env);
 */
function main(argv: readonly string[], env: NodeJS.ProcessEnv): number {
  const parsed = parseGenerateArgs(argv, env);
  if (!parsed.ok) {
    process.stderr.write(`${PREFIX} ${parsed.error}\n`);
    return 2;
  }
  if (parsed.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const { out, options } = parsed.args;
  let summary: WriteSummary;
  try {
    summary = writeTransactionsFile(out, options);
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    const reason = typeof code === "string" ? code : error instanceof Error ? error.message : String(error);
    process.stderr.write(`${PREFIX} cannot write ${out} (${reason})\n`);
    return 1;
  }
  process.stdout.write(
    `Wrote ${summary.rows} transactions (${summary.fraud} labelled fraud) to ${out}\n` +
      `Fraud by pattern: ${counts(summary.fraudByPattern)}; unusual but legitimate: ${counts(summary.unusual)}\n`,
  );
  return 0;
}

if (require.main === module) process.exitCode = main(process.argv.slice(2), process.env);

export type { GenerateOptions, History, LabelledTransaction, WriteSummary };
export { generateHistory, generateTransactions, main, parseGenerateArgs, USAGE, writeTransactionsFile };
