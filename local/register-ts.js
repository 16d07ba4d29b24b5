/**
 * `node -r ./local/register-ts.js script.ts`: runs TypeScript by transpiling each file with
 * esbuild as Node requires it (types stripped, no type check: `npm run typecheck` does that).
 * Starting a CLI this way costs about a fifth of what ts-node's transpile-only mode costs, which
 * loads and runs the TypeScript compiler. Source maps are inline, so stack traces name .ts lines.
 *
 * Transpiled files are kept in node_modules/.cache/fraud-pipeline/ts (or FRAUD_PIPELINE_TS_CACHE),
 * named by a hash of what decides the output (esbuild's version, the options, the path and the
 * source), so a changed file is transpiled again and an unchanged one is read back: a warm start
 * loads no esbuild at all. A cache that cannot be written (read-only node_modules) is skipped.
 */
const crypto = require("node:crypto");
const fs = require("node:fs");
const path = require("node:path");

const CACHE_DIR =
  process.env.FRAUD_PIPELINE_TS_CACHE ||
  path.join(__dirname, "..", "node_modules", ".cache", "fraud-pipeline", "ts");
const OPTIONS = { loader: "ts", format: "cjs", target: "node20", sourcemap: "inline" };
const ESBUILD_VERSION = require("esbuild/package.json").version;

process.setSourceMapsEnabled(true);

function transpile(source, filename) {
  // Loaded on the first miss only: starting esbuild's service is most of a cold start's cost.
  return require("esbuild").transformSync(source, { ...OPTIONS, sourcefile: filename }).code;
}

function cached(source, filename) {
  const key = crypto
    .createHash("sha256")
    .update(JSON.stringify([ESBUILD_VERSION, OPTIONS, filename, source]))
    .digest("hex");
  const file = path.join(CACHE_DIR, `${key}.js`);
  try {
    return fs.readFileSync(file, "utf8");
  } catch {
    const code = transpile(source, filename);
    // Written whole under a name no other writer uses, then renamed: a concurrent start never
    // reads half a file.
    const partial = `${file}.${crypto.randomBytes(6).toString("hex")}.tmp`;
    try {
      fs.mkdirSync(CACHE_DIR, { recursive: true });
      fs.writeFileSync(partial, code);
      fs.renameSync(partial, file);
    } catch {
      // Not writable (or full): transpile every start, as without a cache, and leave no partial file.
      try {
        fs.unlinkSync(partial);
      } catch {
        // It was never written.
      }
    }
    return code;
  }
}

require.extensions[".ts"] = (module, filename) => {
  module._compile(cached(fs.readFileSync(filename, "utf8"), filename), filename);
};
