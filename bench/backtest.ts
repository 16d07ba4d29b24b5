/**
 * Figure 5, backtest throughput and training: over one generated file of labelled transactions,
 * rows per second of `runBacktest` end to end (read JSON Lines, decode with the contract codec,
 * replay walk-forward through the detector with its feature vector, compute the metrics), once
 * with the label-free default score and once with a model trained on the same file, and of
 * `npm run backtest` as a fresh process (start-up included) with each of them. Training is
 * timed twice: the train module's `train` in this process (replay and fit apart), and
 * `npm run train` as a fresh process (local/train/main.ts), whose MODEL.json, read back with the
 * stack's validator, is the model the second backtest scores with.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { readRowsFromFile } from "../local/backtest/read-rows";
import { type BacktestResult, DEFAULT_LABEL_DELAY_DAYS, runBacktest } from "../local/backtest/run";
import { DEFAULT_SEED, DEFAULT_VALIDATION_DAYS, train } from "../local/train/train";
import { FEATURE_NAMES } from "../pipeline/runtime/detect/features/registry";
import { type FraudModel, parseFraudModel } from "../pipeline/runtime/detect/model/format";
import { runNode } from "./children";
import { writeTransactionsFile } from "./generate";
import { summarize } from "./stats";

/** The goal for the backtest on this machine. */
const BACKTEST_GOAL_ROWS_PER_SEC = 50_000;

/** Training options: `npm run train`'s defaults, so the CLI run trains the same model. */
const TRAIN_OPTIONS = {
  labelDelayDays: DEFAULT_LABEL_DELAY_DAYS,
  validationDays: DEFAULT_VALIDATION_DAYS,
  seed: DEFAULT_SEED,
} as const;

/** `npm run train` as a child is killed after this long. */
const TRAIN_CLI_DEADLINE_MS = 20 * 60_000;

/** `npm run backtest` as a child is killed after this long. */
const BACKTEST_CLI_DEADLINE_MS = 10 * 60_000;

/** `npm run backtest -- FILE --json` as a fresh process, with the default score or `--model`. */
interface CliBacktestRun {
  /**
   * From spawn to exit: Node's start, loading and transpiling the CLI, the backtest, the report,
   * ms; the median of the rounds.
   */
  readonly wallMs: number;
  /** Each round's wall time, ms, in order. */
  readonly roundsMs: readonly number[];
  readonly rowsPerSec: number;
  /** True when the CLI counted the same alerts as the in-process backtest with the same scorer, in every round. */
  readonly sameAlerts: boolean;
}

interface BacktestRun {
  readonly scorer: "default" | "model";
  readonly backtestMs: number;
  readonly rowsPerSec: number;
  readonly threshold: number;
  readonly alerts: number;
  /** Null when no row was flagged (precision), none is labelled fraud (recall), or no ranking exists. */
  readonly precision: number | null;
  readonly recall: number | null;
  readonly rocAuc: number | null;
  readonly averagePrecision: number | null;
}

interface TrainingFigure {
  /** Last days of the training rows held out to measure and choose the threshold. */
  readonly validationDays: number;
  /** `train` in this process: read, replay and both fits, ms. */
  readonly trainMs: number;
  readonly replayMs: number;
  readonly fitMs: number;
  /** File rows per second of `trainMs`. */
  readonly rowsPerSec: number;
  /** Rows trained on (labels known by the last row's time) and their frauds. */
  readonly trainingRows: number;
  readonly trainingFrauds: number;
  /** The kind `npm run train` shipped (the better on the held-out days), and each kind's fit time, ms. */
  readonly kind: string;
  readonly fitMsByKind: Readonly<Record<string, number>>;
  /** Newton iterations or trees of the shipped fit, when the model records them. */
  readonly iterations: number | null;
  readonly threshold: number;
  readonly validationRocAuc: number | null;
  /** `npm run train` as a fresh process (Node start with the esbuild hook, read, replay, fit, write), ms. */
  readonly cliMs: number;
  /** The CLI's summary, as it printed it. */
  readonly cliSummary: string;
  /** True when the CLI wrote the same MODEL.json text as `train` made here. */
  readonly cliSameModel: boolean;
}

