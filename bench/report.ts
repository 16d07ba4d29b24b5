/**
 * Turns the measured figures into the report's tables (one per figure), with notes saying what
 * each number is.
 */
import type { ArchiveRow } from "./archive";
import type { BacktestFigure, BacktestRun, CliBacktestRun } from "./backtest";
import { CAPACITY_ASSUMPTIONS, type CapacityResult, ROUND_TRIPS } from "./capacity";
import type { ColdInitResult, ColdInitRow, Spread } from "./cold-init";
import type { HttpLoadResult, LoadFigure } from "./http-load";
import { mb, num, type Table } from "./table";
import type { DetectModelCost, Scorer, WarmRow } from "./warm";

/** Everything one run measured; sections not run are absent. */
interface BenchResults {
  readonly coldInit?: ColdInitResult;
  readonly archive?: ArchiveRow[];
  readonly warm?: WarmRow[];
  /** detect-fraud with a model against the default score and the pre-detection reference. */
  readonly detectModelCost?: DetectModelCost;
  readonly httpLoad?: HttpLoadResult;
  readonly backtest?: BacktestFigure;
  readonly capacity?: CapacityResult;
}

/** The goal issue 14 sets for cold init: ours at most this fraction of the v2 baseline on Node 24. */
const COLD_INIT_GOAL_RATIO = 0.35;

function coldInitTable(r: ColdInitResult): Table {
  const spread = (s: Spread) => `${num(s.p10)}-${num(s.p90)}`;
  const cell = (s: Spread) => `${num(s.median)} (${spread(s)})`;
  const meets = (row: ColdInitRow) => (row.init.ratio <= COLD_INIT_GOAL_RATIO ? "met" : "NOT met");
  return {
    title: `1. Cold init on Node ${r.node.replace(/^v/, "")}: ms above an empty Node process, median (p10-p90) of ${r.processes} fresh processes each`,
    header: [
      "function",
      "init v3",
      "init v2",
      "init v3/v2",
      "CPU v3/v2",
      "+1st call v3",
      "+1st call v2",
      "+1st v3/v2",
      "CPU v3/v2",
    ],
    rows: r.rows.map((row) => [
      row.name,
      cell(row.init.v3),
      cell(row.init.v2),
      `${num(row.init.ratio)}x`,
      `${num(row.cpu.init.ratio)}x`,
      cell(row.firstInvocation.v3),
      cell(row.firstInvocation.v2),
      `${num(row.firstInvocation.ratio)}x`,
      `${num(row.cpu.firstInvocation.ratio)}x`,
    ]),
    notes: [
      `Empty Node process (loads nothing): ${num(r.empty.median)} ms median (p10-p90 ${spread(r.empty)}), ${num(r.emptyCpu.median)} ms of CPU. v3 = this project as shipped (SDK v3); v2 = the same handlers on the whole aws-sdk v2, serialized with its packages beside it. v3/v2 = ratio of the medians, below 1 means ours is faster; CPU v3/v2 = the same in CPU time (user + system).`,
      "init = require the shipped code and run its factory. +1st call = init and one invocation with a real-shaped event (an API request, a stream batch of 100, an SQS batch of 10, an outcome report) against a loopback DynamoDB/SQS/SNS stand-in (bench/aws-loopback.ts) on 127.0.0.1.",
      `In process (medians, ms): ${r.rows
        .map(
          (row) =>
            `${row.name} require ${num(row.inProcess.v3RequireMs)} v3 / ${num(row.inProcess.v2RequireMs)} v2, first call ${num(row.inProcess.v3InvokeMs)} v3 / ${num(row.inProcess.v2InvokeMs)} v2`,
        )
        .join("; ")}.`,
      `CPU time (user + system) above the empty process's, medians v3 / v2 (v3/v2), which other work on the machine barely moves: ${r.rows
        .map(
          (row) =>
            `${row.name} init ${num(row.cpu.init.v3.median)} / ${num(row.cpu.init.v2.median)} ms (${num(row.cpu.init.ratio)}x), +1st call ${num(row.cpu.firstInvocation.v3.median)} / ${num(row.cpu.firstInvocation.v2.median)} ms (${num(row.cpu.firstInvocation.ratio)}x)`,
        )
        .join("; ")}.`,
      `Goal: init at most ${COLD_INIT_GOAL_RATIO}x the v2 baseline in wall time: ${r.rows.map((row) => `${row.name} ${num(row.init.ratio)}x ${meets(row)} (CPU ${num(row.cpu.init.ratio)}x)`).join(", ")}.`,
    ],
  };
}

