/**
 * Runs a function factory the way Lambda will, short of bundling: serialized by Pulumi's closure
 * serializer (what pipeline/infra/handler-bundle.ts then bundles into the function's `index.js`),
 * written to a fresh directory beside the project's node_modules and loaded with `require`, so
 * aws-sdk-client-mock reaches its SDK clients. A unit test of the TypeScript function cannot catch
 * what serialization breaks (captured codecs, Error subclasses); this can (docs/design.md,
 * closure rule 3). test/infra/function-archives.test.ts covers the bundle itself.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";

/** The project's node_modules, linked into each artifact directory. */
const PROJECT_NODE_MODULES = path.resolve(__dirname, "..", "..", "node_modules");

/** Name of the handler export, as the shipped bundle has it (`index.handler`). */
const EXPORT_NAME = "handler";

/** A loaded artifact. Call `dispose` (e.g. in `after`) to remove its directory. */
interface LoadedArtifact<H> {
  /** The exported handler, as Lambda would call it. */
  readonly handler: H;
  /** The serialized module text, for assertions on what it captured. */
  readonly text: string;
  /** True when the serializer captured a secret Output. */
  readonly containsSecrets: boolean;
  readonly dir: string;
  dispose(): void;
}

/**
 * Serializes `factory` as a function factory and loads the result. Loading runs the factory, as a
 * cold start does, so set the environment it reads first; if it throws, the error propagates.
 *
 * `node_modules` in the artifact directory is a symlink to the project's, and Node resolves
 * symlinks to real paths, so `require("@aws-sdk/client-sns")` inside the artifact returns the same
 * module instance the test imported: aws-sdk-client-mock's prototype stubs apply to the clients
 * the factory builds.
 *
 * @example
 * const artifact = await loadArtifact<NotifyHandler>(notifyTeamFactory);
 * const response = await artifact.handler(sqsEvent, lambdaContext());
 * artifact.dispose();
 */
async function loadArtifact<H = (event: unknown, context: unknown) => Promise<unknown>>(
  factory: () => unknown,
): Promise<LoadedArtifact<H>> {
  const serialized = await pulumi.runtime.serializeFunction(factory, {
    isFactoryFunction: true,
    exportName: EXPORT_NAME,
  });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "fraud-artifact-"));
  fs.symlinkSync(PROJECT_NODE_MODULES, path.join(dir, "node_modules"), "dir");
  const file = path.join(dir, "index.js");
  const dispose = () => {
    delete require.cache[file];
    fs.rmSync(dir, { recursive: true, force: true });
  };
  fs.writeFileSync(file, serialized.text);
  let loaded: Record<string, unknown>;
  try {
    loaded = require(file);
  } catch (err) {
    // Loading runs the factory; a factory that throws (e.g. missing configuration) leaves nothing to keep.
    dispose();
    throw err;
  }
  return {
    handler: loaded[serialized.exportName] as H,
    text: serialized.text,
    containsSecrets: serialized.containsSecrets,
    dir,
    dispose,
  };
}

/**
 * Sets environment variables for the tests of the calling `describe` block and restores the
 * previous values afterwards; `undefined` removes a variable.
 *
 * @example
 * useEnv({ TABLE_NAME: "dynamodb-transactions-test", TOPIC_ARN: undefined });
 */
function useEnv(vars: Record<string, string | undefined>): void {
  const saved = new Map<string, string | undefined>();
  const assign = (name: string, value: string | undefined) => {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  };
  before(() => {
    for (const [name, value] of Object.entries(vars)) {
      saved.set(name, process.env[name]);
      assign(name, value);
    }
  });
  after(() => {
    for (const [name, value] of saved) assign(name, value);
    saved.clear();
  });
}

export type { LoadedArtifact };
export { loadArtifact, useEnv };
