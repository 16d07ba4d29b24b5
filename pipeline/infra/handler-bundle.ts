/**
 * Turns a handler factory into the one file its Lambda archive holds. The factory is serialized by
 * Pulumi's closure serializer exactly as `aws.lambda.CallbackFunction` would, then esbuild bundles
 * that module with the packages it reaches into a single minified CommonJS `index.js`
 * (docs/design.md, "Bundle settings and why"). Runs inside the Pulumi program, so `pulumi up` stays one command.
 */
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import * as esbuild from "esbuild";

/** The serialized text requires packages by name: it is resolved from the project root. */
const PROJECT_ROOT = path.resolve(__dirname, "..", "..");

/** The name esbuild gives the serialized module (it is never written): requires in it come from the serializer. */
const ENTRY_FILE = path.join(PROJECT_ROOT, "handler.js");

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

/** The default credential chain the SDK clients import; Lambda supplies credentials in the environment. */
const CREDENTIAL_CHAIN = "@aws-sdk/credential-provider-node";
const ENV_CREDENTIALS_SHIM = `export { fromEnv as defaultProvider } from "@aws-sdk/credential-provider-env";`;

/** `@aws-sdk/client-sns/dist-cjs/index.js` -> `@aws-sdk/client-sns`; `fp-ts/lib/Either` -> `fp-ts`. */
function packageName(specifier: string): string {
  const parts = specifier.split("/");
  return (specifier.startsWith("@") ? parts.slice(0, 2) : parts.slice(0, 1)).join("/");
}

/** True when `specifier` names the file Node's `require(name)` would load for its package. */
function isPackageMainFile(specifier: string, name: string): boolean {
  const paths = [PROJECT_ROOT];
  try {
    return require.resolve(specifier, { paths }) === require.resolve(name, { paths });
  } catch {
    return false;
  }
}

/** `const client_sns_1 = require("@aws-sdk/client-sns/dist-cjs/index.js");`, as the serializer writes a module-scope import. */
const REQUIRE_BINDING = /^const ([A-Za-z_$][\w$]*) = require\("([^"]+)"\);$/gm;

/**
 * The exports the serialized text reads from each module it requires, by specifier: every use of
 * the binding is `binding.name`. Absent where the binding is used any other way (passed along,
 * indexed), which needs the whole module object.
 */
function usedExports(serialized: string): Map<string, readonly string[]> {
  const names = new Map<string, Set<string> | undefined>();
  for (const [, binding = "", specifier = ""] of serialized.matchAll(REQUIRE_BINDING)) {
    const escaped = binding.replace(/\$/g, "\\$");
    const uses = serialized.match(new RegExp(`(?<![\\w$.])${escaped}(?![\\w$])`, "g"))?.length ?? 0;
    const members = [...serialized.matchAll(new RegExp(`(?<![\\w$.])${escaped}\\.([A-Za-z_$][\\w$]*)`, "g"))];
    const known = names.has(specifier) ? names.get(specifier) : new Set<string>();
    // One use is the declaration itself.
    const whole = known === undefined || members.length !== uses - 1;
    names.set(specifier, whole ? undefined : new Set([...known, ...members.map((m) => m[1] as string)]));
  }
  const used = new Map<string, readonly string[]>();
  for (const [specifier, set] of names) if (set !== undefined) used.set(specifier, [...set].sort());
  return used;
}

/**
 * A module exposing only `names` of `name`: its imports stay ESM-to-ESM, so esbuild keeps of the
 * package only what those exports reach. A name the package lacks reads as undefined, as it would
 * from the CommonJS module object.
 */
function namedExportsModule(name: string, names: readonly string[]): string {
  return [
    `import * as m from ${JSON.stringify(name)};`,
    ...names.map((n, i) => `const e${i} = m[${JSON.stringify(n)}];`),
    `export { ${names.map((n, i) => `e${i} as ${JSON.stringify(n)}`).join(", ")} };`,
  ].join("\n");
}

/**
 * The serializer records the CommonJS file each package resolved to (`@aws-sdk/client-sns/dist-cjs/index.js`)
 * and requires it; this resolves such a require as an import of the package itself, so esbuild
 * picks the ESM entry (`module` field or `import` condition), and where the text reads only named
 * exports, as a module of just those exports, so the rest of the package is left out.
 */
function packageEntries(used: ReadonlyMap<string, readonly string[]>): esbuild.Plugin {
  return {
    name: "package-entries",
    setup(build) {
      build.onResolve({ filter: /^[^./]/ }, async (args) => {
        if (args.importer !== ENTRY_FILE || args.pluginData === "package-entry") return undefined;
        const name = packageName(args.path);
        if (name !== args.path && !isPackageMainFile(args.path, name)) return undefined;
        const names = used.get(args.path);
        // The path names the module: two requires of one package reading different exports are two modules.
        if (names !== undefined)
          return {
            path: `${name}#${names.join(",")}`,
            namespace: "named-exports",
            pluginData: { name, names },
          };
        const resolved = await build.resolve(name, {
          kind: "import-statement",
          resolveDir: args.resolveDir,
          pluginData: "package-entry",
        });
        return resolved.errors.length > 0 ? { errors: resolved.errors } : { path: resolved.path };
      });
      build.onLoad({ filter: /.*/, namespace: "named-exports" }, (args) => ({
        contents: namedExportsModule(args.pluginData.name, args.pluginData.names),
        loader: "js",
        resolveDir: PROJECT_ROOT,
      }));
    },
  };
}

/**
 * Replaces the SDK's default credential chain (environment, SSO, ini files, process, web identity,
 * container and instance metadata, loaded on first use) with its environment step, which is where
 * Lambda puts the function role's credentials. The shim is resolved from the chain's own
 * directory, so it uses the `@aws-sdk/credential-provider-env` version the SDK depends on.
 */
function environmentCredentials(): esbuild.Plugin {
  return {
    name: "environment-credentials",
    setup(build) {
      build.onResolve({ filter: /^@aws-sdk\/credential-provider-node$/ }, async (args) => {
        if (args.pluginData === "credential-chain") return undefined;
        const chain = await build.resolve(CREDENTIAL_CHAIN, {
          kind: args.kind,
          resolveDir: args.resolveDir,
          pluginData: "credential-chain",
        });
        if (chain.errors.length > 0) return { errors: chain.errors };
        return { path: chain.path, namespace: "environment-credentials" };
      });
      build.onLoad({ filter: /.*/, namespace: "environment-credentials" }, (args) => ({
        contents: ENV_CREDENTIALS_SHIM,
        loader: "js",
        resolveDir: path.dirname(args.path),
      }));
    },
  };
}

/** The bundle of one serialized module (see the file comment for each choice). */
async function bundle(serialized: string): Promise<string> {
  const result = await esbuild.build({
    stdin: {
      contents: serialized,
      loader: "js",
      resolveDir: PROJECT_ROOT,
      sourcefile: path.basename(ENTRY_FILE),
    },
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
    plugins: [packageEntries(usedExports(serialized)), environmentCredentials()],
  });
  const [output] = result.outputFiles;
  if (output === undefined) throw new Error("esbuild produced no output for the serialized handler");
  return output.text;
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