function archiveTable(rows: readonly ArchiveRow[]): Table {
  return {
    title:
      "2. Archive: what each function uploads (v3: one bundled index.js; v2: __index.js + package folders)",
    header: ["function", "v3 files", "v3 MB", "v3 zip MB", "v2 files", "v2 MB", "v2 zip MB", "zip v2/v3"],
    rows: rows.map((row) => [
      row.name,
      row.v3.files,
      mb(row.v3.bytes),
      mb(row.v3.zipped),
      row.v2.files,
      mb(row.v2.bytes),
      mb(row.v2.zipped),
      `${num(row.v2.zipped / row.v3.zipped)}x`,
    ]),
    notes: [
      `v3: the serialized closure bundled by esbuild with what it reaches (pipeline/infra/handler-bundle.ts); serializing and bundling took ${rows.map((row) => `${row.name} ${num(row.v3.bundleMs / 1000)} s`).join(", ")}.`,
      ...rows.map(
        (row) => `${row.name}: v2 ${row.v2.packages} packages (largest ${row.v2.largest.join(", ")}).`,
      ),
      "v2: packaged as CallbackFunction packages a closure, without the runtime dependencies its handler never requires.",
      "zip MB: deflate level 6 per file plus zip headers (what a zip of these files weighs).",
    ],
  };
}

/** Short words for a model kind in a row's name. */
const KIND_WORDS: Record<string, string> = {
  "logistic-regression": "logistic",
  "gradient-boosted-trees": "trees",
};

function words(kind: string): string {
  return KIND_WORDS[kind] ?? kind;
}

/** A row's function, with the model that scored it when one did. */
function rowLabel(name: string, scorer?: Scorer): string {
  return scorer === undefined || scorer === "default" ? name : `${name} with a model (${words(scorer)})`;
}

function detectModelNotes(cost: DetectModelCost | undefined): string[] {
  if (cost === undefined) return [];
  const ref = cost.reference;
  const goal = ref.goalRatio * ref.p50Micros;
  return [
    `detect-fraud per record: ${num(cost.defaultPerRecordMicros)} µs with the default score; ${cost.models
      .map(
        (m) =>
          `${num(m.perRecordMicros)} µs with the ${words(m.kind)} model, ${num(m.toDefault)}x the default-score row`,
      )
      .join("; ")} (same run, variants timed in alternating rounds).`,
    `Models: logistic = logistic regression over every feature (a non-zero weight each, standardised on the batch fixture's own feature vectors); trees = gradient-boosted trees trained by the train module (--kind gradient-boosted-trees, its defaults) on ${num(cost.treesTraining.rows)} generated rows. Both word reasons from their largest terms.`,
    `Reference before the detection work (no feature vector, merchant profiles or model): detect-fraud ${num(ref.p50Micros)} µs p50 per batch of ${ref.records} (${num(cost.referencePerRecordMicros)} µs/record), ${ref.run}; another run on a machine whose speed varies, so a rough comparison. Now: default score ${num(cost.defaultToReference)}x; ${cost.models.map((m) => `${words(m.kind)} model ${num(m.toReference)}x`).join(", ")}.`,
    `Normalised by the floor (JSON of the same event, measured in each run, so machine speed cancels): the reference's p50/floor was ${num(cost.referenceFloorRatio)}x (floor ${num(ref.floorP50Micros)} µs); now default score ${num(cost.defaultToReferenceByFloor)}x it; ${cost.models.map((m) => `${words(m.kind)} model ${num(m.toReferenceByFloor)}x`).join(", ")}.`,
    `Goal: with a model under ${ref.goalRatio}x the reference (${num(goal)} µs per batch, ${num(goal / ref.records)} µs/record): ${cost.models.map((m) => `${words(m.kind)} ${m.goalMet ? "met" : "NOT met"} by the raw p50, ${m.goalMetByFloor ? "met" : "NOT met"} normalised by the floor`).join("; ")}.`,
  ];
}

