/**
 * The esbuild plugins behind a function's bundle (handler-bundle.ts; docs/design.md, "Bundle
 * settings and why"): which module each package require of the serialized closure becomes, how
 * the packages build and the handler build join into one file, and what of the SDK is replaced
 * because Lambda never runs it or has a cheaper equivalent loaded.
 */
import { isBuiltin } from "node:module";
import * as path from "node:path";
import type * as esbuild from "esbuild";

/** The serialized text requires packages by name: it is resolved from the project root. */
const PROJECT_ROOT = path.resolve(__dirname, "..", "..");

/** The default credential chain the SDK clients import; Lambda supplies credentials in the environment. */
const CREDENTIAL_CHAIN = "@aws-sdk/credential-provider-node";
const ENV_CREDENTIALS_SHIM = `export { fromEnv as defaultProvider } from "@aws-sdk/credential-provider-env";`;

/** What the SDK's protocols import on first use of an operation that streams events. */
const EVENT_STREAMS = "@smithy/core/event-streams";

/** Thrown by the stand-in for the event-stream code, should an operation ever reach it. */
const EVENT_STREAMS_LEFT_OUT =
  "@smithy/core/event-streams is left out of the function bundle (pipeline/infra/bundle-plugins.ts, " +
  "eventStreamsLeftOut): bundle it again before calling an operation that streams events";

/** The stand-in's exports are the two names the SDK's protocols read from the real module. */
const EVENT_STREAMS_STAND_IN = [
  `function leftOut() { throw new Error(${JSON.stringify(EVENT_STREAMS_LEFT_OUT)}); }`,
  "export { leftOut as EventStreamSerde, leftOut as eventStreamSerdeProvider };",
].join("\n");

/** Where the SDK reads its shared config files (`~/.aws/config`, `~/.aws/credentials`), on the first call. */
const SHARED_INI_FILE_LOADER = /[\\/]@smithy[\\/]core[\\/].*[\\/]shared-ini-file-loader[\\/]/;

/**
 * `readFile` of `node:fs/promises` over `node:fs`, which Node loads before any module: the
 * promises module loads nine more of Node's own (file handles, watchers, readline) on require.
 */
const FS_READ_FILE = [
  `import { readFile as readFileCallback } from "node:fs";`,
  "export function readFile(path, options) {",
  "  return new Promise((resolve, reject) =>",
  "    readFileCallback(path, options, (error, data) => (error ? reject(error) : resolve(data))),",
  "  );",
  "}",
].join("\n");

/**
 * The variable the bundle's first statement binds to the packages module's exports (see
 * `bundledPackages`); the serialized text must not use the name.
 */
const PACKAGES_VARIABLE = "__bundledPackages";

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

/** True when `specifier` is a package itself, by name or by the file its name loads. */
function isPackageEntry(specifier: string): boolean {
  if (specifier.startsWith(".") || path.isAbsolute(specifier) || isBuiltin(specifier)) return false;
  const name = packageName(specifier);
  return name === specifier || isPackageMainFile(specifier, name);
}

/** `require("@aws-sdk/client-sns/dist-cjs/index.js")`, as the serializer writes every require. */
const REQUIRE_CALL = /\brequire\("([^"]+)"\)/g;

/**
 * The packages the serialized text requires (by name or by the file the name loads), in the order
 * it first requires them; Node built-ins and subpath files (`fp-ts/lib/Either`) are left out.
 *
 * @example
 * packageSpecifiers('const a = require("io-ts/lib/index.js"); const b = require("node:os");'); // ["io-ts/lib/index.js"]
 */
function packageSpecifiers(serialized: string): string[] {
  const specifiers = [...serialized.matchAll(REQUIRE_CALL)].map((m) => m[1] as string);
  return [...new Set(specifiers)].filter(isPackageEntry);
}

/** `const client_sns_1 = require("@aws-sdk/client-sns/dist-cjs/index.js");`, as the serializer writes a module-scope import. */
const REQUIRE_BINDING = /^const ([A-Za-z_$][\w$]*) = require\("([^"]+)"\);$/gm;

/**
 * Before a binding's name: not part of a longer name and not a property (`x.t`); a spread
 * (`...t`) is a use of the binding.
 */
const NOT_A_PROPERTY = "(?<![\\w$])(?<![^.]\\.)";

/**
 * The exports the serialized text reads from each module it requires, by specifier: every use of
 * the binding is `binding.name`. Absent where the binding is used any other way (passed along,
 * indexed), which needs the whole module object.
 *
 * @example
 * usedExports('const t = require("io-ts");\nt.string.is(x);').get("io-ts"); // ["string"]
 */
