/**
 * Runs the Pulumi program (index.ts) under mocks and records the resource graph it registers:
 * every resource's type, logical name, inputs, options and dependencies, every provider function
 * call, and the stack outputs. Reusable within one mocha process: each call installs fresh mocks
 * and config and re-requires the program. Calls must not overlap (Pulumi's runtime state is global).
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { FEATURE_NAMES } from "../../pipeline/runtime/detect/features/registry";
import { MODEL_FORMAT, MODEL_KINDS } from "../../pipeline/runtime/detect/model/format";
import { promiseOf } from "./promise-of";
import {
  MOCK_ACCOUNT_ID,
  MOCK_LAMBDA_CONCURRENCY_QUOTA,
  MOCK_REGION,
  mockCall,
  mockState,
  type Props,
} from "./stack-mocks";

const PROJECT = "fraud-pipeline";
const STACK = "dev";
const PROGRAM = path.resolve(__dirname, "../../index.ts");
const INFRA_DIR = path.resolve(__dirname, "../../pipeline/infra");
/** Kept loaded across runs: its cache of bundles, keyed by serialized text, stays valid. */
const HANDLER_BUNDLE = path.join(INFRA_DIR, "handler-bundle.ts");

/** Configuration of a deployable dev stack (keys without the project prefix). */
const DEFAULT_STACK_CONFIG: Readonly<Record<string, string>> = {
  environmentSuffix: "dev",
  alertEmail: "fraud-team@example.com",
};

/** A resource reference parsed from a URN. */
interface ResourceRef {
  readonly type: string;
  readonly name: string;
}

/** One registered resource. */
interface RecordedResource extends ResourceRef {
  readonly inputs: Props;
  /** `true` when registered with `protect`. */
  readonly protect: boolean;
  /** `true` when registered with `retainOnDelete`. */
  readonly retainOnDelete: boolean;
  /** Resources this one waits for (explicit `dependsOn` and inputs taken from other resources). */
  readonly dependencies: readonly ResourceRef[];
  /** Provider reference (`urn::id`), empty for component resources. */
  readonly provider: string;
}

/** One provider function call (data source). */
interface RecordedInvoke {
  readonly token: string;
  readonly inputs: Props;
  readonly provider: string;
}

/** What the program registered and exported. */
interface LoadedStack {
  readonly resources: readonly RecordedResource[];
  readonly invokes: readonly RecordedInvoke[];
  /** Resolved stack outputs by export name. */
  readonly outputs: Readonly<Record<string, unknown>>;
  /** Names of the outputs marked secret. */
  readonly secretOutputs: ReadonlySet<string>;
}

function parseUrn(urn: string): ResourceRef {
  const [, , qualifiedType = "", name = ""] = urn.split("::");
  return { type: qualifiedType.split("$").pop() ?? "", name };
}

interface RegisterRequest {
  getType(): string;
  getName(): string;
  getProtect(): boolean;
  getRetainondelete(): boolean;
  getDependenciesList(): string[];
}
type RegisterCallback = (err: unknown, response: unknown) => void;
interface Monitor {
  registerResource(req: RegisterRequest, callback: RegisterCallback): Promise<void>;
}

/** Records resource options, which the Mocks interface does not see, by wrapping the mock monitor. */
function recordOptions(
  into: Map<string, Pick<RecordedResource, "protect" | "retainOnDelete" | "dependencies">>,
) {
  const monitor = pulumi.runtime.getMonitor() as unknown as Monitor;
  const register = monitor.registerResource.bind(monitor);
  monitor.registerResource = (req, callback) => {
    into.set(`${req.getType()}::${req.getName()}`, {
      protect: req.getProtect(),
      retainOnDelete: req.getRetainondelete(),
      dependencies: req.getDependenciesList().map(parseUrn),
    });
    return register(req, callback);
  };
}

