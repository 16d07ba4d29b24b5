/**
 * Figure 6, capacity: what each function can sustain at the stack's default reserved concurrency
 * (the `reservedConcurrency` setting, pipeline/infra/config.ts), from the
 * measured warm handler time, with and without the SDK round trips a real invocation waits for
 * (an assumed per-call latency, since nothing here reaches AWS), the Lambda cost per million
 * transactions at 512 MB, and whether the API stage throttle sits below what
 * process-transaction can serve.
 */
import { API_THROTTLE } from "../pipeline/infra/api-limits";
import { DEFAULT_RESERVED_CONCURRENCY } from "../pipeline/infra/config";
import type { FunctionName } from "./functions";
import type { Scorer, WarmRow } from "./warm";

/** Stack settings and public prices (us-east-1) the figure depends on. */
const CAPACITY_ASSUMPTIONS = {
  /**
   * Executions per function: the stack's default `reservedConcurrency`. A stack configured with 0
   * reserves none and shares the account's pool, whose free share this figure cannot know.
   */
  reservedConcurrency: DEFAULT_RESERVED_CONCURRENCY,
  memoryGb: 0.5,
  pricePerGbSecond: 0.0000166667,
  pricePerMillionRequests: 0.2,
  /** Assumed p50 of one in-region SDK call (DynamoDB, SQS, SNS); not measured here. */
  roundTripMs: 10,
  /** Share of transactions flagged, for notify-team's share of the cost. */
  alertRate: 0.01,
} as const;

/** Sequential SDK round trips per invocation; calls made concurrently count once. */
const ROUND_TRIPS: Record<FunctionName, { trips: number; why: string }> = {
  "process-transaction": { trips: 1, why: "PutItem" },
  "detect-fraud": {
    trips: 4,
    why: "Query per account and BatchGetItem of the merchants (parallel), SendMessageBatch, UpdateItem per record (parallel), UpdateItem per merchant counted (parallel)",
  },
  "notify-team": { trips: 3, why: "claim UpdateItem, SNS Publish, confirm UpdateItem (records in parallel)" },
};

interface Throttle {
  readonly rateLimit: number;
  readonly burstLimit: number;
  /** Where the numbers came from. */
  readonly source: string;
}

interface CapacityRow {
  readonly name: FunctionName;
  /** detect-fraud only: what scored the batch. */
  readonly scorer?: Scorer;
  readonly recordsPerInvocation: number;
  readonly handlerMs: number;
  readonly roundTrips: number;
  /** Handler time plus the round trips, ms. */
  readonly durationMs: number;
  /** Records per second at full reserved concurrency, handler time only. */
  readonly cpuBoundPerSec: number;
  /** Records per second at full reserved concurrency with the round trips. */
  readonly sustainedPerSec: number;
  /** Lambda cost (duration billed per ms, plus requests) per million transactions. */
  readonly costPerMillionTx: number;
}

interface CapacityResult {
  readonly rows: CapacityRow[];
  readonly throttle: Throttle;
  /** Concurrency process-transaction needs at the throttle's steady rate (Little's law). */
  readonly concurrencyAtRate: number;
  /** How long a full burst takes to drain at reserved concurrency, s. */
  readonly burstDrainSec: number;
  /** True when the steady rate is below what process-transaction sustains. */
  readonly throttleBelowCapacity: boolean;
}

/**
 * The API stage throttle the stack deploys (pipeline/infra/api-limits.ts).
 *
 * @example
 * readApiThrottle(); // { rateLimit: 1000, burstLimit: 2000, source: "pipeline/infra/api-limits.ts" }
 */
function readApiThrottle(): Throttle {
  return { ...API_THROTTLE, source: "pipeline/infra/api-limits.ts" };
}

/**
 * Capacity and cost of each function from its warm handler time (p50), and the throttle check.
 *
 * @example
 * const capacity = computeCapacity(warmRows, readApiThrottle());
 * capacity.throttleBelowCapacity; // true
 */
function computeCapacity(warm: readonly WarmRow[], throttle: Throttle): CapacityResult {
  const a = CAPACITY_ASSUMPTIONS;
  const rows = warm.map((w): CapacityRow => {
    const handlerMs = w.handler.micros.median / 1000;
    const trips = ROUND_TRIPS[w.name].trips;
    const durationMs = handlerMs + trips * a.roundTripMs;
    const share = w.name === "notify-team" ? a.alertRate : 1;
    const invocationsPerMillion = (1_000_000 * share) / w.records;
    const billedSeconds = Math.ceil(durationMs) / 1000;
    return {
      name: w.name,
      ...(w.scorer !== undefined && { scorer: w.scorer }),
      recordsPerInvocation: w.records,
      handlerMs,
      roundTrips: trips,
      durationMs,
      cpuBoundPerSec: (a.reservedConcurrency * w.records) / (handlerMs / 1000),
      sustainedPerSec: (a.reservedConcurrency * w.records) / (durationMs / 1000),
      costPerMillionTx:
        invocationsPerMillion * billedSeconds * a.memoryGb * a.pricePerGbSecond +
        (invocationsPerMillion / 1_000_000) * a.pricePerMillionRequests,
    };
  });
  const processRow = rows.find((row) => row.name === "process-transaction");
  if (processRow === undefined) throw new Error("Capacity needs the process-transaction warm figure");
  const seconds = processRow.durationMs / 1000;
  return {
    rows,
    throttle,
    concurrencyAtRate: throttle.rateLimit * seconds,
    burstDrainSec: throttle.burstLimit / processRow.sustainedPerSec,
    throttleBelowCapacity: throttle.rateLimit < processRow.sustainedPerSec,
  };
}

export type { CapacityResult, CapacityRow, Throttle };
export { CAPACITY_ASSUMPTIONS, computeCapacity, ROUND_TRIPS, readApiThrottle };
