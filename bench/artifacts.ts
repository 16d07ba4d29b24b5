/**
 * Serialized artifacts of every benchmarked function, built the way CallbackFunction builds them
 * (test/helpers/artifact.ts: Pulumi's closure serializer, factory mode, export `handler`).
 */
import * as path from "node:path";
import { type LoadedArtifact, loadArtifact } from "../test/helpers/artifact";
import { type BenchFunction, benchFunctions, FACTORY_ENV } from "./functions";

interface BenchArtifact {
  readonly fn: BenchFunction;
  /** The serialized module (CallbackFunction's `__index.js`), with node_modules linked beside it. */
  readonly file: string;
  /** Size of the serialized module text in bytes. */
  readonly bytes: number;
  readonly text: string;
}

/**
 * Sets the factories' environment in this process (children inherit it from `process.env`).
 *
 * @example
 * useFactoryEnv();
 */
function useFactoryEnv(): void {
  Object.assign(process.env, FACTORY_ENV);
}

/**
 * Serializes every function (ours and the baseline) and loads each artifact once, which also
 * checks that its factory runs. Call `dispose` to remove the temporary directories.
 *
 * @example
 * const { artifacts, dispose } = await buildArtifacts();
 * try { ... } finally { dispose(); }
 */
async function buildArtifacts(): Promise<{ artifacts: BenchArtifact[]; dispose: () => void }> {
  useFactoryEnv();
  const loaded: LoadedArtifact<unknown>[] = [];
  const dispose = () => {
    for (const artifact of loaded) artifact.dispose();
  };
  const artifacts: BenchArtifact[] = [];
  try {
    for (const fn of benchFunctions()) {
      const artifact = await loadArtifact<unknown>(fn.factory);
      loaded.push(artifact);
      artifacts.push({
        fn,
        file: path.join(artifact.dir, "index.js"),
        bytes: Buffer.byteLength(artifact.text),
        text: artifact.text,
      });
    }
  } catch (error) {
    dispose();
    throw error;
  }
  return { artifacts, dispose };
}

export type { BenchArtifact };
export { buildArtifacts, useFactoryEnv };
