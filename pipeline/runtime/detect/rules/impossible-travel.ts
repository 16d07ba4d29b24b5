/** impossible-travel: two located transactions too far apart for the time between them. */
import type { RuleHit, Transaction } from "../../contract/transaction";
import { haversineKm } from "../geo";
import { formatDuration } from "./format";
import { defineRule, type RuleResult, ruleHit, SCORE_SPEC, type ScoreConfig } from "./score";

interface ImpossibleTravelConfig extends ScoreConfig {
  /** Fires when the implied speed from the previous located transaction exceeds this. */
  readonly maxSpeedKmh: number;
  /** Shorter hops are ignored: location precision is coarse (IP or terminal address). */
  readonly minDistanceKm: number;
}

const HOUR_MS = 3_600_000;
/** Fastest speed the signal reports: two distant places at the same instant read as this. */
const MAX_SIGNAL_KMH = 100_000;

function lastLocated(history: readonly Transaction[]): Transaction | undefined {
  for (let i = history.length - 1; i >= 0; i -= 1) {
    if (history[i].location !== undefined) return history[i];
  }
  return undefined;
}

function evaluate(
  tx: Transaction,
  history: readonly Transaction[],
  params: ImpossibleTravelConfig,
): RuleResult {
  const here = tx.location;
  const previous = here === undefined ? undefined : lastLocated(history);
  if (here === undefined || previous?.location === undefined) return { signal: 0, hit: null };
  const distanceKm = haversineKm(previous.location, here);
  if (distanceKm < params.minDistanceKm) return { signal: 0, hit: null };
  const elapsedMs = tx.timestamp - previous.timestamp;
  const speedKmh = elapsedMs > 0 ? distanceKm / (elapsedMs / HOUR_MS) : Number.POSITIVE_INFINITY;
  const signal = Math.min(speedKmh, MAX_SIGNAL_KMH);
  if (speedKmh <= params.maxSpeedKmh) return { signal, hit: null };
  const travelled = `${Math.round(distanceKm)} km from the previous located transaction`;
  const pace =
    elapsedMs > 0 ? `in ${formatDuration(elapsedMs)}: ${Math.round(speedKmh)} km/h` : "at the same instant";
  const reason = `${travelled} ${pace}, limit ${params.maxSpeedKmh} km/h`;
  return { signal, hit: ruleHit("impossible-travel", speedKmh / params.maxSpeedKmh, params, reason) };
}

/**
 * Compares a located transaction with the account's previous located one (history is sorted by
 * timestamp) and fires when the great-circle distance is at least `minDistanceKm` and the implied
 * speed exceeds `maxSpeedKmh`. Two distant places at the same instant are an infinite speed.
 * Signal: the implied speed in km/h (0 for hops under `minDistanceKm` or without locations).
 *
 * Score: `min(maxScore, baseScore × speed / maxSpeedKmh)`; infinite speed scores `maxScore`.
 */
const impossibleTravelRule = defineRule({
  key: "impossibleTravel",
  name: "impossible-travel",
  description:
    "The implied speed from the previous located transaction exceeds maxSpeedKmh (hops of at least minDistanceKm).",
  defaults: { maxSpeedKmh: 900, minDistanceKm: 100, baseScore: 40, maxScore: 80 },
  spec: {
    maxSpeedKmh: { min: 1, max: MAX_SIGNAL_KMH, integer: false },
    minDistanceKm: { min: 0, max: 20_100, integer: false },
    baseScore: SCORE_SPEC,
    maxScore: SCORE_SPEC,
  },
  feature: {
    name: "travel_speed_log",
    description: "natural log of 1 + the implied km/h from the previous located transaction (0 without one)",
  },
  featureValue: (speedKmh) => Math.log1p(speedKmh),
  evaluate,
});

/**
 * The impossible-travel rule's hit alone.
 *
 * @example
 * impossibleTravel(tx, history, DEFAULT_RULES_CONFIG.rules.impossibleTravel);
 * // { rule: "impossible-travel", score: 80, reason: "5555 km from the previous located transaction in 30 minutes: 11110 km/h, limit 900 km/h" }
 */
function impossibleTravel(
  tx: Transaction,
  history: readonly Transaction[],
  params: ImpossibleTravelConfig,
): RuleHit | null {
  return evaluate(tx, history, params).hit;
}

export type { ImpossibleTravelConfig };
export { impossibleTravel, impossibleTravelRule };