interface BacktestFigure {
  readonly rows: number;
  readonly fraudRows: number;
  readonly fileBytes: number;
  readonly generateMs: number;
  /** The default score first, then the model. */
  readonly runs: BacktestRun[];
  /** Days after its transaction a label is known, in both backtests and the training replay. */
  readonly labelDelayDays: number;
  readonly training: TrainingFigure;
  /** `npm run backtest` as a fresh process (npm's own start left out), default score. */
  readonly cli: CliBacktestRun;
  /** The same with `--model` the MODEL.json `npm run train` wrote. */
  readonly cliWithModel: CliBacktestRun;
  readonly goalRowsPerSec: number;
}

async function timedBacktest(file: string, rows: number, model?: FraudModel): Promise<BacktestRun> {
  const start = performance.now();
  const result: BacktestResult = await runBacktest(readRowsFromFile(file), { model });
  const backtestMs = performance.now() - start;
  if (result.replayed !== rows) {
    throw new Error(
      `Backtest replayed ${result.replayed} of ${rows} generated rows (invalid: ${result.invalidRows.length})`,
    );
  }
  return {
    scorer: result.scorer,
    backtestMs,
    rowsPerSec: rows / (backtestMs / 1000),
    threshold: result.threshold,
    alerts: result.alerts,
    precision: result.precision ?? null,
    recall: result.recall ?? null,
    rocAuc: result.rocAuc ?? null,
    averagePrecision: result.averagePrecision ?? null,
  };
}

/** An npm script's command from package.json (`backtest`, `train`), without npm: node's arguments up to the script. */
function scriptCommand(script: "backtest" | "train"): string[] {
  const manifest = JSON.parse(fs.readFileSync(path.join(__dirname, "..", "package.json"), "utf8")) as {
    scripts: Record<string, string>;
  };
  const [command, ...args] = manifest.scripts[script].split(/\s+/);
  if (command !== "node")
    throw new Error(`npm run ${script} does not start with node: ${manifest.scripts[script]}`);
  return args;
}

/** One timed `npm run backtest` process: its wall time, and whether it counted the expected alerts. */
interface CliRound {
  readonly wallMs: number;
  readonly sameAlerts: boolean;
}

/**
 * Runs `npm run backtest -- FILE --json` (without npm), with `--model` when a model file is
 * given, in a fresh process; resolves with its wall time and whether it counted `alerts`.
 */
async function timedCli(file: string, alerts: number, modelFile?: string): Promise<CliRound> {
  const model = modelFile === undefined ? [] : ["--model", modelFile];
  const run = await runNode(
    [...scriptCommand("backtest"), file, ...model, "--json"],
    BACKTEST_CLI_DEADLINE_MS,
  );
  if (run.code !== 0) {
    throw new Error(
      `npm run backtest exited with ${run.code}: ${run.stderr.trim().split("\n").slice(-3).join(" | ")}`,
    );
  }
  const report = JSON.parse(run.stdout) as { alerts: number };
  return { wallMs: run.wallMs, sameAlerts: report.alerts === alerts };
}

/** A CLI's rounds as one figure: the median wall time. */
function cliFigure(rows: number, rounds: readonly CliRound[]): CliBacktestRun {
  const wallMs = summarize(rounds.map((round) => round.wallMs)).median;
  return {
    wallMs,
    roundsMs: rounds.map((round) => round.wallMs),
    rowsPerSec: rows / (wallMs / 1000),
    sameAlerts: rounds.every((round) => round.sameAlerts),
  };
}

/** `train` on `file` in this process; only the figures and the model text outlive it. */
async function trainInProcess(file: string, rows: number) {
  const start = performance.now();
  const trained = await train(readRowsFromFile(file), TRAIN_OPTIONS);
  const trainMs = performance.now() - start;
  const { training, validation } = trained.model;
  return {
    figures: {
      trainMs,
      replayMs: trained.replayMs,
      fitMs: trained.fitMs,
      rowsPerSec: rows / (trainMs / 1000),
      trainingRows: training.rows,
      trainingFrauds: training.frauds,
      kind: trained.kind,
      fitMsByKind: { ...trained.fitMsByKind },
      iterations: training.iterations ?? null,
      threshold: trained.model.threshold,
      validationRocAuc: validation.rocAuc,
    },
    text: trained.text,
  };
}

