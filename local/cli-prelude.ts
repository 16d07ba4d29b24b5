/**
 * The start every file-reading CLI shares: flags npm took for itself (exit 2), `--help` (exit 0),
 * then the CLI's own parse (exit 2 on an error, with the usage).
 */
import { flagsTakenByNpm } from "./npm-flags";

/** What a CLI tells the prelude about itself. */
interface CliSpec<T> {
  /** The command as a user types it up to its first flag, e.g. `npm run backtest -- FILE`. */
  readonly command: string;
  readonly usage: string;
  /** Prefix of every stderr line, e.g. `backtest:`. */
  readonly prefix: string;
  /** The CLI's own parser: its arguments, or an error text. */
  readonly parse: (argv: readonly string[]) => T | string;
}

/**
 * The parsed arguments, or the exit code to return at once (help printed, or an error said).
 *
 * @example
 * const args = cliPrelude(argv, env, { command: "npm run train -- FILE", usage, prefix: "train:", parse });
 * if (typeof args === "number") return args;
 */
function cliPrelude<T extends object>(
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
  spec: CliSpec<T>,
): T | number {
  const misplaced = flagsTakenByNpm(spec.command, spec.usage, env);
  if (misplaced !== undefined) {
    process.stderr.write(`${spec.prefix} ${misplaced}\n`);
    return 2;
  }
  if (argv.includes("--help") || argv.includes("-h")) {
    process.stdout.write(`${spec.usage}\n`);
    return 0;
  }
  const args = spec.parse(argv);
  if (typeof args === "string") {
    process.stderr.write(`${spec.prefix} ${args}\n${spec.usage}\n`);
    return 2;
  }
  return args;
}

export { cliPrelude };
