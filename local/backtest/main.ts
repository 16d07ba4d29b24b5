/**
 * `npm run backtest -- FILE [--model MODEL.json] [--label-delay DAYS] [--from YYYY-MM-DD]
 * [--rules FILE.json] [--json] [--threshold-sweep] [--scores-out FILE] [--max-invalid-ratio R]`: replays historical
 * transactions walk-forward through the detector, with labels reaching the merchant profiles only
 * after their delay, and reports how it would have done. An unreadable input, rules or model file,
 * an input with nothing valid to replay, or one with too many invalid rows is one line on stderr
 * and exit code 1 (the report still prints in the last case, to show which rows).
 */
import * as fs from "node:fs";
import { thresholdOf } from "../../pipeline/runtime/detect/assess";
import { parseRulesConfig, type RulesConfig } from "../../pipeline/runtime/detect/config";
import type { FraudModel } from "../../pipeline/runtime/detect/model/format";
import { cliPrelude } from "../cli-prelude";
import { loadModelFile, parseDateFlag, parseDaysFlag } from "./cli-values";
import { DEFAULT_MAX_INVALID_RATIO, inputProblem, parseRatioFlag } from "./input-check";
import { InputError, readRowsFromFile } from "./read-rows";
import type { ReplayedRow } from "./replay";
import { humanReport, jsonReport, sweepThresholds } from "./report";
import { type BacktestResult, DEFAULT_LABEL_DELAY_DAYS, runBacktest } from "./run";

const PREFIX = "backtest:";

const USAGE = `Usage: npm run backtest -- FILE [options]

FILE is JSON Lines (.jsonl, or - for stdin) or CSV (.csv, or a header line) of transactions in the
API contract, optionally labelled with is_fraud (true/false or 1/0).

Options:
  --model MODEL.json  score with a model trained by npm run train (default: the label-free score)
  --label-delay DAYS  days after a transaction its label reaches the merchant profiles (default ${DEFAULT_LABEL_DELAY_DAYS})
  --from YYYY-MM-DD   measure only rows from this UTC date on; earlier rows warm up history and profiles
  --rules FILE.json   rule overrides, same shape as the stack's fraud rules config
  --json              print one JSON object instead of the report
  --threshold-sweep   add precision/recall/F1 at score thresholds 10..200
  --scores-out FILE   write {transaction_id, score, flagged, rules, reasons} per transaction as JSON Lines
  --max-invalid-ratio R  fail (exit 1) when more than this share of rows breaks the contract (default ${DEFAULT_MAX_INVALID_RATIO})

Exit codes: 0 done; 1 unreadable input, rules or model, nothing valid to replay, or too many invalid
rows; 2 a wrong option.`;

interface BacktestArgs {
  readonly file: string;
  readonly rules?: string;
  readonly model?: string;
  readonly labelDelayDays?: number;
  readonly from?: number;
  readonly json: boolean;
  readonly sweep: boolean;
  readonly scoresOut?: string;
  readonly maxInvalidRatio: number;
}

const VALUE_FLAGS = [
  "--rules",
  "--scores-out",
  "--model",
  "--label-delay",
  "--from",
  "--max-invalid-ratio",
] as const;

function parseArgs(argv: readonly string[]): BacktestArgs | string {
  let file: string | undefined;
  const flags: {
    rules?: string;
    scoresOut?: string;
    model?: string;
    labelDelayDays?: number;
    from?: number;
    json: boolean;
    sweep: boolean;
    maxInvalidRatio: number;
  } = { json: false, sweep: false, maxInvalidRatio: DEFAULT_MAX_INVALID_RATIO };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--json") flags.json = true;
    else if (arg === "--threshold-sweep") flags.sweep = true;
    else if ((VALUE_FLAGS as readonly string[]).includes(arg)) {
      const value = argv[++i];
      if (value === undefined) return `Option ${arg} needs a value`;
      if (arg === "--rules") flags.rules = value;
      else if (arg === "--scores-out") flags.scoresOut = value;
      else if (arg === "--model") flags.model = value;
      else if (arg === "--max-invalid-ratio") {
        const parsed = parseRatioFlag(arg, value);
        if (typeof parsed === "string") return parsed;
        flags.maxInvalidRatio = parsed;
      } else {
        const parsed = arg === "--from" ? parseDateFlag(arg, value) : parseDaysFlag(arg, value);
        if (typeof parsed === "string") return parsed;
        if (arg === "--from") flags.from = parsed;
        else flags.labelDelayDays = parsed;
      }
    } else if (arg.startsWith("--") || file !== undefined) {
      return `Unexpected argument "${arg}"`;
    } else file = arg;
  }
  return file === undefined ? "Missing FILE" : { file, ...flags };
}

