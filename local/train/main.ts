/**
 * `npm run train -- FILE --out MODEL.json [--until YYYY-MM-DD] [--label-delay DAYS]
 * [--validation-days N] [--seed N] [--kind auto|logistic-regression|gradient-boosted-trees]`: trains
 * the fraud model on labelled history replayed exactly
 * as production would have seen it, and writes MODEL.json for the stack (config `fraudModel`),
 * the backtest (`--model`) and the local runner. Usage errors exit 2; an unreadable file or
 * unusable data is one line on stderr and exit 1.
 */
import { DAY_MS } from "../../pipeline/runtime/detect/merchant-risk";
import { parseDateFlag, parseDaysFlag } from "../backtest/cli-values";
import { InputError, readRowsFromFile } from "../backtest/read-rows";
import { DEFAULT_LABEL_DELAY_DAYS } from "../backtest/run";
import { cliPrelude } from "../cli-prelude";
import { writeModelFile } from "./model-file";
import {
  DEFAULT_KIND,
  DEFAULT_SEED,
  DEFAULT_VALIDATION_DAYS,
  KIND_CHOICES,
  type KindChoice,
  type Trained,
  TrainingDataError,
  train,
} from "./train";

const PREFIX = "train:";

const USAGE = `Usage: npm run train -- FILE --out MODEL.json [options]

FILE is JSON Lines (.jsonl, or - for stdin) or CSV (.csv, or a header line) of transactions in the
API contract, labelled with is_fraud (true/false or 1/0), in the backtest's formats. Every row is
replayed walk-forward as production would have seen it; a row is a training row only when its label
is known by the last row's time (timestamp + label delay). Unlabelled rows feed history, not training.

Options:
  --out MODEL.json        where to write the model (required)
  --until YYYY-MM-DD      use only rows on or before this UTC date
  --label-delay DAYS      days after a transaction its label is known (default ${DEFAULT_LABEL_DELAY_DAYS})
  --validation-days N     hold out the last N days of training rows to measure and choose the
                          threshold, then refit on all of them (default ${DEFAULT_VALIDATION_DAYS})
  --seed N                recorded in the model; nothing is subsampled (default ${DEFAULT_SEED})
  --kind KIND             auto, logistic-regression or gradient-boosted-trees (default ${DEFAULT_KIND}):
                          auto fits both on the rows before the held-out days and ships the one
                          with the higher average precision on them, refitted on all training rows
  -h, --help              print this help`;

interface TrainArgs {
  readonly file: string;
  readonly out: string;
  readonly until?: number;
  readonly labelDelayDays: number;
  readonly validationDays: number;
  readonly seed: number;
  readonly kind: KindChoice;
}

const VALUE_FLAGS = ["--out", "--until", "--label-delay", "--validation-days", "--seed", "--kind"] as const;
const MAX_SEED = 4_294_967_295;

function parseSeed(value: string): number | string {
  const seed = Number(value);
  return /^\d+$/.test(value) && seed <= MAX_SEED
    ? seed
    : `--seed must be a whole number between 0 and ${MAX_SEED}, got "${value}"`;
}

function parseValue(flag: string, value: string): number | string {
  if (flag === "--until") return parseDateFlag(flag, value);
  if (flag === "--seed") return parseSeed(value);
  const days = parseDaysFlag(flag, value);
  if (flag === "--validation-days" && days === 0) return `${flag} must be more than 0, got "${value}"`;
  return days;
}

function parseArgs(argv: readonly string[]): TrainArgs | string {
  let file: string | undefined;
  let out: string | undefined;
  let kind: KindChoice = DEFAULT_KIND;
  const numbers: Record<string, number> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if ((VALUE_FLAGS as readonly string[]).includes(arg)) {
      const value = argv[++i];
      if (value === undefined) return `Option ${arg} needs a value`;
      if (arg === "--out") {
        out = value;
        continue;
      }
      if (arg === "--kind") {
        if (!(KIND_CHOICES as readonly string[]).includes(value)) {
          return `--kind must be one of ${KIND_CHOICES.join(", ")}, got "${value}"`;
        }
        kind = value as KindChoice;
        continue;
      }
      const parsed = parseValue(arg, value);
      if (typeof parsed === "string") return parsed;
      numbers[arg] = parsed;
    } else if ((arg.startsWith("-") && arg !== "-") || file !== undefined) {
      return `Unexpected argument "${arg}"`;
    } else file = arg;
  }
  if (file === undefined) return "Missing FILE";
  if (out === undefined) return "Missing --out MODEL.json";
  return {
    file,
    out,
    until: numbers["--until"],
    labelDelayDays: numbers["--label-delay"] ?? DEFAULT_LABEL_DELAY_DAYS,
    validationDays: numbers["--validation-days"] ?? DEFAULT_VALIDATION_DAYS,
    seed: numbers["--seed"] ?? DEFAULT_SEED,
    kind,
  };
}

