/**
 * Fault injection for the embedded adapters: each adapter operation asks `shouldFail(op)` before
 * doing its work. Deterministic (a seeded RNG, plus "fail the first N calls"), so a test or a
 * chaos run can reproduce exactly the same failures.
 */

/** Adapter operations that can be made to fail. */
export const FAULT_OPERATIONS = [
  "tableWrite",
  "historyQuery",
  "verdictWrite",
  "queueSend",
  "publish",
] as const;

export type FaultOperation = (typeof FAULT_OPERATIONS)[number];

/** What to break. Absent operations never fail. */
export interface FaultPlan {
  /** Probability in [0, 1] that one call of the operation fails. */
  readonly rates?: Partial<Record<FaultOperation, number>>;
  /** The first N calls of the operation fail (applied before `rates`). */
  readonly failFirst?: Partial<Record<FaultOperation, number>>;
  /** Seed of the RNG behind `rates`; the same seed gives the same failures. Default 1. */
  readonly seed?: number;
}

/** The hook the adapters consult, plus what it injected so far. */
export interface Faults {
  shouldFail(op: FaultOperation): boolean;
  injected(): Record<FaultOperation, number>;
}

/**
 * mulberry32: a tiny seeded PRNG returning floats in [0, 1). Enough for fault injection; not for
 * anything that needs statistical quality.
 *
 * @example
 * const next = seededRandom(42); next(); // 0.6011037519201636
 */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Builds the fault hook from a plan; without a plan nothing ever fails.
 *
 * @example
 * const faults = makeFaults({ rates: { publish: 0.1 }, seed: 7 });
 * if (faults.shouldFail("publish")) throw new Error("injected publish failure");
 */
function makeFaults(plan: FaultPlan = {}): Faults {
  for (const [op, rate] of Object.entries(plan.rates ?? {})) {
    if (!FAULT_OPERATIONS.includes(op as FaultOperation) || !(rate >= 0 && rate <= 1)) {
      throw new Error(
        `faults.rates.${op} must be a known operation (${FAULT_OPERATIONS.join(", ")}) with a rate in [0, 1]`,
      );
    }
  }
  const random = seededRandom(plan.seed ?? 1);
  const calls: Record<string, number> = {};
  const injected = Object.fromEntries(FAULT_OPERATIONS.map((op) => [op, 0])) as Record<
    FaultOperation,
    number
  >;
  return {
    shouldFail(op) {
      calls[op] = (calls[op] ?? 0) + 1;
      const rate = plan.rates?.[op] ?? 0;
      const fail = calls[op] <= (plan.failFirst?.[op] ?? 0) || (rate > 0 && random() < rate);
      if (fail) injected[op] += 1;
      return fail;
    },
    injected: () => ({ ...injected }),
  };
}

export { makeFaults, seededRandom };