/** Characters of score lines gathered before each write. */
const SCORES_CHUNK = 1 << 20;

/**
 * One JSON line per replayed transaction for `--scores-out`, written in chunks as the replay
 * scores them, so the file never has to fit in memory. The file is created by the first chunk or
 * by `close`; a write error stops the writing and `close` returns its code.
 */
function makeScoresWriter(file: string) {
  let fd: number | undefined;
  let text = "";
  let failure: string | undefined;
  const flush = () => {
    if (failure !== undefined) return;
    try {
      fd ??= fs.openSync(file, "w");
      fs.writeSync(fd, text);
    } catch (error) {
      failure = codeOf(error);
    }
    text = "";
  };
  return {
    add(row: ReplayedRow): void {
      const { score, flagged, hits, reasons } = row.assessment;
      const line = {
        transaction_id: row.tx.transaction_id,
        score,
        flagged,
        rules: hits.map((hit) => hit.rule),
        reasons,
      };
      text += `${JSON.stringify(line)}\n`;
      if (text.length >= SCORES_CHUNK) flush();
    },
    /** Writes what is left and closes the file; the error code when a write failed. */
    close(): string | undefined {
      flush();
      if (fd !== undefined) fs.closeSync(fd);
      return failure;
    },
  };
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
async function main(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const args = cliPrelude(argv, env, {
    command: "npm run backtest -- FILE",
    usage: USAGE,
    prefix: PREFIX,
    parse: parseArgs,
  });
  if (typeof args === "number") return args;
  let rulesJson: string | undefined;
  try {
    rulesJson = args.rules === undefined ? undefined : fs.readFileSync(args.rules, "utf8");
  } catch (error) {
    process.stderr.write(`${PREFIX} cannot read the rules file ${args.rules} (${codeOf(error)})\n`);
    return 1;
  }
  let model: FraudModel | undefined;
  try {
    model = args.model === undefined ? undefined : loadModelFile(args.model);
  } catch (error) {
    process.stderr.write(`${PREFIX} ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
  let result: BacktestResult;
  let config: RulesConfig;
  const scores = args.scoresOut === undefined ? undefined : makeScoresWriter(args.scoresOut);
  try {
    config = parseRulesConfig(rulesJson);
    result = await runBacktest(readRowsFromFile(args.file), {
      config,
      model,
      labelDelayDays: args.labelDelayDays,
      from: args.from,
      sweepThresholds: args.sweep ? sweepThresholds(thresholdOf({ config, model })) : undefined,
      onScored: scores?.add,
    });
  } catch (error) {
    const what =
      error instanceof InputError
        ? `${args.file}: ${error.message}`
        : error instanceof Error && error.name === "ConfigurationError"
          ? error.message
          : `cannot read ${args.file} (${codeOf(error)})`;
    process.stderr.write(`${PREFIX} ${what}\n`);
    return 1;
  }
  const problem = inputProblem(result, args.maxInvalidRatio);
  if (result.replayed === 0 && problem !== undefined) {
    process.stderr.write(`${PREFIX} ${problem}\n`);
    return 1;
  }
  const scoresFailure = scores?.close();
  if (scoresFailure !== undefined) {
    process.stderr.write(`${PREFIX} cannot write the scores file ${args.scoresOut} (${scoresFailure})\n`);
    return 1;
  }
  process.stdout.write(
    args.json
      ? `${JSON.stringify(jsonReport(result))}\n`
      : humanReport(result, args.file === "-" ? "stdin" : args.file),
  );
  if (problem !== undefined) {
    process.stderr.write(`${PREFIX} ${problem}\n`);
    return 1;
  }
  return 0;
}

if (require.main === module) {
  main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}

export { main, USAGE };
