/**
 * Options of `npm start`, from flags and environment variables (flags win). Pure: reading the
 * rules file is the caller's job, so parsing never touches the file system.
 */
import { ENV } from "../pipeline/runtime/env";
import { apiKeyProblem } from "./api-key";
import { flagsTakenByNpm } from "./npm-flags";

/** What `npm start` was asked to do. */
export interface StartArgs {
  readonly help: boolean;
  readonly port: number;
  readonly host: string;
  readonly outbox: string;
  readonly dataDir?: string;
  /** A DynamoDB (Local) endpoint URL to keep the data in instead of the embedded table. */
  readonly dynamodbEndpoint?: string;
  /** `--repair`: load a damaged data directory, dropping and reporting its damaged lines. */
  readonly repair: boolean;
  readonly apiKey?: string;
  /** A file holding the rules JSON (`--rules`); takes precedence over `rulesJson`. */
  readonly rulesFile?: string;
  /** The rules JSON from FRAUD_RULES_CONFIG. */
  readonly rulesJson?: string;
  /** MODEL.json to score with (`--model`). */
  readonly modelFile?: string;
  readonly visibilityTimeoutMs?: number;
  /** How long SIGTERM or Ctrl-C waits for in-flight work before closing what is still open. */
  readonly shutdownTimeoutMs?: number;
  readonly logLevel: "info" | "warn" | "error" | "silent";
}

export type ParsedArgs =
  | { readonly ok: true; readonly args: StartArgs }
  | { readonly ok: false; readonly error: string };

const USAGE = `Usage: npm start -- [options]

Runs the fraud pipeline on localhost with embedded adapters (no AWS account needed).

Options (environment variable in brackets; flags win):
  --port N                   port to listen on, 0 for any free port [PORT] (default 3000)
  --host HOST                address to listen on (default 127.0.0.1)
  --outbox FILE              where alerts are appended as JSON lines [OUTBOX] (default .local/outbox.jsonl)
  --data DIR                 persist the table in DIR so a restart loses nothing [DATA_DIR]
  --dynamodb-endpoint URL    keep the data in DynamoDB (Local) at URL instead of the embedded table,
                             e.g. http://127.0.0.1:8000; creates the tables there if missing
  --repair                   load a damaged data directory: drop its damaged lines (each reported),
                             keep the damaged files beside the new ones as FILE.damaged-TIME
  --rules FILE               JSON rule overrides, same shape as the stack config [FRAUD_RULES_CONFIG holds the JSON itself]
  --model FILE               score with MODEL.json from npm run train (default: the label-free score)
  --visibility-timeout-ms N  how long a failed notification waits before a retry (default 30000)
  --shutdown-timeout-ms N    on SIGTERM or Ctrl-C, how long to wait for requests and in-flight work
                             before closing the connections still open and exiting (default 10000)
  --log-level LEVEL          handler logs on stderr: info, warn, error, silent [LOG_LEVEL] (default warn)
  --help                     print this help
[LOCAL_API_KEY]              when set, POST /transactions requires the header x-api-key with this value
                             (set but blank is an error: unset it to require no key)`;

const FLAGS = [
  "port",
  "host",
  "outbox",
  "data",
  "dynamodb-endpoint",
  "rules",
  "model",
  "visibility-timeout-ms",
  "shutdown-timeout-ms",
  "log-level",
] as const;
const LOG_LEVELS = ["info", "warn", "error", "silent"] as const;

function integer(name: string, text: string, min: number, max: number): number | string {
  const value = Number(text);
  if (!/^\d+$/.test(text) || value < min || value > max)
    return `${name} must be an integer from ${min} to ${max}, got "${text}"`;
  return value;
}

/**
 * Parses argv (without `node` and the script) and the environment.
 *
 * @example
 * parseStartArgs(["--port", "0", "--data", ".local/data"], process.env);
 * // { ok: true, args: { port: 0, dataDir: ".local/data", host: "127.0.0.1", ... } }
 */
function parseStartArgs(argv: readonly string[], env: NodeJS.ProcessEnv): ParsedArgs {
  const misplaced = flagsTakenByNpm("npm start --", USAGE, env);
  if (misplaced !== undefined) return { ok: false, error: misplaced };
  const flags: Record<string, string> = {};
  let help = false;
  let repair = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--help" || arg === "-h") {
      help = true;
      continue;
    }
    if (arg === "--repair") {
      repair = true;
      continue;
    }
    const match = /^--([a-z-]+)(?:=(.*))?$/.exec(arg);
    const name = match?.[1] as (typeof FLAGS)[number] | undefined;
    if (name === undefined || !FLAGS.includes(name)) {
      return { ok: false, error: `Unknown option "${arg}"; run npm start -- --help for the options` };
    }
    const value = match?.[2] ?? argv[++i];
    if (value === undefined || value === "") return { ok: false, error: `Option --${name} needs a value` };
    flags[name] = value;
  }
  const nonEmpty = (value: string | undefined) =>
    value === undefined || value.trim() === "" ? undefined : value;
  const port = integer("--port (or PORT)", flags.port ?? nonEmpty(env.PORT) ?? "3000", 0, 65535);
  if (typeof port === "string") return { ok: false, error: port };
  const timeoutText = flags["visibility-timeout-ms"];
  const visibilityTimeoutMs =
    timeoutText === undefined ? undefined : integer("--visibility-timeout-ms", timeoutText, 1, 43_200_000);
  if (typeof visibilityTimeoutMs === "string") return { ok: false, error: visibilityTimeoutMs };
  const shutdownText = flags["shutdown-timeout-ms"];
  const shutdownTimeoutMs =
    shutdownText === undefined ? undefined : integer("--shutdown-timeout-ms", shutdownText, 0, 3_600_000);
  if (typeof shutdownTimeoutMs === "string") return { ok: false, error: shutdownTimeoutMs };
  const logLevel = flags["log-level"] ?? nonEmpty(env.LOG_LEVEL) ?? "warn";
  if (!(LOG_LEVELS as readonly string[]).includes(logLevel)) {
    return {
      ok: false,
      error: `--log-level (or LOG_LEVEL) must be one of ${LOG_LEVELS.join(", ")}, got "${logLevel}"`,
    };
  }
  const dataDir = flags.data ?? nonEmpty(env.DATA_DIR);
  const dynamodbEndpoint = flags["dynamodb-endpoint"];
  if (dataDir !== undefined && dynamodbEndpoint !== undefined) {
    return {
      ok: false,
      error:
        "--dynamodb-endpoint and --data (or DATA_DIR) cannot be combined: with --dynamodb-endpoint the data lives in DynamoDB; drop one of them",
    };
  }
  const apiKey = env.LOCAL_API_KEY;
  const keyProblem = apiKey === undefined ? undefined : apiKeyProblem(apiKey);
  if (keyProblem !== undefined) {
    return {
      ok: false,
      error: `LOCAL_API_KEY ${keyProblem}: set it to the key clients send in x-api-key, or unset it to require no key`,
    };
  }
  return {
    ok: true,
    args: {
      help,
      port,
      host: flags.host ?? "127.0.0.1",
      outbox: flags.outbox ?? nonEmpty(env.OUTBOX) ?? ".local/outbox.jsonl",
      dataDir,
      dynamodbEndpoint,
      repair,
      apiKey,
      rulesFile: flags.rules,
      modelFile: flags.model,
      rulesJson: nonEmpty(env[ENV.rulesConfig]),
      visibilityTimeoutMs,
      shutdownTimeoutMs,
      logLevel: logLevel as StartArgs["logLevel"],
    },
  };
}

export { parseStartArgs, USAGE };
