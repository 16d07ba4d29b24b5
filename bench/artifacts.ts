/**
 * The shipped code of every benchmarked function, each written into a directory laid out like its
 * archive: ours as the stack ships it (bench/shipped-code.ts), the v2 baseline serialized by
 * Pulumi's closure serializer with its packages beside it, as CallbackFunction ships it.
 */

import { type BenchFunction, benchFunctions, FACTORY_ENV, VARIANTS } from "./functions";
import { type ArchiveDir, serializedCode, shippedCode, writeArchiveDir } from "./shipped-code";

interface BenchArtifact {
  readonly fn: BenchFunction;
  /** The archive's `index.js`, with node_modules beside it when the code needs packages. */
  readonly file: string;
  /** Size of the `index.js` text in bytes. */
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
 * Builds every function's shipped code (ours and the baseline) into temporary archive
 * directories. Call `dispose` to remove them.
 *
 * @example
 * const { artifacts, dispose } = await buildArtifacts();
 * try { ... } finally { dispose(); }
 */
async function buildArtifacts(): Promise<{ artifacts: BenchArtifact[]; dispose: () => void }> {
  useFactoryEnv();
  const dirs: ArchiveDir[] = [];
  const dispose = () => {
    for (const dir of dirs) dir.dispose();
  };
  const artifacts: BenchArtifact[] = [];
  try {
    for (const fn of benchFunctions()) {
      const code =
        fn.variant === VARIANTS.ours ? await shippedCode(fn.factory) : await serializedCode(fn.factory);
      const dir = writeArchiveDir(code);
      dirs.push(dir);
      artifacts.push({ fn, file: dir.file, bytes: Buffer.byteLength(code.text), text: code.text });
    }
  } catch (error) {
    dispose();
    throw error;
  }
  return { artifacts, dispose };
}

export type { BenchArtifact };
export { buildArtifacts, useFactoryEnv };
