/**
 * Figure 1, cold init on the Node the functions run on (the pinned `node` devDependency, Node 24):
 * the wall time of a fresh process that requires a function's shipped code (which runs its
 * factory: SDK clients, codec, logger), and of one that also calls the handler once with a
 * real-shaped event against the loopback AWS stand-in, each minus the wall time of a fresh process
 * that loads nothing; and the same two figures in CPU time (user + system), which other work on
 * the machine barely moves, so they stay comparable when the wall times are not. Processes run
 * round-robin (empty, then every artifact's two probes,
 * repeated), so machine noise spreads evenly; one discarded warm-up round fills the file-system
 * cache first. Before each probe the stand-in is reset and prepared, so every process sees the
 * same tables.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { BenchArtifact } from "./artifacts";
import type { AwsLoopback } from "./aws-loopback";
import { checkFirstResult, firstInvocations } from "./first-invocation";
import { type ArtifactName, VARIANTS } from "./functions";
import { parseProbeOutput, runOnFunctionNode, writeProbe } from "./lambda-probe";
import { percentile } from "./stats";

/** A child that takes longer than this is killed and the run fails. */
const CHILD_TIMEOUT_MS = 30_000;

/** Median and spread of one figure's samples, ms. */
interface Spread {
  readonly median: number;
  readonly p10: number;
  readonly p90: number;
}

/** One figure of one function, ours and the baseline, and ours as a fraction of the baseline. */
interface ColdFigure {
  readonly v3: Spread;
  readonly v2: Spread;
  /** v3 median / v2 median: below 1 is faster than the baseline. */
  readonly ratio: number;
}

interface ColdInitRow {
  readonly name: ArtifactName;
  /** Require + factory: wall time minus the empty script's median. */
  readonly init: ColdFigure;
  /** Require + factory + one invocation against the stand-in: wall time minus the empty script's median. */
  readonly firstInvocation: ColdFigure;
  /** The same two figures in CPU time (user + system) above the empty process's. */
  readonly cpu: { readonly init: ColdFigure; readonly firstInvocation: ColdFigure };
  /** In-process medians, ms: require (the factory included) and the first invocation. */
  readonly inProcess: {
    readonly v3RequireMs: number;
    readonly v2RequireMs: number;
    readonly v3InvokeMs: number;
    readonly v2InvokeMs: number;
  };
}

interface ColdInitResult {
  /** The Node version of the children, e.g. v24.21.0. */
  readonly node: string;
  readonly processes: number;
  /** Wall time of a fresh process that loads nothing, ms. */
  readonly empty: Spread;
  /** Its CPU time, ms. */
  readonly emptyCpu: Spread;
  readonly rows: ColdInitRow[];
}

function spread(samples: readonly number[]): Spread {
  const sorted = Float64Array.from(samples).sort();
  return { median: percentile(sorted, 50), p10: percentile(sorted, 10), p90: percentile(sorted, 90) };
}

/** Runs `node ...args` on the functions' Node with this process's environment. */
function runNode(args: readonly string[]): Promise<{ wallMs: number; stdout: string }> {
  return runOnFunctionNode(args, { env: process.env, timeoutMs: CHILD_TIMEOUT_MS });
}

/** Samples of one artifact. */
interface Samples {
  readonly init: number[];
  readonly first: number[];
  readonly initCpu: number[];
  readonly firstCpu: number[];
  readonly requireMs: number[];
  readonly invokeMs: number[];
}

/**
 * Measures cold init and init + first invocation of every artifact over `processes` fresh
 * processes each, on the functions' Node, with every child's SDK calls sent to `aws` (the caller
 * puts its endpoint, dummy credentials and a queue URL on it into `process.env`).
 *
 * @example
 * const result = await measureColdInit(artifacts, 15, aws);
 * result.rows[0].init.ratio; // v3 / v2
 */
