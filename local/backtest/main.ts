/**
 * `npm run backtest -- FILE [--rules FILE.json] [--json] [--threshold-sweep] [--scores-out FILE]`:
 * replays historical transactions through the detector and reports how it would have done.
 * An unreadable input or rules file is one line on stderr and exit code 1.
 */
import * as fs from "node:fs";
import { parseRulesConfig, type RulesConfig } from "../../pipeline/runtime/detect/config";
import { readRowsFromFile } from "./read-rows";
import { humanReport, jsonReport, sweepThresholds } from "./report";
import { type BacktestResult, runBacktest } from "./run";

const PREFIX = "backtest:";

const USAGE = `Usage: npm run backtest -- FILE [options]

FILE is JSON Lines (.jsonl, or - for stdin) or CSV (.csv, or a header line) of transactions in the
API contract, optionally labelled with is_fraud (true/false or 1/0).

Options:
  --rules FILE.json   rule overrides, same shape as the stack's fraud rules config
  --json              print one JSON object instead of the report
  --threshold-sweep   add precision/recall/F1 at score thresholds 10..200
  --scores-out FILE   write {transaction_id, score, flagged, rules} per transaction as JSON Lines`;

interface BacktestArgs {
  readonly file: string;
  readonly rules?: string;
  readonly json: boolean;
  readonly sweep: boolean;
  readonly scoresOut?: string;
}

function parseArgs(argv: readonly string[]): BacktestArgs | string {
  let file: string | undefined;
  const flags: { rules?: string; scoresOut?: string; json: boolean; sweep: boolean } = {
    json: false,
    sweep: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--json") flags.json = true;
    else if (arg === "--threshold-sweep") flags.sweep = true;
    else if (arg === "--rules" || arg === "--scores-out") {
      const value = argv[++i];
      if (value === undefined) return `Option ${arg} needs a file name`;
      if (arg === "--rules") flags.rules = value;
      else flags.scoresOut = value;
    } else if (arg.startsWith("--") || file !== undefined) {
      return `Unexpected argument "${arg}"`;
    } else file = arg;
  }
  return file === undefined ? "Missing FILE" : { file, ...flags };
}

/** One JSON line per replayed transaction, for `--scores-out`. */
function scoreLines(result: BacktestResult): string {
  return result.scored
    .map((row) => {
      const { score, flagged, hits } = row.assessment;
      return `${JSON.stringify({ transaction_id: row.tx.transaction_id, score, flagged, rules: hits.map((hit) => hit.rule) })}\n`;
    })
    .join("");
}

function codeOf(error: unknown): string {
  const code = (error as { code?: unknown }).code;
  return typeof code === "string" ? code : error instanceof Error ? error.message : String(error);
}

/**
 * Runs the backtest CLI; resolves with the exit code.
 *
 * @example
 * main(["history.csv", "--json"]).then((code) => { process.exitCode = code; });
 */
async function main(argv: readonly string[]): Promise<number> {
  if (argv.includes("--help") || argv.includes("-h")) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const args = parseArgs(argv);
  if (typeof args === "string") {
    process.stderr.write(`${PREFIX} ${args}\n${USAGE}\n`);
    return 2;
  }
  let rulesJson: string | undefined;
  try {
    rulesJson = args.rules === undefined ? undefined : fs.readFileSync(args.rules, "utf8");
  } catch (error) {
    process.stderr.write(`${PREFIX} cannot read the rules file ${args.rules} (${codeOf(error)})\n`);
    return 1;
  }
  let result: BacktestResult;
  let config: RulesConfig;
  try {
    config = parseRulesConfig(rulesJson);
    result = await runBacktest(readRowsFromFile(args.file), {
      config,
      sweepThresholds: args.sweep ? sweepThresholds(config.threshold) : undefined,
    });
  } catch (error) {
    const what =
      error instanceof Error && error.name === "ConfigurationError"
        ? error.message
        : `cannot read ${args.file} (${codeOf(error)})`;
    process.stderr.write(`${PREFIX} ${what}\n`);
    return 1;
  }
  if (args.scoresOut !== undefined) {
    try {
      fs.writeFileSync(args.scoresOut, scoreLines(result));
    } catch (error) {
      process.stderr.write(`${PREFIX} cannot write the scores file ${args.scoresOut} (${codeOf(error)})\n`);
      return 1;
    }
  }
  process.stdout.write(
    args.json
      ? `${JSON.stringify(jsonReport(result))}\n`
      : humanReport(result, args.file === "-" ? "stdin" : args.file),
  );
  return 0;
}

if (require.main === module) {
  main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}

export { main };