function loadProgram(): Record<string, unknown> {
  for (const file of Object.keys(require.cache)) {
    if (file === HANDLER_BUNDLE) continue;
    if (file === PROGRAM || file.startsWith(INFRA_DIR + path.sep)) delete require.cache[file];
  }
  return require(PROGRAM);
}

/** What the mocked provider functions answer differently from stack-mocks.ts, by token. */
type InvokeAnswers = Readonly<Record<string, (args: pulumi.runtime.MockCallArgs) => Props>>;

/** What one run of the program registered, whether or not it completed. */
interface ProgramRun {
  readonly registered: readonly { type: string; name: string; inputs: Props; provider: string }[];
  readonly invokes: readonly RecordedInvoke[];
  readonly options: ReadonlyMap<
    string,
    Pick<RecordedResource, "protect" | "retainOnDelete" | "dependencies">
  >;
  /** Resolves with the program's exports once they are known; rejects with the program's first error. */
  readonly completion: Promise<Pick<LoadedStack, "outputs" | "secretOutputs">>;
}

/**
 * The first error the program leaves unhandled (an apply that throws fails every registration
 * waiting on it, never an export); reported once, as the Pulumi CLI's runner does.
 */
function firstUnhandledRejection(): { failed: Promise<never>; stop: () => void } {
  let listener: (reason: unknown) => void = () => undefined;
  const failed = new Promise<never>((_, reject) => {
    listener = reject;
  });
  process.on("unhandledRejection", listener);
  return { failed, stop: () => process.off("unhandledRejection", listener) };
}

type SerializeFunction = typeof pulumi.runtime.serializeFunction;

// biome-ignore lint/complexity/noBannedTypes: keyed by any function object the program serializes
const serializedByFunction = new WeakMap<Function, Map<string, ReturnType<SerializeFunction>>>();

/**
 * Serializing a handler is the slowest step of a stack build (up to a second per function) and gives
 * the same text for the same function object and options, so program runs serialize each factory
 * once per process. A factory built per run (detect-fraud's, around its model) is a new object and
 * is serialized anew. The artifact tests call serializeFunction outside program runs, uncached.
 */
function cachedSerialize(original: SerializeFunction): SerializeFunction {
  return (func, args) => {
    let byArgs = serializedByFunction.get(func);
    if (byArgs === undefined) {
      byArgs = new Map();
      serializedByFunction.set(func, byArgs);
    }
    const key = JSON.stringify(args ?? {});
    let result = byArgs.get(key);
    if (result === undefined) {
      result = original(func, args);
      byArgs.set(key, result);
    }
    return result;
  };
}

/** Installs the cache for one program run; returns what restores the real serializer. */
function cacheSerialization(): () => void {
  const runtime = pulumi.runtime as { serializeFunction: SerializeFunction };
  const original = runtime.serializeFunction;
  runtime.serializeFunction = cachedSerialize(original);
  return () => {
    runtime.serializeFunction = original;
  };
}

async function runProgram(
  config: Readonly<Record<string, string>>,
  answers: InvokeAnswers,
): Promise<ProgramRun> {
  const restoreSerializer = cacheSerialization();
  const registered: { type: string; name: string; inputs: Props; provider: string }[] = [];
  const invokes: RecordedInvoke[] = [];
  const options = new Map<string, Pick<RecordedResource, "protect" | "retainOnDelete" | "dependencies">>();
  await pulumi.runtime.setMocks(
    {
      newResource: (args) => {
        registered.push({
          type: args.type,
          name: args.name,
          inputs: args.inputs,
          provider: args.provider ?? "",
        });
        return mockState(args);
      },
      call: (args) => {
        invokes.push({ token: args.token, inputs: args.inputs, provider: args.provider ?? "" });
        return answers[args.token]?.(args) ?? mockCall(args);
      },
    },
    PROJECT,
    STACK,
    false,
  );
  recordOptions(options);
  pulumi.runtime.setAllConfig(
    Object.fromEntries(Object.entries(config).map(([key, value]) => [`${PROJECT}:${key}`, value])),
  );

  const program = loadProgram();
  const unhandled = firstUnhandledRejection();
  const exports = async () => {
    const outputs: Record<string, unknown> = {};
    const secretOutputs = new Set<string>();
    for (const [exportName, value] of Object.entries(program)) {
      if (!pulumi.Output.isInstance(value)) continue;
      outputs[exportName] = await promiseOf(value);
      if (await pulumi.isSecret(value)) secretOutputs.add(exportName);
    }
    await (pulumi.runtime as unknown as { waitForRPCs: () => Promise<void> }).waitForRPCs();
    return { outputs, secretOutputs };
  };
  const completion = Promise.race([exports(), unhandled.failed]).finally(() => {
    unhandled.stop();
    restoreSerializer();
  });
  return { registered, invokes, options, completion };
}

