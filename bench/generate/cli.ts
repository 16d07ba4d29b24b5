/**
 * Flags of `npm run generate-history`. Pure (argv and environment in, options or one error line
 * out), so every message is tested without starting a process.
 */

import { flagsTakenByNpm } from "../../local/npm-flags";
import {
  DEFAULT_START,
  type GenerateOptions,
  isoDay,
  type NumericOption,
  OPTION_SPECS,
  type OptionSpec,
  rangeProblem,
  startProblem,
} from "./options";
import { FRAUD_PATTERNS } from "./patterns";

/** What the CLI was asked to write. */
interface CliArgs {
  readonly out: string;
  readonly options: GenerateOptions;
}

type ParsedCli =
  | { readonly ok: true; readonly help: true }
  | { readonly ok: true; readonly help: false; readonly args: CliArgs }
  | { readonly ok: false; readonly error: string };

const COMMAND = "npm run generate-history";
const DEFAULT_OUT = ".local/history.jsonl";
const NUMERIC_FLAGS: ReadonlyMap<string, NumericOption> = new Map(
  (Object.keys(OPTION_SPECS) as NumericOption[]).map((name) => [OPTION_SPECS[name].flag, name]),
);
const FLAGS: readonly string[] = [...NUMERIC_FLAGS.keys(), "--start", "--out"];
const NUMBER = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function numericHelp(name: NumericOption): string {
  const spec: OptionSpec = OPTION_SPECS[name];
  const fallback = spec.fallback ?? spec.derived;
  return `  ${`${spec.flag} N`.padEnd(20)}${spec.help} (default ${fallback}; ${spec.min} to ${spec.max})`;
}

const USAGE = `Usage: ${COMMAND} -- [options]

Writes a labelled transaction history: JSON Lines, one transaction of the API contract plus
is_fraud per line, sorted by time. The same options write the same file, byte for byte.

Options:
${(Object.keys(OPTION_SPECS) as NumericOption[]).map(numericHelp).join("\n")}
  ${"--start YYYY-MM-DD".padEnd(20)}first day of the period, UTC (default ${isoDay(DEFAULT_START)})
  ${"--out FILE".padEnd(20)}where to write (default ${DEFAULT_OUT})
  ${"-h, --help".padEnd(20)}print this help

Fraud patterns (share of the fraudulent rows):
${FRAUD_PATTERNS.map((p) => `  ${p.name.padEnd(22)}${`${Math.round(p.share * 100)}%`.padEnd(5)}${p.description}`).join("\n")}`;

/** Epoch ms of a YYYY-MM-DD day, NaN when it is not a real date. */
function parseDay(text: string): number {
  const match = DATE.exec(text);
  if (match === null) return Number.NaN;
  const ms = Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
  return isoDay(ms) === text ? ms : Number.NaN;
}

/**
 * Parses argv (without `node` and the script) against the environment the script runs in.
 *
 * @example
 * parseGenerateArgs(["--rows", "5000", "--out", "h.jsonl"], process.env);
 * // { ok: true, help: false, args: { out: "h.jsonl", options: { rows: 5000, ... } } }
 */
function parseGenerateArgs(argv: readonly string[], env: NodeJS.ProcessEnv): ParsedCli {
  if (argv.includes("--help") || argv.includes("-h")) return { ok: true, help: true };
  const misplaced = flagsTakenByNpm(`${COMMAND} --`, USAGE, env);
  if (misplaced !== undefined) return { ok: false, error: misplaced };
  const values = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const match = /^(--[a-z-]+)(?:=(.*))?$/.exec(argv[i]);
    if (match === null || !FLAGS.includes(match[1])) {
      const what = argv[i].startsWith("-") ? "unknown option" : "unexpected argument";
      return { ok: false, error: `${what} "${argv[i]}"; run ${COMMAND} -- --help for the options` };
    }
    const value = match[2] ?? argv[++i];
    if (value === undefined || value === "") return { ok: false, error: `${match[1]} needs a value` };
    values.set(match[1], value);
  }
  const options: Record<string, number> = {};
  for (const [flag, name] of NUMERIC_FLAGS) {
    const text = values.get(flag);
    if (text === undefined) continue;
    const value = NUMBER.test(text) ? Number(text) : Number.NaN;
    const problem = rangeProblem(flag, OPTION_SPECS[name], value, `"${text}"`);
    if (problem !== undefined) return { ok: false, error: problem };
    options[name] = value;
  }
  const startText = values.get("--start");
  if (startText !== undefined) {
    const start = parseDay(startText);
    const problem = startProblem("--start", start, "YYYY-MM-DD", `"${startText}"`);
    if (problem !== undefined) return { ok: false, error: problem };
    options.start = start;
  }
  return {
    ok: true,
    help: false,
    args: {
      out: values.get("--out") ?? DEFAULT_OUT,
      options: { rows: OPTION_SPECS.rows.fallback, ...options },
    },
  };
}

export type { CliArgs, ParsedCli };
export { parseGenerateArgs, USAGE };
