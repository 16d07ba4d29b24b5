/**
 * Figure 2, archive: what each function uploads, its one bundled `index.js`
 * (pipeline/infra/handler-bundle.ts), beside the v2 baseline packaged as `CallbackFunction`
 * packages a closure (the serialized `__index.js` plus the package folders computeCodePaths lists,
 * less the runtime dependencies the handler never requires), as files, bytes and zipped bytes.
 * The zipped size is exact for a deflate (level 6) zip, as Pulumi writes one: per file the
 * smaller of deflated and stored, plus the local header, central directory entry and end record.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import * as zlib from "node:zlib";
import * as pulumi from "@pulumi/pulumi";
import { bundleFactory, clearBundleCache } from "../pipeline/infra/handler-bundle";
import type { BenchArtifact } from "./artifacts";
import { type ArtifactName, VARIANTS } from "./functions";

const PROJECT_ROOT = path.resolve(__dirname, "..");

/**
 * The v3 clients the baseline replaces with `aws-sdk`, left out even where a package names one as
 * a peer (`@aws-sdk/util-dynamodb` does; the detect core unmarshalls stream images with it
 * whichever SDK the adapters use).
 */
const V3_CLIENTS = ["@aws-sdk/client-dynamodb", "@aws-sdk/client-sns", "@aws-sdk/client-sqs"];

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

/** The bundled archive of one of our functions. */
interface BundleSize extends Footprint {
  /** Serializing and bundling the factory from a cold cache, as a `pulumi up` does once per function. */
  readonly bundleMs: number;
}

/** The baseline's CallbackFunction-style archive. */
interface PackagedSize extends Footprint {
  readonly packages: number;
  /** The three largest packages, `name:MB`, to show where the bytes are. */
  readonly largest: string[];
}

interface ArchiveRow {
  readonly name: ArtifactName;
  readonly v3: BundleSize;
  readonly v2: PackagedSize;
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

/** The runtime dependencies of package.json, which CallbackFunction would ship. */
function runtimeDependencies(): string[] {
  const manifest = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, "package.json"), "utf8"));
  return Object.keys(manifest.dependencies ?? {});
}

/** `@aws-sdk/client-sns/dist-cjs/index.js` -> `@aws-sdk/client-sns`. */
function packageOf(specifier: string): string {
  const parts = specifier.split("/");
  return (specifier.startsWith("@") ? parts.slice(0, 2) : parts.slice(0, 1)).join("/");
}

/** The packages a serialized handler requires, plus their required peer dependencies (io-ts needs fp-ts). */
function requiredPackages(text: string): Set<string> {
  const required = new Set([...text.matchAll(/require\("([^"]+)"\)/g)].map((m) => packageOf(m[1] as string)));
  for (const name of [...required]) {
    const manifestPath = path.join(PROJECT_ROOT, "node_modules", name, "package.json");
    if (!fs.existsSync(manifestPath)) continue;
    const { peerDependencies = {}, peerDependenciesMeta = {} } = JSON.parse(
      fs.readFileSync(manifestPath, "utf8"),
    );
    for (const peer of Object.keys(peerDependencies)) {
      if (!peerDependenciesMeta[peer]?.optional) required.add(peer);
    }
  }
  return required;
}

/**
 * The baseline's code paths: all of `aws-sdk` v2 plus the runtime dependencies its serialized
 * handler requires, never the v3 clients it replaces.
 */
async function baselineCodePaths(text: string): Promise<string[]> {
  const required = requiredPackages(text);
  const unused = runtimeDependencies().filter((name) => !required.has(name));
  const previousCwd = process.cwd();
  process.chdir(PROJECT_ROOT);
  try {
    const codePaths = await pulumi.runtime.computeCodePaths({
      extraIncludePackages: ["aws-sdk"],
      extraExcludePackages: [...new Set([...V3_CLIENTS, ...unused])],
    });
    return [...codePaths.keys()];
  } finally {
    process.chdir(previousCwd);
  }
}

/** Our function's archive: its bundle as `index.js`, bundled from a cold cache and timed. */
async function bundleSize(artifact: BenchArtifact): Promise<BundleSize> {
  clearBundleCache();
  const started = performance.now();
  const { code } = await bundleFactory(artifact.fn.factory);
  const bundleMs = performance.now() - started;
  const footprint = fileFootprint("index.js", Buffer.from(code));
  return { ...footprint, zipped: footprint.zipped + ZIP_END_RECORD, bundleMs };
}

/**
 * Measures the archive of every artifact: ours bundled, the baseline packaged. Package folders
 * shared by several baseline archives are read and compressed once.
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
  const packagedSize = async (artifact: BenchArtifact): Promise<PackagedSize> => {
    const codePaths = await baselineCodePaths(artifact.text);
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
      v3: await bundleSize(find(name, VARIANTS.ours)),
      v2: await packagedSize(find(name, VARIANTS.baseline)),
    });
  }
  return rows;
}

export type { ArchiveRow, BundleSize, PackagedSize };
export { measureArchives };