/**
 * Runs index.ts under mocks with the given stack config (keys without the `fraud-pipeline:` prefix;
 * pass the complete config, e.g. `{ ...DEFAULT_STACK_CONFIG, fraudRules: "{...}" }`) and, when
 * given, other answers of provider functions. Rejects with the program's error when it throws
 * (e.g. invalid config) or fails while running (e.g. a check inside an apply).
 *
 * @example
 * const { resources, outputs } = await loadStack();
 * const table = resources.find((r) => r.type === "aws:dynamodb/table:Table");
 */
async function loadStack(
  config: Readonly<Record<string, string>> = DEFAULT_STACK_CONFIG,
  answers: InvokeAnswers = {},
): Promise<LoadedStack> {
  const { registered, invokes, options, completion } = await runProgram(config, answers);
  const { outputs, secretOutputs } = await completion;
  const resources = registered.map((r) => {
    const recorded = options.get(`${r.type}::${r.name}`);
    return { ...r, protect: false, retainOnDelete: false, dependencies: [], ...recorded };
  });
  return { resources, invokes, outputs, secretOutputs };
}

/**
 * Runs index.ts under mocks expecting it to fail while running: the error, and the types of the
 * resources registered before it (to show what a failed preview would have created).
 *
 * @example
 * const { error, registeredTypes } = await loadFailingStack(config, answers);
 */
async function loadFailingStack(
  config: Readonly<Record<string, string>>,
  answers: InvokeAnswers = {},
): Promise<{ error: Error; registeredTypes: string[] }> {
  const { registered, completion } = await runProgram(config, answers);
  try {
    await completion;
  } catch (error) {
    return { error: error as Error, registeredTypes: registered.map((r) => r.type) };
  }
  throw new Error("Expected the program to fail, but it completed");
}

/**
 * True when the @pulumi/aws resource type takes the given input (read from the resource class,
 * so a new resource type is judged without a hand-kept list).
 *
 * @example
 * acceptsInput("aws:sqs/queue:Queue", "name"); // true
 * acceptsInput("aws:sqs/queuePolicy:QueuePolicy", "tags"); // false
 */
function acceptsInput(type: string, input: string): boolean {
  const match = /^aws:([a-zA-Z0-9]+)\/([a-zA-Z0-9]+):([a-zA-Z0-9]+)$/.exec(type);
  if (match === null) return false;
  const [, modulePath, file, className] = match;
  const resourceClass = require(`@pulumi/aws/${modulePath}/${file}`)[className as string] as {
    toString(): string;
  };
  return resourceClass.toString().includes(`resourceInputs["${input}"] = args`);
}

/**
 * True when the resource type takes `tags`.
 *
 * @example
 * isTaggableType("aws:sqs/queue:Queue"); // true
 */
function isTaggableType(type: string): boolean {
  return acceptsInput(type, "tags");
}

/**
 * Resources of one type.
 *
 * @example
 * const queues = ofType(stack.resources, "aws:sqs/queue:Queue");
 */
function ofType(resources: readonly RecordedResource[], type: string): RecordedResource[] {
  return resources.filter((r) => r.type === type);
}

