/** Number formatting for rule reasons: sentences a fraud analyst reads, with the numbers that matter. */

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;

function trimmed(value: number, decimals: number): string {
  return String(Number(value.toFixed(decimals)));
}

function plural(count: string, unit: string): string {
  return `${count} ${unit}${count === "1" ? "" : "s"}`;
}

/**
 * A duration in the largest unit that keeps it readable.
 *
 * @example
 * formatDuration(90_000); // "1.5 minutes"
 */
function formatDuration(ms: number): string {
  if (ms < MINUTE_MS) return plural(trimmed(ms / 1000, 0), "second");
  if (ms < HOUR_MS) return plural(trimmed(ms / MINUTE_MS, 1), "minute");
  // Up to two days in hours ("36 hours" reads better than "1.5 days"), beyond in days.
  if (ms < 2 * DAY_MS) return plural(trimmed(ms / HOUR_MS, 1), "hour");
  return plural(trimmed(ms / DAY_MS, 1), "day");
}

/**
 * A ratio with one decimal and an "x".
 *
 * @example
 * formatMultiple(8.1962); // "8.2x"
 */
function formatMultiple(ratio: number): string {
  return `${ratio.toFixed(1)}x`;
}

export { formatDuration, formatMultiple };
