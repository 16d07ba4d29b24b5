/**
 * When: time of day and day of week (UTC: the contract carries no time zone) and the time since
 * the account's previous transaction.
 */
import { formatDuration } from "../rules/format";
import type { FeatureDefinition } from "./feature";
import type { FeatureSummary } from "./summary";

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
/** Night ends at this UTC hour. */
const NIGHT_END_HOUR = 6;
const DAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"] as const;

function hourOf(s: FeatureSummary): number {
  return (s.tx.timestamp % DAY_MS) / HOUR_MS;
}

function dayOfWeek(s: FeatureSummary): number {
  return new Date(s.tx.timestamp).getUTCDay();
}

function clock(s: FeatureSummary): string {
  return `at ${new Date(s.tx.timestamp).toISOString().slice(11, 16)} UTC`;
}

function weekday(s: FeatureSummary): string {
  return `on a ${DAYS[dayOfWeek(s)]}`;
}

/** Milliseconds since the previous transaction; the history window when there is none. */
function gapMs(s: FeatureSummary): number {
  return s.previous === undefined ? s.config.history.windowMs : s.tx.timestamp - s.previous.timestamp;
}

const timeFeatures: readonly FeatureDefinition[] = [
  {
    name: "hour_of_day",
    description: "UTC hour of the transaction, with minutes as a fraction (0 to 24)",
    value: hourOf,
    reason: clock,
  },
  {
    name: "is_night",
    description: `1 between 00:00 and 0${NIGHT_END_HOUR}:00 UTC, else 0`,
    value: (s) => (hourOf(s) < NIGHT_END_HOUR ? 1 : 0),
    reason: clock,
  },
  {
    name: "day_of_week",
    description: "UTC day of the week, 0 = Sunday",
    value: dayOfWeek,
    reason: weekday,
  },
  {
    name: "is_weekend",
    description: "1 on Saturday and Sunday (UTC), else 0",
    value: (s) => (dayOfWeek(s) % 6 === 0 ? 1 : 0),
    reason: weekday,
  },
  {
    name: "log_seconds_since_previous",
    description:
      "natural log of 1 + seconds since the account's previous transaction (the history window when none)",
    value: (s) => Math.log1p(gapMs(s) / 1000),
    reason: (s) =>
      s.previous === undefined
        ? `first transaction of the account in ${formatDuration(s.config.history.windowMs)}`
        : `${formatDuration(gapMs(s))} after the account's previous transaction`,
  },
];

export { timeFeatures };