/**
 * The one resource of a type with a logical name; throws naming both when there is not exactly one.
 *
 * @example
 * const table = single(stack.resources, "aws:dynamodb/table:Table", "transactions");
 */
function single(resources: readonly RecordedResource[], type: string, name: string): RecordedResource {
  const found = resources.filter((r) => r.type === type && r.name === name);
  if (found.length !== 1) throw new Error(`Expected one ${type} named ${name}, found ${found.length}`);
  return found[0] as RecordedResource;
}

/**
 * A MODEL.json object that `parseFraudModel` accepts for this version's features; `overrides`
 * replace fields (e.g. `{ intercept: -2 }` for a second, different model).
 *
 * @example
 * const model = fraudModelJson({ features: ["amount_log"] }); // a feature mismatch
 */
function fraudModelJson(overrides: Readonly<Record<string, unknown>> = {}): Record<string, unknown> {
  const perFeature = (value: number) => FEATURE_NAMES.map(() => value);
  return {
    format: MODEL_FORMAT.name,
    version: MODEL_FORMAT.version,
    kind: MODEL_KINDS.logisticRegression,
    features: [...FEATURE_NAMES],
    mean: perFeature(0),
    scale: perFeature(1),
    weights: perFeature(0.25),
    intercept: -3,
    threshold: 60,
    training: { from: "2026-01-01", until: "2026-03-31", rows: 1000, frauds: 10, labelDelayDays: 7, seed: 1 },
    validation: {
      from: "2026-04-01",
      until: "2026-04-30",
      rows: 200,
      frauds: 2,
      rocAuc: 0.9,
      averagePrecision: 0.5,
    },
    ...overrides,
  };
}

/**
 * Writes `text` to a file in a fresh temporary directory (removed by `after` of the calling
 * `describe` block) and returns its absolute path.
 *
 * @example
 * const modelPath = useTempFile("MODEL.json", JSON.stringify(fraudModelJson()));
 */
function useTempFile(name: string, text: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "fraud-stack-"));
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  after(() => fs.rmSync(dir, { recursive: true, force: true }));
  return file;
}

/** The only file of a function's archive: the bundled handler (pipeline/infra/handler-bundle.ts). */
const BUNDLE_FILE = "index.js";

/**
 * The files of a recorded function's `code` archive, by name, with their text (the mocks record
 * the archive with its assets still to be resolved).
 *
 * @example
 * const files = await archiveFiles(single(stack.resources, T.fn, "notify-team"));
 */
async function archiveFiles(fn: RecordedResource): Promise<Record<string, unknown>> {
  const assets = await fn.inputs.code?.assets;
  if (assets === undefined || assets === null) throw new Error(`${fn.type} ${fn.name} has no code archive`);
  const files: Record<string, unknown> = {};
  for (const [name, asset] of Object.entries(assets as Record<string, { text?: unknown }>))
    files[name] = await asset.text;
  return files;
}

/**
 * The bundled handler a recorded function uploads: the text of `index.js` in its `code` archive.
 *
 * @example
 * const code = await shippedHandler(single(stack.resources, T.fn, "detect-fraud"));
 */
async function shippedHandler(fn: RecordedResource): Promise<string> {
  const text = (await archiveFiles(fn))[BUNDLE_FILE];
  if (typeof text !== "string") throw new Error(`${fn.type} ${fn.name} has no ${BUNDLE_FILE} in its code`);
  return text;
}

export type { InvokeAnswers, LoadedStack, Props, RecordedInvoke, RecordedResource, ResourceRef };
export {
  acceptsInput,
  archiveFiles,
  DEFAULT_STACK_CONFIG,
  fraudModelJson,
  isTaggableType,
  loadFailingStack,
  loadStack,
  MOCK_ACCOUNT_ID,
  MOCK_LAMBDA_CONCURRENCY_QUOTA,
  MOCK_REGION,
  ofType,
  shippedHandler,
  single,
  useTempFile,
};