function usedExports(serialized: string): Map<string, readonly string[]> {
  const names = new Map<string, Set<string> | undefined>();
  for (const [, binding = "", specifier = ""] of serialized.matchAll(REQUIRE_BINDING)) {
    const escaped = binding.replace(/\$/g, "\\$");
    const uses = serialized.match(new RegExp(`${NOT_A_PROPERTY}${escaped}(?![\\w$])`, "g"))?.length ?? 0;
    const members = [
      ...serialized.matchAll(new RegExp(`${NOT_A_PROPERTY}${escaped}\\.([A-Za-z_$][\\w$]*)`, "g")),
    ];
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
 * The ESM module the packages build starts from: export `p<i>` is the module object of the i-th
 * of `specifiers`, which `packageEntries` resolves.
 *
 * @example
 * packagesModule(["io-ts/lib/index.js"]); // 'export * as p0 from "io-ts/lib/index.js";'
 */
function packagesModule(specifiers: readonly string[]): string {
  return specifiers.map((specifier, i) => `export * as p${i} from ${JSON.stringify(specifier)};`).join("\n");
}

/**
 * The serializer records the CommonJS file each package resolved to (`@aws-sdk/client-sns/dist-cjs/index.js`);
 * this resolves such a specifier, imported by `importer`, as an import of the package itself, so
 * esbuild picks the ESM entry (`module` field or `import` condition), and where the text reads
 * only named exports, as a module of just those exports, so the rest of the package is left out.
 */
function packageEntries(importer: string, used: ReadonlyMap<string, readonly string[]>): esbuild.Plugin {
  return {
    name: "package-entries",
    setup(build) {
      build.onResolve({ filter: /^[^./]/ }, async (args) => {
        if (args.importer !== importer || args.pluginData === "package-entry") return undefined;
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
 * Resolves each of `specifiers` required by `importer` (the serialized text) as a small CommonJS
 * module handing on export `p<i>` of the packages module, which `withPackages` puts in front of
 * the bundle. The packages are thereby imported ESM-to-ESM from an ESM entry: esbuild wraps an ES
 * module that is `require`d, with everything it imports, in a lazy initializer it cannot tree-shake.
 */
function bundledPackages(importer: string, specifiers: readonly string[]): esbuild.Plugin {
  return {
    name: "bundled-packages",
    setup(build) {
      build.onResolve({ filter: /^[^./]/ }, (args) =>
        args.importer === importer && specifiers.includes(args.path)
          ? { path: args.path, namespace: "bundled-package" }
          : undefined,
      );
      build.onLoad({ filter: /.*/, namespace: "bundled-package" }, (args) => ({
        contents: `module.exports = ${PACKAGES_VARIABLE}.p${specifiers.indexOf(args.path)};`,
        loader: "js",
      }));
    },
  };
}

/**
 * The bundle: `packagesCode` (esbuild's CommonJS output of an ES module, which only assigns
 * `module.exports`) run by the first statement, inside a parenthesized function that V8 compiles
 * as it compiles the file, then `handlerCode`, whose package requires read its exports
 * (`bundledPackages`). As a module esbuild bundled into `handlerCode`, the packages would sit in
 * a function called later, which V8 parses once to skip it and again to run it.
 *
 * @example
 * withPackages("module.exports = { p0: {} };", handlerCode, serialized); // "var __bundledPackages=(function(module){..."
 * @throws Error when the serialized text uses the packages variable's name itself.
 */
function withPackages(packagesCode: string, handlerCode: string, serialized: string): string {
  if (new RegExp(`(?<![\\w$])${PACKAGES_VARIABLE}(?![\\w$])`).test(serialized))
    throw new Error(
      `The serialized handler uses the name ${PACKAGES_VARIABLE}, which its bundle binds to the packages it requires: rename that variable in the runtime code`,
    );
  return `var ${PACKAGES_VARIABLE}=(function(module){${packagesCode}\nreturn module.exports})({exports:{}});\n${handlerCode}`;
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

/**
 * Replaces what the SDK's protocols `import()` on the first operation that streams events with a
 * module that throws, naming this plugin. No operation of the clients the functions use (DynamoDB,
 * SQS, SNS) streams events (test/infra/handler-bundle.test.ts checks every operation of every
 * `@aws-sdk/client-*` dependency). Bundled, the import would wrap the event-stream code and all it
 * imports in lazy initializers that esbuild cannot tree-shake. A static import is left alone.
 */
function eventStreamsLeftOut(): esbuild.Plugin {
  return {
    name: "event-streams-left-out",
    setup(build) {
      build.onResolve({ filter: /^@smithy\/core\/event-streams$/ }, (args) =>
        args.kind === "dynamic-import"
          ? { path: EVENT_STREAMS, namespace: "event-streams-left-out" }
          : undefined,
      );
      build.onLoad({ filter: /.*/, namespace: "event-streams-left-out" }, () => ({
        contents: EVENT_STREAMS_STAND_IN,
        loader: "js",
      }));
    },
  };
}

/**
 * Gives the SDK's shared config file reader `readFile` over `node:fs` instead of `node:fs/promises`
 * (same contents, same errors: in Lambda both files are absent and the read fails with ENOENT).
 * Any other import from `node:fs/promises` there fails the build, as the module exports nothing else.
 */
function fsReadFileFromCallbacks(): esbuild.Plugin {
  return {
    name: "fs-read-file-from-callbacks",
    setup(build) {
      build.onResolve({ filter: /^(node:)?fs\/promises$/ }, (args) =>
        SHARED_INI_FILE_LOADER.test(args.importer)
          ? { path: "readFile", namespace: "fs-read-file" }
          : undefined,
      );
      build.onLoad({ filter: /.*/, namespace: "fs-read-file" }, () => ({
        contents: FS_READ_FILE,
        loader: "js",
      }));
    },
  };
}

export {
  bundledPackages,
  EVENT_STREAMS_LEFT_OUT,
  environmentCredentials,
  eventStreamsLeftOut,
  fsReadFileFromCallbacks,
  PROJECT_ROOT,
  packageEntries,
  packageSpecifiers,
  packagesModule,
  usedExports,
  withPackages,
};