/** Runs `npm run train` on `file` in a fresh process; resolves its wall time, summary and model text. */
async function trainWithCli(file: string, out: string) {
  const run = await runNode([...scriptCommand("train"), file, "--out", out], TRAIN_CLI_DEADLINE_MS);
  if (run.code !== 0) {
    throw new Error(
      `npm run train exited with ${run.code}: ${run.stderr.trim().split("\n").slice(-3).join(" | ")}`,
    );
  }
  return { cliMs: run.wallMs, cliSummary: run.stdout.trim(), text: fs.readFileSync(out, "utf8") };
}

/**
 * Generates `rows` transactions into a temporary file, times a backtest with the default score
 * in this process, trains on the file (in process, then with the CLI), times a backtest with the
 * CLI's model in this process, then `npm run backtest` as a fresh process without and with the
 * model in `cliRounds` alternating rounds.
 *
 * @example
 * const figure = await measureBacktest(500_000);
 * figure.runs.map((run) => run.rowsPerSec);
 */
async function measureBacktest(
  rows: number,
  progress: (message: string) => void = () => {},
  cliRounds = 3,
): Promise<BacktestFigure> {
  if (!Number.isInteger(cliRounds) || cliRounds < 1)
    throw new Error(`measureBacktest: cliRounds must be a whole number from 1, got ${cliRounds}`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "fraud-bench-backtest-"));
  try {
    const file = path.join(dir, "history.jsonl");
    const generateStart = performance.now();
    const generated = writeTransactionsFile(file, { rows, seed: 1 });
    const generateMs = performance.now() - generateStart;
    progress(`backtest with the default score over ${generated.rows} rows`);
    const byDefault = await timedBacktest(file, generated.rows);
    progress("training in process");
    const inProcess = await trainInProcess(file, generated.rows);
    progress("training with npm run train");
    const modelFile = path.join(dir, "MODEL.json");
    const trainCli = await trainWithCli(file, modelFile);
    const model = parseFraudModel(trainCli.text, FEATURE_NAMES);
    progress("backtest with the model");
    const withModel = await timedBacktest(file, generated.rows, model);
    progress(`npm run backtest as a fresh process, without and with the model, ${cliRounds} rounds`);
    // The esbuild hook keeps what it transpiles: time what every run after a first one costs.
    await runNode([...scriptCommand("backtest"), "--help"], BACKTEST_CLI_DEADLINE_MS);
    const defaultRounds: CliRound[] = [];
    const modelRounds: CliRound[] = [];
    // Alternating, so a machine whose speed drifts moves both alike.
    for (let round = 0; round < cliRounds; round++) {
      defaultRounds.push(await timedCli(file, byDefault.alerts));
      modelRounds.push(await timedCli(file, withModel.alerts, modelFile));
    }
    const cli = cliFigure(generated.rows, defaultRounds);
    const cliWithModel = cliFigure(generated.rows, modelRounds);
    return {
      rows: generated.rows,
      fraudRows: generated.fraud,
      fileBytes: fs.statSync(file).size,
      generateMs,
      runs: [byDefault, withModel],
      labelDelayDays: DEFAULT_LABEL_DELAY_DAYS,
      training: {
        validationDays: TRAIN_OPTIONS.validationDays,
        ...inProcess.figures,
        cliMs: trainCli.cliMs,
        cliSummary: trainCli.cliSummary,
        cliSameModel: trainCli.text === inProcess.text,
      },
      cli,
      cliWithModel,
      goalRowsPerSec: BACKTEST_GOAL_ROWS_PER_SEC,
    };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export type { BacktestFigure, BacktestRun, CliBacktestRun, TrainingFigure };
export { BACKTEST_GOAL_ROWS_PER_SEC, measureBacktest };
