/**
 * `npm start`: the whole pipeline on localhost. Prints where to send transactions and where alerts
 * go; Ctrl-C drains in-flight work (until the shutdown deadline) and exits 0. Any startup problem
 * is one line on stderr and exit code 1, never a stack trace.
 */
import * as fs from "node:fs";
import { ERROR_NAMES, isRuntimeError } from "../pipeline/runtime/errors";
import { loadModelFile } from "./backtest/cli-values";
import { parseStartArgs, type StartArgs, USAGE } from "./cli-args";
import { startDynamoPipeline } from "./dynamodb-pipeline";
import { type StopReport, startLocalPipeline } from "./pipeline";

const PREFIX = "npm start:";

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The rules JSON and where it came from, or an error line. */
function readRules(args: StartArgs): { json?: string; source: string } {
  if (args.rulesFile === undefined) return { json: args.rulesJson, source: "FRAUD_RULES_CONFIG" };
  try {
    return { json: fs.readFileSync(args.rulesFile, "utf8"), source: `--rules ${args.rulesFile}` };
  } catch (error) {
    const code = (error as { code?: string }).code ?? messageOf(error);
    throw new Error(
      `Cannot read the rules file ${args.rulesFile} (${code}): pass --rules a readable JSON file`,
    );
  }
}

function exampleBody(): string {
  return JSON.stringify({
    transaction_id: `tx-${Date.now()}`,
    account_id: "acct-1",
    amount: 1999,
    currency: "USD",
    timestamp: Date.now(),
    merchant_id: "merchant-42",
    channel: "online",
  });
}

/** The banner line that says what scores transactions, and where overrides came from. */
function scoringLine(args: StartArgs, rulesSource: string, rulesJson: string | undefined): string {
  const rules = rulesJson === undefined ? "default rule settings" : `rule settings from ${rulesSource}`;
  const scorer =
    args.modelFile === undefined ? "label-free default score" : `model from --model ${args.modelFile}`;
  return `Scoring: ${scorer}; ${rules}.`;
}

/** What the banner needs of a running pipeline, in either storage mode. */
interface Running {
  readonly url: string;
  readonly outbox: string;
  stop(): Promise<StopReport>;
}

function banner(local: Running, args: StartArgs, scoring: string, data: string): string {
  const key = args.apiKey === undefined ? "" : ` -H "x-api-key: $LOCAL_API_KEY"`;
  return [
    `Fraud pipeline running locally at ${local.url}  (POST /transactions, GET /health)`,
    "Try:",
    `  curl -s -X POST ${local.url}/transactions -H 'content-type: application/json'${key} -d '${exampleBody()}'`,
    `Alerts: appended to ${local.outbox} (one JSON line each) and summarised here.`,
    scoring,
    data,
    args.apiKey === undefined
      ? "API key: none required (set LOCAL_API_KEY to require one)."
      : "API key: required (x-api-key = $LOCAL_API_KEY).",
    "Ctrl-C drains in-flight work and stops.",
  ].join("\n");
}

function stopOnSignals(local: Running): void {
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) {
      process.stderr.write(`${PREFIX} ${signal} again: exiting without draining\n`);
      process.exit(130);
    }
    stopping = true;
    process.stdout.write(`${signal}: draining in-flight work...\n`);
    local.stop().then(
      (report) => {
        if (report.closedConnections > 0) {
          process.stderr.write(
            `${PREFIX} shutdown deadline reached: closed ${report.closedConnections} connection(s) still open\n`,
          );
        }
        if (!report.drained) {
          process.stderr.write(
            `${PREFIX} shutdown deadline reached before detection and notification finished` +
              " (a restart with --data resumes them)\n",
          );
        }
        process.stdout.write("Stopped.\n");
        process.exit(0);
      },
      (error: unknown) => {
        process.stderr.write(`${PREFIX} stopping failed: ${messageOf(error)}\n`);
        process.exit(1);
      },
    );
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
}

/**
 * Runs `npm start` with the given argv and environment; resolves with the exit code to use when
 * startup fails or help was printed, or `undefined` while the pipeline runs.
 *
 * @example
 * main(process.argv.slice(2), process.env).then((code) => { if (code !== undefined) process.exitCode = code; });
 */
async function main(argv: readonly string[], env: NodeJS.ProcessEnv): Promise<number | undefined> {
  const parsed = parseStartArgs(argv, env);
  if (!parsed.ok) {
    process.stderr.write(`${PREFIX} ${parsed.error}\n`);
    return 2;
  }
  const args = parsed.args;
  if (args.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  let local: Running;
  let data: string;
  let rulesSource = "FRAUD_RULES_CONFIG";
  let scoring: string;
  try {
    const rules = readRules(args);
    rulesSource = rules.source;
    const model = args.modelFile === undefined ? undefined : loadModelFile(args.modelFile);
    scoring = scoringLine(args, rulesSource, rules.json);
    const options = {
      model,
      port: args.port,
      host: args.host,
      outbox: args.outbox,
      repair: args.repair,
      apiKey: args.apiKey,
      rulesConfig: rules.json,
      visibilityTimeoutMs: args.visibilityTimeoutMs,
      shutdownTimeoutMs: args.shutdownTimeoutMs,
      logLevel: args.logLevel,
    };
    if (args.dynamodbEndpoint !== undefined) {
      const dynamo = await startDynamoPipeline({ ...options, dynamodbEndpoint: args.dynamodbEndpoint });
      local = dynamo;
      data = `Data: DynamoDB at ${dynamo.endpoint.href} (tables ${dynamo.tables.transactions}, ${dynamo.tables.merchantRisk}; stream polled).`;
    } else {
      const embedded = await startLocalPipeline({ ...options, dataDir: args.dataDir });
      local = embedded;
      data =
        args.dataDir === undefined
          ? "Data: in memory only (use --data DIR to keep it across restarts, or --dynamodb-endpoint URL)."
          : `Data: persisted in ${args.dataDir}${embedded.resumed > 0 ? `; resuming detection of ${embedded.resumed} item(s)` : ""}.`;
    }
  } catch (error) {
    const fromRules =
      isRuntimeError(error, ERROR_NAMES.configuration) && messageOf(error).includes("rules config");
    process.stderr.write(`${PREFIX} ${messageOf(error)}${fromRules ? ` (from ${rulesSource})` : ""}\n`);
    return 1;
  }
  // Handlers first: a Ctrl-C right after the banner must drain, not kill.
  stopOnSignals(local);
  process.stdout.write(`${banner(local, args, scoring, data)}\n`);
  return undefined;
}

if (require.main === module) {
  main(process.argv.slice(2), process.env).then((code) => {
    if (code !== undefined) process.exitCode = code;
  });
}

export { main };