function warmTable(rows: readonly WarmRow[], cost?: DetectModelCost): Table {
  return {
    title: "3. Warm handler cost, in-memory ports (per invocation)",
    header: [
      "function",
      "event",
      "ops/s",
      "p50 µs",
      "p99 µs",
      "µs/record",
      "floor ops/s",
      "floor p50 µs",
      "floor p99 µs",
      "p50/floor",
    ],
    rows: rows.map((row) => [
      rowLabel(row.name, row.scorer),
      row.event,
      row.handler.opsPerSec,
      row.handler.micros.median,
      row.handler.micros.p99,
      row.handler.micros.median / row.records,
      row.floor.opsPerSec,
      row.floor.micros.median,
      row.floor.micros.p99,
      `${num(row.ratio)}x`,
    ]),
    notes: [
      "floor = JSON.parse + JSON.stringify of the same event. Ports answer at once; logs and metrics are dropped. µs/record = p50 / records per invocation.",
      ...detectModelNotes(cost),
    ],
  };
}

function loadRow(name: string, figure: LoadFigure): (string | number)[] {
  const other = Object.entries(figure.statuses)
    .filter(([code]) => code !== "201")
    .map(([code, count]) => `${code}:${count}`);
  return [
    name,
    figure.requestsPerSec,
    figure.p50,
    figure.p99,
    figure.total,
    figure.cpuPerRequestUs,
    [...other, `errors:${figure.errors}`].join(" "),
  ];
}

function httpTable(r: HttpLoadResult): Table {
  const d = r.drain;
  return {
    title: `4. Local pipeline end to end: POST /transactions, ${r.connections} connections, ${r.rounds} alternating round${r.rounds === 1 ? "" : "s"} of ${r.durationSec} s per target`,
    header: ["target", "req/s", "p50 ms", "p99 ms", "requests", "CPU µs/req", "other"],
    rows: [loadRow("local pipeline", r.pipeline), loadRow("bare node http", r.bare)],
    notes: [
      `Pipeline / bare: ${num(r.ratio)}x (medians of the rounds; round by round, pipeline ${r.pipeline.roundsPerSec.map(num).join(", ")} and bare ${r.bare.roundsPerSec.map(num).join(", ")} req/s). Both targets run throughout and are loaded in turn. Every request a new transaction id; statuses other than 201 listed under other.`,
      `CPU µs/req: the target process's CPU time during its load (every thread, user + system) per response. Bare / pipeline CPU per request: ${num(r.cpuRatio)}x, the requests/s ratio if both targets were bound by their own CPU rather than by the load generator.`,
      `After the last pipeline round: ${d.stored} stored, ${d.flagged} flagged, ${d.notified} notified, ${d.deadLetters} dead letters; detection caught up ${num(d.drainMs)} ms after that round ended.`,
    ],
  };
}

