/**
 * Figure 1, cold init: wall time of a fresh Node process that requires a serialized artifact
 * (which runs its factory: SDK clients, codec, logger), minus the wall time of a fresh process
 * running an empty script. Processes run round-robin (empty, then every artifact, repeated), so
 * machine noise spreads evenly; one discarded warm-up round fills the file-system cache first.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { BenchArtifact } from "./artifacts";
import { type ArtifactName, VARIANTS } from "./functions";
import { type Summary, summarize } from "./stats";

/** A child that takes longer than this is killed and the run fails. */
const CHILD_TIMEOUT_MS = 30_000;

/** Requires the artifact given as argument and prints the in-process require time in ms. */
const PROBE_SOURCE = `const t0 = process.hrtime.bigint();
const mod = require(process.argv[2]);
const t1 = process.hrtime.bigint();
if (typeof mod.handler !== "function") throw new Error("artifact exports no handler");
process.stdout.write(String(Number(t1 - t0) / 1e6));
`;

interface ColdInitRow {
  readonly name: ArtifactName;
  /** Wall time minus the empty script's median, ms. */
  readonly v3: Summary;
  readonly v2: Summary;
  /** In-process `require` time (medians), ms: the part of init Node's own startup does not blur. */
  readonly v3RequireMs: number;
  readonly v2RequireMs: number;
  /** v2 median / v3 median. */
  readonly ratio: number;
}

interface ColdInitResult {
  readonly processes: number;
  /** Wall time of a fresh process running an empty script, ms. */
  readonly empty: Summary;
  readonly rows: ColdInitRow[];
}

/** Runs `node script [arg]` once; resolves its wall time and stdout. */
function runNode(script: string, arg?: string): { wallMs: number; stdout: string } {
  const started = process.hrtime.bigint();
  // --no-warnings for both: the SDKs' end-of-support notices are not part of a Lambda cold start.
  const args = arg === undefined ? ["--no-warnings", script] : ["--no-warnings", script, arg];
  const child = spawnSync(process.execPath, args, {
    env: process.env,
    encoding: "utf8",
    timeout: CHILD_TIMEOUT_MS,
    killSignal: "SIGKILL",
  });
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  if (child.error !== undefined || child.status !== 0) {
    const why =
      child.error?.message ??
      `exit code ${child.status}: ${child.stderr.trim().split("\n").slice(-3).join(" | ")}`;
    throw new Error(`Cold-init child for ${arg ?? "the empty script"} failed (${why})`);
  }
  return { wallMs, stdout: child.stdout };
}

/**
 * Measures cold init of every artifact over `processes` fresh processes each.
 *
 * @example
 * const result = measureColdInit(artifacts, 15);
 * result.rows[0].v3.median; // ms above an empty Node process
 */
function measureColdInit(artifacts: readonly BenchArtifact[], processes: number): ColdInitResult {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "fraud-bench-cold-"));
  try {
    const probe = path.join(dir, "probe.js");
    const empty = path.join(dir, "empty.js");
    fs.writeFileSync(probe, PROBE_SOURCE);
    fs.writeFileSync(empty, "");
    const emptyWall: number[] = [];
    const wall = new Map<BenchArtifact, number[]>(artifacts.map((a) => [a, []]));
    const required = new Map<BenchArtifact, number[]>(artifacts.map((a) => [a, []]));
    for (let round = -1; round < processes; round++) {
      const emptyRun = runNode(empty);
      if (round >= 0) emptyWall.push(emptyRun.wallMs);
      for (const artifact of artifacts) {
        const run = runNode(probe, artifact.file);
        if (round < 0) continue;
        wall.get(artifact)?.push(run.wallMs);
        required.get(artifact)?.push(Number(run.stdout));
      }
    }
    const emptySummary = summarize(emptyWall);
    const of = (name: ArtifactName, variant: string) => {
      const artifact = artifacts.find((a) => a.fn.name === name && a.fn.variant === variant);
      if (artifact === undefined) throw new Error(`No artifact for ${name} (${variant})`);
      return {
        init: summarize((wall.get(artifact) ?? []).map((ms) => ms - emptySummary.median)),
        requireMs: summarize(required.get(artifact) ?? []).median,
      };
    };
    const names = [...new Set(artifacts.map((a) => a.fn.name))];
    const rows = names.map((name) => {
      const ours = of(name, VARIANTS.ours);
      const baseline = of(name, VARIANTS.baseline);
      return {
        name,
        v3: ours.init,
        v2: baseline.init,
        v3RequireMs: ours.requireMs,
        v2RequireMs: baseline.requireMs,
        ratio: baseline.init.median / ours.init.median,
      };
    });
    return { processes, empty: emptySummary, rows };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export type { ColdInitResult, ColdInitRow };
export { measureColdInit };
