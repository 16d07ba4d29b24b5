/**
 * Turns a handler factory into the one file its Lambda archive holds. The factory is serialized by
 * Pulumi's closure serializer exactly as `aws.lambda.CallbackFunction` would, then esbuild bundles
 * that module with the packages it reaches into a single minified CommonJS `index.js`
 * (docs/design.md, "Bundle settings and why"). Runs inside the Pulumi program, so `pulumi up` stays one command.
 */
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import * as esbuild from "esbuild";
import {
  bundledPackages,
  environmentCredentials,
  eventStreamsLeftOut,
  fsReadFileFromCallbacks,
  PROJECT_ROOT,
  packageEntries,
  packageSpecifiers,
  packagesModule,
  usedExports,
  withPackages,
} from "./bundle-plugins";

/** The name esbuild gives the serialized module (it is never written): requires in it come from the serializer. */
const ENTRY_FILE = path.join(PROJECT_ROOT, "handler.js");

/** The name esbuild gives the module of the packages the serialized module requires (never written). */
const PACKAGES_FILE = path.join(PROJECT_ROOT, "packages.js");

/** The export Lambda calls, as CallbackFunction names it. */
const HANDLER_EXPORT = "handler";

/** A bundled handler: the text of the archive's only file, `index.js`. */
interface BundledHandler {
  /** The single `index.js`: the serialized factory with every package it reaches. */
  readonly code: string;
  /** The export Lambda calls: the handler is `index.handler`. */
  readonly exportName: typeof HANDLER_EXPORT;
  /** True when the serializer captured a secret Output into the code. */
  readonly containsSecrets: boolean;
}

/** The settings both builds share (docs/design.md, "Bundle settings and why"). */
const BUILD_OPTIONS = {
  absWorkingDir: PROJECT_ROOT,
  bundle: true,
  write: false,
  platform: "node",
  target: "node24",
  format: "cjs",
  // ESM entry points tree-shake; the CommonJS builds are whole-package barrels.
  mainFields: ["module", "main"],
  // The archive's node_modules path, not the real path behind a linked node_modules: same bytes on every checkout.
  preserveSymlinks: true,
  minify: true,
  sourcemap: false,
  metafile: false,
  // The only legal comments the reached packages carry are coverage directives (`v8 ignore -- @preserve`).
  legalComments: "none",
  // Node built-ins stay external; a dynamic import() of one would start the ESM loader on first use.
  supported: { "dynamic-import": false },
  charset: "utf8",
  logLevel: "silent",
} as const satisfies esbuild.BuildOptions;

/** Bundles `contents`, named `file`, into one CommonJS module. */
async function build(file: string, contents: string, plugins: esbuild.Plugin[]): Promise<string> {
  const result = await esbuild.build({
    ...BUILD_OPTIONS,
    stdin: { contents, loader: "js", resolveDir: PROJECT_ROOT, sourcefile: path.basename(file) },
    plugins,
  });
  const [output] = result.outputFiles;
  if (output === undefined) throw new Error(`esbuild produced no output for ${path.basename(file)}`);
  return output.text;
}

/**
 * The bundle of one serialized module, in two builds. First the packages it requires, from an ESM
 * module exporting each one's module object, so they tree-shake; then the serialized module (which
 * stays CommonJS: it uses `with`), each package require resolved to its export of the first build,
 * which runs ahead of it in the same file.
 */
async function bundle(serialized: string): Promise<string> {
  const specifiers = packageSpecifiers(serialized);
  const packages = await build(PACKAGES_FILE, packagesModule(specifiers), [
    packageEntries(PACKAGES_FILE, usedExports(serialized)),
    environmentCredentials(),
    eventStreamsLeftOut(),
    fsReadFileFromCallbacks(),
  ]);
  const handler = await build(ENTRY_FILE, serialized, [
    bundledPackages(ENTRY_FILE, specifiers),
    environmentCredentials(),
    eventStreamsLeftOut(),
    fsReadFileFromCallbacks(),
  ]);
  return withPackages(packages, handler, serialized);
}

const bundles = new Map<string, Promise<string>>();

/** One bundle per serialized text per process: stack tests build the program many times. */
function cachedBundle(serialized: string): Promise<string> {
  let code = bundles.get(serialized);
  if (code === undefined) {
    code = bundle(serialized);
    bundles.set(serialized, code);
    code.catch(() => bundles.delete(serialized));
  }
  return code;
}

/**
 * Serializes a handler factory as `CallbackFunction({ callbackFactory })` does and bundles the
 * result into a single deterministic `index.js` exporting `handler`.
 *
 * @example
 * const { code } = await bundleFactory(notifyTeamFactory);
 * new pulumi.asset.AssetArchive({ "index.js": new pulumi.asset.StringAsset(code) });
 */
async function bundleFactory(factory: () => unknown): Promise<BundledHandler> {
  const serialized = await pulumi.runtime.serializeFunction(factory, {
    serialize: () => true,
    exportName: HANDLER_EXPORT,
    isFactoryFunction: true,
    allowSecrets: true,
  });
  const code = await cachedBundle(serialized.text);
  return { code, exportName: HANDLER_EXPORT, containsSecrets: serialized.containsSecrets };
}

/** Drops every cached bundle, so the next `bundleFactory` call bundles anew (determinism tests). */
function clearBundleCache(): void {
  bundles.clear();
}

export type { BundledHandler };
export { bundleFactory, clearBundleCache, HANDLER_EXPORT };