function backtestTable(r: BacktestFigure): Table {
  const ratio = (value: number | null) => (value === null ? "n/a" : num(value));
  const scorerName = (run: BacktestRun) =>
    run.scorer === "model" ? `model, ${words(r.training.kind)} (trained on this file)` : "default score";
  const meets = (run: BacktestRun) =>
    `${num(run.rowsPerSec)} rows/s with the ${run.scorer === "model" ? "model" : "default score"} (${run.rowsPerSec >= r.goalRowsPerSec ? "met" : "NOT met"})`;
  const cliMeets = (scorer: string, run: CliBacktestRun) =>
    `${num(run.rowsPerSec)} rows/s with the ${scorer} (${run.rowsPerSec >= r.goalRowsPerSec ? "met" : "NOT met"})`;
  const cliRun = (run: CliBacktestRun) =>
    `${num(run.wallMs / 1000)} s (rounds ${run.roundsMs.map((ms) => num(ms / 1000)).join(", ")} s), ${num(run.rowsPerSec)} rows/s, ${run.sameAlerts ? "the same alerts as in this process" : "its alerts DIFFER from this process's"}`;
  const [byDefault, withModel] = r.runs;
  return {
    title: `5. Backtest throughput over ${num(r.rows)} generated rows (JSON Lines, labelled fraud patterns)`,
    header: [
      "scorer",
      "rows",
      "backtest s",
      "rows/s",
      "threshold",
      "alerts",
      "precision",
      "recall",
      "ROC AUC",
    ],
    rows: r.runs.map((run) => [
      scorerName(run),
      r.rows,
      run.backtestMs / 1000,
      run.rowsPerSec,
      run.threshold,
      run.alerts,
      ratio(run.precision),
      ratio(run.recall),
      ratio(run.rocAuc),
    ]),
    notes: [
      `End to end in this process: read the file (4 MB chunks), decode with the contract codec, replay walk-forward with the feature vector and labels delayed ${r.labelDelayDays} days, compute the metrics. npm run backtest adds its start (Node and the esbuild hook, whose transpile cache in node_modules/.cache is warm as on every run after a first: a cold one adds about 0.3 s) and runs with 64 MB semi-spaces.`,
      `Goal: at least ${num(r.goalRowsPerSec)} rows/s on this machine as npm run backtest, start-up included: ${cliMeets("default score", r.cli)}; ${cliMeets("model", r.cliWithModel)}. In this process: ${r.runs.map(meets).join("; ")}.${withModel !== undefined && byDefault !== undefined ? ` Model / default: ${num(withModel.rowsPerSec / byDefault.rowsPerSec)}x the rows/s.` : ""}`,
      `npm run backtest -- FILE --json as a fresh process (Node's start and the CLI's transpiling included, npm's own start not), the median of ${r.cli.roundsMs.length} alternating rounds: default score ${cliRun(r.cli)}; with --model MODEL.json (npm run train's) ${cliRun(r.cliWithModel)}.`,
      `File: ${num(r.fraudRows)} fraud rows, ${mb(r.fileBytes)} MB; generating it took ${num(r.generateMs / 1000)} s (not counted).`,
      "The model is scored on the rows it was trained on: its precision, recall and ROC AUC are in-sample, not a quality figure (see npm run backtest -- --from for an out-of-sample one).",
    ],
  };
}

function trainingTable(r: BacktestFigure): Table {
  const t = r.training;
  const kindFits = Object.entries(t.fitMsByKind)
    .map(([kind, ms]) => `${kind} ${num(ms / 1000)} s`)
    .join(", ");
  return {
    title: `5b. Train time for ${num(r.rows)} rows (the same file, npm run train's defaults)`,
    header: [
      "how",
      "train s",
      "rows/s",
      "replay s",
      "fit s",
      "training rows",
      "frauds",
      "shipped",
      "iterations",
    ],
    rows: [
      [
        "train() in process",
        t.trainMs / 1000,
        t.rowsPerSec,
        t.replayMs / 1000,
        t.fitMs / 1000,
        t.trainingRows,
        t.trainingFrauds,
        words(t.kind),
        t.iterations ?? "-",
      ],
      [
        "npm run train (fresh process)",
        t.cliMs / 1000,
        r.rows / (t.cliMs / 1000),
        "-",
        "-",
        "-",
        "-",
        "-",
        "-",
      ],
    ],
    notes: [
      `train s: read, replay (features, merchant counts, delayed labels), fit every kind on the rows before the last ${t.validationDays} days, measure them on those days, choose the threshold, refit the better on all training rows. fit s by kind: ${kindFits}. The CLI (package.json's command, without npm) adds Node's start (the esbuild hook, as for the backtest) and writing MODEL.json.`,
      `Model: ${t.kind}, threshold ${num(t.threshold)}, validation ROC AUC ${t.validationRocAuc === null ? "n/a" : num(t.validationRocAuc)}; iterations = Newton iterations or trees. The CLI's MODEL.json is ${t.cliSameModel ? "identical to" : "DIFFERENT from"} the in-process one and is the model of the backtest above.`,
      `npm run train printed: ${t.cliSummary
        .split("\n")
        .map((line) => line.trim())
        .join(" / ")}`,
    ],
  };
}

