/** Number formatting for rule reasons: sentences a fraud analyst reads, with the numbers that matter. */

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;

/** Fraction digits of a currency's minor unit (2 for USD, 0 for JPY, 3 for BHD). */
function minorUnitDigits(currency: string): number {
  try {
    const digits = new Intl.NumberFormat("en", { style: "currency", currency }).resolvedOptions()
      .maximumFractionDigits;
    return digits ?? 2;
  } catch {
    return 2;
  }
}

/**
 * An amount in minor units as major units with its currency code.
 *
 * @example
 * formatAmount(4210, "USD"); // "42.10 USD"
 * formatAmount(4210, "JPY"); // "4210 JPY"
 */
function formatAmount(minorUnits: number, currency: string): string {
  const digits = minorUnitDigits(currency);
  return `${(minorUnits / 10 ** digits).toFixed(digits)} ${currency}`;
}

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
  return plural(trimmed(ms / HOUR_MS, 1), "hour");
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

export { formatAmount, formatDuration, formatMultiple };