function codeOf(error: unknown): string {
  const code = (error as { code?: unknown }).code;
  return typeof code === "string" ? code : error instanceof Error ? error.message : String(error);
}

function figure(value: number | null): string {
  return value === null ? "n/a" : value.toFixed(4);
}

function summary(trained: Trained, out: string): string {
  const { training: t, validation: v, threshold } = trained.model;
  return [
    `Wrote ${out}: ${t.rows} training rows (${t.frauds} frauds) from ${t.from} until ${t.until}, labels known at ${t.labelsKnownAt}`,
    `  replayed ${t.replayedRows} rows (${trained.set.invalidRows} invalid rows skipped): ${t.pendingLabelRows} with labels still pending and ${t.unlabelledRows} unlabelled were not trained on`,
    `  validation ${v.from}..${v.until}: ${v.rows} rows, ${v.frauds} frauds, ROC AUC ${figure(v.rocAuc)}, AP ${figure(v.averagePrecision)} (fit on ${v.fitRows} earlier rows)`,
    ...(v.candidates === undefined
      ? []
      : [
          `  candidates: ${v.candidates.map((c) => `${c.kind} AP ${figure(c.averagePrecision)}, ROC AUC ${figure(c.rocAuc)}`).join("; ")}`,
        ]),
    `  threshold ${threshold} (max F1 ${figure(v.thresholdF1 ?? null)} on validation); shipped: ${trained.model.kind}, refit on all ${t.rows} rows, ${t.iterations} ${trained.model.kind === "logistic-regression" ? "Newton iterations" : "trees"}`,
    `  replay ${(trained.replayMs / 1000).toFixed(1)} s, fit ${(trained.fitMs / 1000).toFixed(1)} s (${Object.entries(
      trained.fitMsByKind,
    )
      .map(([kind, ms]) => `${kind} ${(ms / 1000).toFixed(1)} s`)
      .join(", ")}); model ${Buffer.byteLength(trained.text)} bytes`,
  ].join("\n");
}

/**
 * Runs the training CLI; resolves with the exit code.
 *
 * @example
 * main(["history.jsonl", "--out", "model.json"]).then((code) => { process.exitCode = code; });
 */
async function main(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const args = cliPrelude(argv, env, {
    command: "npm run train -- FILE",
    usage: USAGE,
    prefix: PREFIX,
    parse: parseArgs,
  });
  if (typeof args === "number") return args;
  let trained: Trained;
  try {
    trained = await train(readRowsFromFile(args.file), {
      labelDelayDays: args.labelDelayDays,
      validationDays: args.validationDays,
      seed: args.seed,
      kind: args.kind,
      end: args.until === undefined ? undefined : args.until + DAY_MS,
    });
  } catch (error) {
    const what =
      error instanceof TrainingDataError || error instanceof InputError
        ? `${args.file}: ${error.message}`
        : error instanceof Error && error.name === "ConfigurationError"
          ? error.message
          : (error as { code?: unknown }).code !== undefined
            ? `cannot read ${args.file} (${codeOf(error)})`
            : `training failed: ${codeOf(error)}`;
    process.stderr.write(`${PREFIX} ${what}\n`);
    return 1;
  }
  try {
    writeModelFile(args.out, trained.text);
  } catch (error) {
    process.stderr.write(`${PREFIX} cannot write the model file ${args.out} (${codeOf(error)})\n`);
    return 1;
  }
  process.stdout.write(`${summary(trained, args.out)}\n`);
  return 0;
}

if (require.main === module) {
  main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}

export { main, USAGE };
