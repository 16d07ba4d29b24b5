/**
 * Lambda event filtering for the subset of the pattern syntax the stack uses: nested objects,
 * leaves that list accepted values (strings, numbers) or `{ exists: boolean }`. Lets the local
 * change feed, the DynamoDB stream poller and the tests apply the stack's own filter pattern
 * instead of a hand-written copy of it.
 */

type Leaf = string | number | { readonly exists: boolean };

/** A filter pattern: every key must match; an array lists the values a leaf may have. */
export interface FilterPattern {
  readonly [key: string]: readonly Leaf[] | FilterPattern;
}

function leafMatches(value: unknown, accepted: readonly Leaf[]): boolean {
  return accepted.some((leaf) =>
    typeof leaf === "object" ? (value !== undefined) === leaf.exists : value === leaf,
  );
}

/**
 * True when `event` matches `pattern` as Lambda's event filtering would.
 *
 * @example
 * matchesFilter({ eventName: ["INSERT"] }, record); // true for an INSERT record
 */
function matchesFilter(pattern: FilterPattern, event: unknown): boolean {
  const fields = (typeof event === "object" && event !== null ? event : {}) as Record<string, unknown>;
  return Object.entries(pattern).every(([key, expected]) =>
    Array.isArray(expected)
      ? leafMatches(fields[key], expected)
      : matchesFilter(expected as FilterPattern, fields[key]),
  );
}

export { matchesFilter };
