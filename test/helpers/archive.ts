/**
 * What `aws.lambda.CallbackFunction` would upload next to the serialized handler: the packages
 * of package.json `dependencies` and their dependencies, as Pulumi's `computeCodePaths` lists
 * them. Used by the archive test and by benchmarks that report archive size.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";

/** The project root: computeCodePaths reads package.json and node_modules from the working directory. */
const PROJECT_ROOT = path.resolve(__dirname, "..", "..");

/** CallbackFunction always excludes the v2 SDK (it assumes the runtime provides it). */
const ALWAYS_EXCLUDED = ["aws-sdk"];

interface ArchivePackage {
  /** Package name, e.g. `@aws-sdk/client-sns`. */
  readonly name: string;
  /** Path relative to the project root, e.g. `node_modules/@aws-sdk/client-sns`. */
  readonly path: string;
  /** Total size of the package's files (symlinks not followed). */
  readonly bytes: number;
}

function directoryBytes(dir: string): number {
  let total = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) total += directoryBytes(full);
    else if (entry.isFile()) total += fs.statSync(full).size;
  }
  return total;
}

/** `node_modules/a/node_modules/@b/c` -> `@b/c`. */
function packageName(codePath: string): string {
  const normalized = codePath.split(path.sep).join("/");
  return normalized.slice(normalized.lastIndexOf("node_modules/") + "node_modules/".length);
}

/**
 * The packages a CallbackFunction archive would contain, with their sizes, largest first.
 * `extraExcludePackages` mirrors the function's `codePathOptions.extraExcludePackages`.
 *
 * @example
 * const packages = await archivePackages();
 * const totalBytes = packages.reduce((sum, p) => sum + p.bytes, 0);
 */
async function archivePackages(
  options: { extraExcludePackages?: readonly string[] } = {},
): Promise<ArchivePackage[]> {
  const previousCwd = process.cwd();
  process.chdir(PROJECT_ROOT);
  try {
    const codePaths = await pulumi.runtime.computeCodePaths({
      extraExcludePackages: [...ALWAYS_EXCLUDED, ...(options.extraExcludePackages ?? [])],
    });
    return [...codePaths.keys()]
      .map((codePath) => ({
        name: packageName(codePath),
        path: codePath,
        bytes: directoryBytes(path.resolve(PROJECT_ROOT, codePath)),
      }))
      .sort((a, b) => b.bytes - a.bytes);
  } finally {
    process.chdir(previousCwd);
  }
}

export type { ArchivePackage };
export { archivePackages };
