/**
 * The code a function ships, as the stack builds it, and a directory laid out like its archive.
 * One switch point for how a factory becomes shipped code: ours is bundled (bundleFactory: the
 * closure serializer's module and every package it reaches in one `index.js`); the v2 baseline is
 * the serializer's module alone, which requires packages from a node_modules shipped beside it.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { bundleFactory } from "../pipeline/infra/handler-bundle";

const PROJECT_NODE_MODULES = path.resolve(__dirname, "..", "node_modules");

/** Name of the handler export, as CallbackFunction sets it. */
const EXPORT_NAME = "handler";

interface ShippedCode {
  /** The archive's `index.js`. */
  readonly text: string;
  readonly exportName: string;
  readonly containsSecrets: boolean;
  /** True when the code requires packages the archive ships in node_modules beside it. */
  readonly needsNodeModules: boolean;
}

/**
 * A factory serialized by Pulumi's closure serializer, exactly as CallbackFunction does it; its
 * requires resolve against the node_modules shipped beside it.
 *
 * @example
 * const code = await serializedCode(v2NotifyTeamFactory);
 */
async function serializedCode(factory: () => unknown): Promise<ShippedCode> {
  const serialized = await pulumi.runtime.serializeFunction(factory, {
    isFactoryFunction: true,
    exportName: EXPORT_NAME,
  });
  return {
    text: serialized.text,
    exportName: serialized.exportName,
    containsSecrets: serialized.containsSecrets,
    needsNodeModules: true,
  };
}

/**
 * The code the stack ships for one of the project's functions: one bundled `index.js` that needs
 * nothing beside it.
 *
 * @example
 * const code = await shippedCode(notifyTeamFactory);
 */
async function shippedCode(factory: () => unknown): Promise<ShippedCode> {
  const bundled = await bundleFactory(factory);
  return {
    text: bundled.code,
    exportName: bundled.exportName,
    containsSecrets: bundled.containsSecrets,
    needsNodeModules: false,
  };
}

/** A temporary directory laid out like a function's archive. */
interface ArchiveDir {
  readonly dir: string;
  /** `<dir>/index.js`. */
  readonly file: string;
  dispose(): void;
}

/**
 * Writes `code` as `index.js` into a fresh temporary directory, with the project's node_modules
 * linked beside it only when the code needs packages shipped with it.
 *
 * @example
 * const archive = writeArchiveDir(await shippedCode(notifyTeamFactory));
 * try { ... require(archive.file) ... } finally { archive.dispose(); }
 */
function writeArchiveDir(code: ShippedCode): ArchiveDir {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "fraud-shipped-"));
  const file = path.join(dir, "index.js");
  fs.writeFileSync(file, code.text);
  if (code.needsNodeModules) fs.symlinkSync(PROJECT_NODE_MODULES, path.join(dir, "node_modules"), "dir");
  return { dir, file, dispose: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

export type { ArchiveDir, ShippedCode };
export { serializedCode, shippedCode, writeArchiveDir };
