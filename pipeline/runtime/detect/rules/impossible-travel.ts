/** impossible-travel: two located transactions too far apart for the time between them. */
import type { RuleHit, Transaction } from "../../contract/transaction";
import type { ImpossibleTravelConfig } from "../config";
import { haversineKm } from "../geo";
import { formatDuration } from "./format";
import { RULE_NAMES, ruleHit } from "./score";

const HOUR_MS = 3_600_000;

function lastLocated(history: readonly Transaction[]): Transaction | undefined {
  for (let i = history.length - 1; i >= 0; i -= 1) {
    if (history[i].location !== undefined) return history[i];
  }
  return undefined;
}

/**
 * Compares a located transaction with the account's previous located one (history is sorted by
 * timestamp) and fires when the great-circle distance is at least `minDistanceKm` and the implied
 * speed exceeds `maxSpeedKmh`. Two distant places at the same instant are an infinite speed.
 *
 * Score: `min(maxScore, baseScore × speed / maxSpeedKmh)`; infinite speed scores `maxScore`.
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
  const here = tx.location;
  const previous = lastLocated(history);
  if (here === undefined || previous?.location === undefined) return null;
  const distanceKm = haversineKm(previous.location, here);
  if (distanceKm < params.minDistanceKm) return null;
  const elapsedMs = tx.timestamp - previous.timestamp;
  const speedKmh = elapsedMs > 0 ? distanceKm / (elapsedMs / HOUR_MS) : Number.POSITIVE_INFINITY;
  if (speedKmh <= params.maxSpeedKmh) return null;
  const travelled = `${Math.round(distanceKm)} km from the previous located transaction`;
  const pace =
    elapsedMs > 0 ? `in ${formatDuration(elapsedMs)}: ${Math.round(speedKmh)} km/h` : "at the same instant";
  const reason = `${travelled} ${pace}, limit ${params.maxSpeedKmh} km/h`;
  return ruleHit(RULE_NAMES.impossibleTravel, speedKmh / params.maxSpeedKmh, params, reason);
}

export { impossibleTravel };
