/**
 * Runs a function's shipped code as Lambda would: its archive directory (the bundled `index.js`
 * and nothing else), required in a fresh process on the Node the functions run on (the pinned
 * devDependency), its handler called once per event, with only the function's environment and the
 * loopback stand-in's endpoint and credentials: nothing of this process leaks in.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { loopbackEnv } from "../../bench/aws-loopback";
import { type ProbeOutput, parseProbeOutput, runOnFunctionNode, writeProbe } from "../../bench/lambda-probe";

/** A child that runs longer than this is killed and the call rejects. */
const CHILD_TIMEOUT_MS = 20_000;

interface InvokeOptions {
  /** The function's environment (table names, queue URL, ...), without the AWS endpoint. */
  readonly env: Readonly<Record<string, string>>;
  /** The stand-in's endpoint, for AWS_ENDPOINT_URL. */
  readonly endpoint: string;
  readonly functionName: string;
}

/** A function's archive written out: its files in a fresh directory and nothing else. */
interface WrittenArchive {
  readonly dir: string;
  /** `<dir>/index.js`, the handler's module. */
  readonly file: string;
  dispose(): void;
}

/**
 * Writes an archive's files (name -> text, as the stack's `code` archive holds them) into a fresh
 * temporary directory: no node_modules, so the code finds only what it ships.
 *
 * @example
 * const archive = writeArchive(await archiveFiles(single(stack.resources, T.fn, "notify-team")));
 * try { await invokeShipped(archive.file, [event], options); } finally { archive.dispose(); }
 * @throws Error naming a file whose content is not text.
 */
function writeArchive(files: Readonly<Record<string, unknown>>): WrittenArchive {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "fraud-archive-"));
  const dispose = () => fs.rmSync(dir, { recursive: true, force: true });
  for (const [name, text] of Object.entries(files)) {
    if (typeof text !== "string") {
      dispose();
      throw new Error(`Archive file ${name} has no text content`);
    }
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return { dir, file: path.join(dir, "index.js"), dispose };
}

/**
 * Requires `file` in a fresh Node 24 process and calls its handler with each event in order;
 * resolves what the handlers answered and the timings.
 *
 * @example
 * const { results } = await invokeShipped(archive.file, [apiGatewayEvent(tx)], { env, endpoint, functionName });
 * @throws Error with the child's stderr when it fails or outlives its deadline.
 */
async function invokeShipped(
  file: string,
  events: readonly unknown[],
  options: InvokeOptions,
): Promise<ProbeOutput> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "fraud-invoke-"));
  try {
    const probe = writeProbe(dir);
    const eventsFile = path.join(dir, "events.json");
    fs.writeFileSync(eventsFile, JSON.stringify(events));
    const env = { PATH: process.env.PATH ?? "", ...options.env, ...loopbackEnv(options.endpoint) };
    const { stdout } = await runOnFunctionNode([probe, file, eventsFile, options.functionName], {
      env,
      cwd: path.dirname(file),
      timeoutMs: CHILD_TIMEOUT_MS,
    });
    return parseProbeOutput(stdout);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export type { WrittenArchive };
export { invokeShipped, writeArchive };