async function measureColdInit(
  artifacts: readonly BenchArtifact[],
  processes: number,
  aws: AwsLoopback,
): Promise<ColdInitResult> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "fraud-bench-cold-"));
  try {
    const probe = writeProbe(dir);
    const firsts = firstInvocations();
    const eventFiles = new Map<ArtifactName, string>();
    for (const [name, first] of Object.entries(firsts) as [ArtifactName, (typeof firsts)[ArtifactName]][]) {
      const file = path.join(dir, `${name}.events.json`);
      fs.writeFileSync(file, JSON.stringify(first.events));
      eventFiles.set(name, file);
    }
    const node = (await runNode(["-p", "process.version"])).stdout.trim();
    const emptyWall: number[] = [];
    const emptyCpu: number[] = [];
    const samples = new Map<BenchArtifact, Samples>(
      artifacts.map((a) => [
        a,
        { init: [], first: [], initCpu: [], firstCpu: [], requireMs: [], invokeMs: [] },
      ]),
    );
    for (let round = -1; round < processes; round++) {
      const emptyRun = await runNode([probe]);
      if (round >= 0) {
        emptyWall.push(emptyRun.wallMs);
        emptyCpu.push(parseProbeOutput(emptyRun.stdout).cpuMs);
      }
      for (const artifact of artifacts) {
        const name = artifact.fn.name;
        const functionName = `lambda-${name}-bench`;
        const init = await runNode([probe, artifact.file]);
        aws.reset();
        firsts[name].prepare(aws);
        const first = await runNode([probe, artifact.file, eventFiles.get(name) ?? "", functionName]);
        const output = parseProbeOutput(first.stdout);
        checkFirstResult(`${name} (${artifact.fn.variant})`, firsts[name], output.results[0]);
        if (round < 0) continue;
        const s = samples.get(artifact);
        const initOutput = parseProbeOutput(init.stdout);
        s?.init.push(init.wallMs);
        s?.first.push(first.wallMs);
        s?.initCpu.push(initOutput.cpuMs);
        s?.firstCpu.push(output.cpuMs);
        s?.requireMs.push(initOutput.requireMs);
        s?.invokeMs.push(output.invokeMs[0] ?? Number.NaN);
      }
    }
    const of = (name: ArtifactName, variant: string): Samples => {
      const artifact = artifacts.find((a) => a.fn.name === name && a.fn.variant === variant);
      const found = artifact === undefined ? undefined : samples.get(artifact);
      if (found === undefined) throw new Error(`No artifact for ${name} (${variant})`);
      return found;
    };
    const wallFloor = spread(emptyWall).median;
    const cpuFloor = spread(emptyCpu).median;
    const figure = (ours: number[], baseline: number[], floor: number): ColdFigure => {
      const v3 = spread(ours.map((ms) => ms - floor));
      const v2 = spread(baseline.map((ms) => ms - floor));
      return { v3, v2, ratio: v3.median / v2.median };
    };
    const names = [...new Set(artifacts.map((a) => a.fn.name))];
    const rows = names.map((name): ColdInitRow => {
      const ours = of(name, VARIANTS.ours);
      const baseline = of(name, VARIANTS.baseline);
      return {
        name,
        init: figure(ours.init, baseline.init, wallFloor),
        firstInvocation: figure(ours.first, baseline.first, wallFloor),
        cpu: {
          init: figure(ours.initCpu, baseline.initCpu, cpuFloor),
          firstInvocation: figure(ours.firstCpu, baseline.firstCpu, cpuFloor),
        },
        inProcess: {
          v3RequireMs: spread(ours.requireMs).median,
          v2RequireMs: spread(baseline.requireMs).median,
          v3InvokeMs: spread(ours.invokeMs).median,
          v2InvokeMs: spread(baseline.invokeMs).median,
        },
      };
    });
    return { node, processes, empty: spread(emptyWall), emptyCpu: spread(emptyCpu), rows };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export type { ColdFigure, ColdInitResult, ColdInitRow, Spread };
export { measureColdInit };