function capacityTable(r: CapacityResult): Table {
  const a = CAPACITY_ASSUMPTIONS;
  const t = r.throttle;
  return {
    title: `6. Capacity at reserved concurrency ${a.reservedConcurrency} (the stack's default reservedConcurrency), ${a.memoryGb * 1024} MB`,
    header: [
      "function",
      "records/inv",
      "handler µs",
      "SDK trips",
      "duration ms",
      "records/s CPU only",
      "records/s sustained",
      "$ per 1M tx",
    ],
    rows: r.rows.map((row) => [
      rowLabel(row.name, row.scorer),
      row.recordsPerInvocation,
      row.handlerMs * 1000,
      row.roundTrips,
      row.durationMs,
      row.cpuBoundPerSec,
      row.sustainedPerSec,
      `$${row.costPerMillionTx.toFixed(4)}`,
    ]),
    notes: [
      `duration = warm handler p50 + SDK trips x ${a.roundTripMs} ms (assumed in-region p50 per call, not measured). Trips: ${Object.entries(
        ROUND_TRIPS,
      )
        .map(([name, trip]) => `${name} ${trip.why}`)
        .join("; ")}.`,
      `Cost: billed ms (rounded up) x ${a.memoryGb} GB x $${a.pricePerGbSecond}/GB-s + $${a.pricePerMillionRequests}/1M requests; full batches; notify-team for ${a.alertRate * 100}% of transactions flagged.`,
      `API stage throttle (${t.source}): rate ${t.rateLimit} rps, burst ${t.burstLimit}. process-transaction sustains ${num(r.rows[0]?.sustainedPerSec ?? 0)} rps: throttle ${r.throttleBelowCapacity ? "BELOW" : "ABOVE"} capacity.`,
      `At ${t.rateLimit} rps process-transaction needs ~${num(r.concurrencyAtRate)} concurrent executions; a full burst of ${t.burstLimit} drains in ${num(r.burstDrainSec)} s.`,
      `detect-fraud's real concurrency is one batch per stream shard (x ParallelizationFactor), capped by the reserved ${a.reservedConcurrency}.`,
      `Reserved concurrency is the stack's default (reservedConcurrency, pipeline/infra/config.ts); another setting scales the per-second figures with it, and 0 (no reservation) leaves the functions on the account's shared pool.`,
    ],
  };
}

/**
 * The report's tables, in figure order, for the sections that ran.
 *
 * @example
 * for (const table of reportTables(results)) console.log(renderText(table));
 */
function reportTables(results: BenchResults): Table[] {
  const tables: Table[] = [];
  if (results.coldInit) tables.push(coldInitTable(results.coldInit));
  if (results.archive) tables.push(archiveTable(results.archive));
  if (results.warm) tables.push(warmTable(results.warm, results.detectModelCost));
  if (results.httpLoad) tables.push(httpTable(results.httpLoad));
  if (results.backtest) tables.push(backtestTable(results.backtest), trainingTable(results.backtest));
  if (results.capacity) tables.push(capacityTable(results.capacity));
  return tables;
}

export type { BenchResults };
export { reportTables };
