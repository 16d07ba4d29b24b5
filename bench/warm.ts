/**
 * Figure 3, warm handler cost: each core handler over in-memory ports, invoked back to back with
 * realistic events (one API request; a stream batch of 100; an SQS batch of 10), against a floor
 * measured the same way: JSON.parse + JSON.stringify of the same event, the least any Node Lambda
 * does per invocation.
 */
import { makeTransactionCodec } from "../pipeline/runtime/contract/codec";
import { DEFAULT_RULES_CONFIG } from "../pipeline/runtime/detect/config";
import { makeDetectHandler } from "../pipeline/runtime/detect/handler";
import { NOTIFY_LEASE_MS } from "../pipeline/runtime/lambda/notify-team";
import { makeAlertCodec } from "../pipeline/runtime/notify/alert-codec";
import { makeNotifyHandler } from "../pipeline/runtime/notify/handler";
import { makeProcessHandler } from "../pipeline/runtime/process/handler";
import { FIXED_NOW, lambdaContext } from "../test/helpers/transactions";
import type { FunctionName } from "./functions";
import { type Summary, summarize } from "./stats";
import {
  ACCEPTING_MERCHANT_COUNTS,
  ACCEPTING_NOTIFIER,
  ACCEPTING_QUEUE,
  ACCEPTING_STORE,
  ACCEPTING_VERDICTS,
  alertBatch,
  apiEvents,
  BATCH_SIZES,
  EMPTY_MERCHANTS,
  GRANTING_LEDGER,
  QUIET_LOG,
  QUIET_METRICS,
  streamBatch,
} from "./warm-fixtures";

/** Distinct API events cycled through, so ids differ between consecutive requests. */
const API_EVENT_POOL = 1024;

interface LoopResult {
  readonly opsPerSec: number;
  /** Per invocation, microseconds. */
  readonly micros: Summary;
}

interface WarmRow {
  readonly name: FunctionName;
  /** What one invocation carries, e.g. "stream batch of 100". */
  readonly event: string;
  /** Records per invocation. */
  readonly records: number;
  readonly handler: LoopResult;
  readonly floor: LoopResult;
  /** handler p50 / floor p50. */
  readonly ratio: number;
}

interface WarmBudget {
  /** Untimed iterations first, so the JIT has optimised the hot paths. */
  readonly warmupMs: number;
  readonly handlerMs: number;
  readonly floorMs: number;
}

/**
 * Calls `invoke(i)` back to back for `budgetMs` after `warmupMs` of untimed calls, timing each call.
 *
 * @example
 * const { opsPerSec, micros } = await loop((i) => handler(events[i % 1024], context), 100, 1000);
 */
async function loop(
  invoke: (i: number) => Promise<unknown>,
  warmupMs: number,
  budgetMs: number,
): Promise<LoopResult> {
  let i = 0;
  const warmEnd = performance.now() + warmupMs;
  while (performance.now() < warmEnd) await invoke(i++);
  const samples: number[] = [];
  const start = performance.now();
  const end = start + budgetMs;
  let now = start;
  while (now < end) {
    const before = now;
    await invoke(i++);
    now = performance.now();
    samples.push((now - before) * 1000);
  }
  return { opsPerSec: samples.length / ((now - start) / 1000), micros: summarize(samples) };
}

/** JSON.parse + JSON.stringify of the event text, as an async call like the handler's. */
function floorOf(texts: readonly string[]): (i: number) => Promise<unknown> {
  return async (i) => JSON.stringify(JSON.parse(texts[i % texts.length]));
}

interface Scenario {
  readonly name: FunctionName;
  readonly event: string;
  readonly records: number;
  readonly invoke: (i: number) => Promise<unknown>;
  readonly texts: readonly string[];
}

function scenarios(): Scenario[] {
  const now = () => FIXED_NOW;
  const apiPool = apiEvents(API_EVENT_POOL);
  const processHandler = makeProcessHandler({
    store: ACCEPTING_STORE,
    codec: makeTransactionCodec(),
    now,
    log: QUIET_LOG,
  });
  const processContext = lambdaContext();
  const batch = streamBatch();
  const detectHandler = makeDetectHandler({
    history: batch.history,
    verdicts: ACCEPTING_VERDICTS,
    alerts: ACCEPTING_QUEUE,
    merchantProfiles: EMPTY_MERCHANTS,
    merchantCounts: ACCEPTING_MERCHANT_COUNTS,
    config: DEFAULT_RULES_CONFIG,
    codec: makeTransactionCodec(),
    now,
    log: QUIET_LOG,
    metrics: QUIET_METRICS,
  });
  const detectContext = lambdaContext({ functionName: "lambda-detect-fraud-bench" });
  const alerts = alertBatch();
  const notifyHandler = makeNotifyHandler({
    notifier: ACCEPTING_NOTIFIER,
    ledger: GRANTING_LEDGER,
    codec: makeAlertCodec(),
    now,
    log: QUIET_LOG,
    leaseMs: NOTIFY_LEASE_MS,
  });
  const notifyContext = lambdaContext({ functionName: "lambda-notify-team-bench" });
  return [
    {
      name: "process-transaction",
      event: "API request (1 transaction)",
      records: 1,
      invoke: (i) => processHandler(apiPool[i % apiPool.length], processContext),
      texts: apiPool.map((event) => JSON.stringify(event)),
    },
    {
      name: "detect-fraud",
      event: `stream batch of ${BATCH_SIZES.stream}`,
      records: BATCH_SIZES.stream,
      invoke: () => detectHandler(batch.event, detectContext),
      texts: [JSON.stringify(batch.event)],
    },
    {
      name: "notify-team",
      event: `SQS batch of ${BATCH_SIZES.queue}`,
      records: BATCH_SIZES.queue,
      invoke: () => notifyHandler(alerts, notifyContext),
      texts: [JSON.stringify(alerts)],
    },
  ];
}

/**
 * Measures every handler and its floor. Checks each handler's answer once first, so a broken
 * fixture fails loudly instead of timing an error path.
 *
 * @example
 * const rows = await measureWarm({ warmupMs: 300, handlerMs: 2000, floorMs: 1000 });
 */
async function measureWarm(budget: WarmBudget): Promise<WarmRow[]> {
  const rows: WarmRow[] = [];
  for (const scenario of scenarios()) {
    const answer = (await scenario.invoke(0)) as { statusCode?: number; batchItemFailures?: unknown[] };
    const failed =
      answer.statusCode !== undefined
        ? answer.statusCode !== 201
        : (answer.batchItemFailures?.length ?? 0) > 0;
    if (failed)
      throw new Error(
        `Warm fixture for ${scenario.name} did not succeed: ${JSON.stringify(answer).slice(0, 300)}`,
      );
    const handler = await loop(scenario.invoke, budget.warmupMs, budget.handlerMs);
    const floor = await loop(floorOf(scenario.texts), budget.warmupMs, budget.floorMs);
    rows.push({
      name: scenario.name,
      event: scenario.event,
      records: scenario.records,
      handler,
      floor,
      ratio: handler.micros.median / floor.micros.median,
    });
  }
  return rows;
}

export type { LoopResult, WarmBudget, WarmRow };
export { measureWarm };
