/**
 * Figure 2, archive: what CallbackFunction would upload per function (the serialized
 * `__index.js` plus the package folders computeCodePaths lists, less the function's
 * `extraExcludePackages` from pipeline/infra/archives.ts), as files, bytes and zipped bytes. The zipped size is exact for a deflate (level 6) zip: per file the smaller of deflated
 * and stored, plus the local header, central directory entry and end record.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import * as zlib from "node:zlib";
import * as pulumi from "@pulumi/pulumi";
import { UNUSED_RUNTIME_PACKAGES } from "../pipeline/infra/archives";
import type { FunctionKey } from "../pipeline/infra/naming";
import { archivePackages } from "../test/helpers/archive";
import type { BenchArtifact } from "./artifacts";
import { type ArtifactName, VARIANTS } from "./functions";

const PROJECT_ROOT = path.resolve(__dirname, "..");

/**
 * The v3 clients the baseline replaces with `aws-sdk`. `@aws-sdk/util-dynamodb` stays: the detect
 * core unmarshalls stream images with it whichever SDK the adapters use.
 */
const V3_CLIENTS = ["@aws-sdk/client-dynamodb", "@aws-sdk/client-sns", "@aws-sdk/client-sqs"];

/** The stack's key of each function (pipeline/infra/naming.ts). */
const FUNCTION_KEYS: Record<ArtifactName, FunctionKey> = {
  "process-transaction": "process",
  "detect-fraud": "detect",
  "notify-team": "notify",
  "record-outcome": "record",
};

/** Zip format overhead: local file header (30 + name), central directory entry (46 + name), end record (22). */
const ZIP_LOCAL_HEADER = 30;
const ZIP_CENTRAL_ENTRY = 46;
const ZIP_END_RECORD = 22;

interface Footprint {
  readonly files: number;
  readonly bytes: number;
  /** Zip size without the end record. */
  readonly zipped: number;
}

interface ArchiveSize extends Footprint {
  readonly packages: number;
  /** The three largest packages, `name:MB`, to show where the bytes are. */
  readonly largest: string[];
}

interface ArchiveRow {
  readonly name: ArtifactName;
  readonly v3: ArchiveSize;
  readonly v2: ArchiveSize;
}

function fileFootprint(name: string, content: Buffer): Footprint {
  const deflated = zlib.deflateRawSync(content).length;
  const nameBytes = Buffer.byteLength(name);
  const overhead = ZIP_LOCAL_HEADER + ZIP_CENTRAL_ENTRY + 2 * nameBytes;
  return { files: 1, bytes: content.length, zipped: Math.min(deflated, content.length) + overhead };
}

function add(a: Footprint, b: Footprint): Footprint {
  return { files: a.files + b.files, bytes: a.bytes + b.bytes, zipped: a.zipped + b.zipped };
}

const EMPTY: Footprint = { files: 0, bytes: 0, zipped: 0 };

/** Every regular file under `dir` (symlinks are skipped, as the archive helper does). */
function folderFootprint(dir: string): Footprint {
  let total = EMPTY;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) total = add(total, folderFootprint(full));
    else if (entry.isFile())
      total = add(total, fileFootprint(path.relative(PROJECT_ROOT, full), fs.readFileSync(full)));
  }
  return total;
}

/**
 * The baseline's code paths: our dependencies without the v3 clients and without what the
 * function excludes anyway, plus all of `aws-sdk` v2.
 */
async function baselineCodePaths(excluded: readonly string[]): Promise<string[]> {
  const previousCwd = process.cwd();
  process.chdir(PROJECT_ROOT);
  try {
    const codePaths = await pulumi.runtime.computeCodePaths({
      extraIncludePackages: ["aws-sdk"],
      extraExcludePackages: [...V3_CLIENTS, ...excluded],
    });
    return [...codePaths.keys()];
  } finally {
    process.chdir(previousCwd);
  }
}

/**
 * Measures the archive of every artifact. Package folders shared by several archives are read
 * and compressed once.
 *
 * @example
 * const rows = await measureArchives(artifacts);
 * rows[0].v3.zipped; // bytes
 */
async function measureArchives(artifacts: readonly BenchArtifact[]): Promise<ArchiveRow[]> {
  const cache = new Map<string, Footprint>();
  const packageFootprint = (codePath: string) => {
    const known = cache.get(codePath);
    if (known !== undefined) return known;
    const measured = folderFootprint(path.resolve(PROJECT_ROOT, codePath));
    cache.set(codePath, measured);
    return measured;
  };
  const codePathsOf = async (artifact: BenchArtifact): Promise<string[]> => {
    const excluded = UNUSED_RUNTIME_PACKAGES[FUNCTION_KEYS[artifact.fn.name]];
    if (artifact.fn.variant === VARIANTS.baseline) return baselineCodePaths(excluded);
    return (await archivePackages({ extraExcludePackages: excluded })).map((p) => p.path);
  };
  const sizeOf = async (artifact: BenchArtifact): Promise<ArchiveSize> => {
    const codePaths = await codePathsOf(artifact);
    let total = fileFootprint("__index.js", Buffer.from(artifact.text));
    for (const codePath of codePaths) total = add(total, packageFootprint(codePath));
    const largest = [...codePaths]
      .sort((a, b) => packageFootprint(b).bytes - packageFootprint(a).bytes)
      .slice(0, 3)
      .map(
        (p) =>
          `${p.slice(p.lastIndexOf("node_modules/") + 13)}:${(packageFootprint(p).bytes / 1e6).toFixed(1)}MB`,
      );
    return { ...total, zipped: total.zipped + ZIP_END_RECORD, packages: codePaths.length, largest };
  };
  const find = (name: ArtifactName, variant: string) => {
    const artifact = artifacts.find((a) => a.fn.name === name && a.fn.variant === variant);
    if (artifact === undefined) throw new Error(`No artifact for ${name} (${variant})`);
    return artifact;
  };
  const rows: ArchiveRow[] = [];
  for (const name of new Set(artifacts.map((a) => a.fn.name))) {
    rows.push({
      name,
      v3: await sizeOf(find(name, VARIANTS.ours)),
      v2: await sizeOf(find(name, VARIANTS.baseline)),
    });
  }
  return rows;
}

export type { ArchiveRow, ArchiveSize };
export { measureArchives };
