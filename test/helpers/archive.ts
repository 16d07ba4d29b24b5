/**
 * What a function's one-file archive (pipeline/infra/handler-bundle.ts) leaves outside itself,
 * and how it starts where nothing else is installed: in a fresh Node 24 process, from a
 * directory with no node_modules anywhere above it.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

/** The Node binary the functions run on (package.json pins it as the `node` devDependency). */
const NODE_24 = path.resolve(__dirname, "..", "..", "node_modules", "node", "bin", "node");

/**
 * The module specifiers a bundle still `require`s at run time (string literals only), sorted.
 *
 * @example
 * externalRequires('require("node:fs");require("node:os")'); // ["node:fs", "node:os"]
 */
function externalRequires(code: string): string[] {
  const specifiers = [...code.matchAll(/\brequire\(\s*["'`]([^"'`]+)["'`]\s*\)/g)].map((m) => m[1] as string);
  return [...new Set(specifiers)].sort();
}

/** What a fresh process saw after requiring a bundle. */
interface ColdLoad {
  /** `typeof` the module's `handler` export. */
  readonly handlerType: string;
  /** Every file the process's CommonJS loader loaded, relative to the bundle's directory. */
  readonly loadedFiles: readonly string[];
}

/** Runs in the child: requires the bundle, reports its handler's type and every module file loaded. */
const COLD_LOAD_SCRIPT = `
const path = require("node:path");
const loaded = require(path.resolve("index.js"));
process.stdout.write(JSON.stringify({
  handlerType: typeof loaded.handler,
  loadedFiles: Object.keys(require.cache).map((file) => path.relative(process.cwd(), file)),
}));
`;

/**
 * Writes `code` as `index.js` into a fresh temporary directory (no node_modules in it or above
 * it) and requires it in a new Node 24 process with only `env` (and PATH) set, as a cold start
 * does: the module's factory runs. Throws with the child's stderr when loading fails.
 *
 * @example
 * const { handlerType } = coldLoad(code, FACTORY_ENV); // "function"
 */
function coldLoad(code: string, env: Readonly<Record<string, string>>): ColdLoad {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "fraud-bundle-"));
  try {
    fs.writeFileSync(path.join(dir, "index.js"), code);
    const stdout = execFileSync(NODE_24, ["-e", COLD_LOAD_SCRIPT], {
      cwd: dir,
      env: { PATH: process.env.PATH ?? "", ...env },
      encoding: "utf8",
    });
    return JSON.parse(stdout) as ColdLoad;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * True when a `node_modules` directory exists in `dir` or any directory above it (where a
 * `require` from a bundle in `dir` could find packages).
 *
 * @example
 * nodeModulesAbove(os.tmpdir()); // false on a clean machine
 */
function nodeModulesAbove(dir: string): boolean {
  for (let current = path.resolve(dir); ; current = path.dirname(current)) {
    if (fs.existsSync(path.join(current, "node_modules"))) return true;
    if (path.dirname(current) === current) return false;
  }
}

export type { ColdLoad };
export { coldLoad, externalRequires, nodeModulesAbove };
