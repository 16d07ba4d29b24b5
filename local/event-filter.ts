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

/** A compiled pattern: true when the event matches. */
type EventPredicate = (event: unknown) => boolean;

/**
 * Compiles `pattern` into a predicate that walks it without enumerating its keys each time: the
 * change feed tries every table change, twice per request under load.
 *
 * @example
 * const isInsert = compileFilter({ eventName: ["INSERT"] });
 * isInsert(record); // true for an INSERT record
 */
function compileFilter(pattern: FilterPattern): EventPredicate {
  const checks = Object.entries(pattern).map(([key, expected]): EventPredicate => {
    if (Array.isArray(expected)) {
      const accepted = expected as readonly Leaf[];
      return (fields) => leafMatches((fields as Record<string, unknown>)[key], accepted);
    }
    const nested = compileFilter(expected as FilterPattern);
    return (fields) => nested((fields as Record<string, unknown>)[key]);
  });
  return (event) => {
    const fields = typeof event === "object" && event !== null ? event : {};
    for (const check of checks) if (!check(fields)) return false;
    return true;
  };
}

/**
 * True when `event` matches `pattern` as Lambda's event filtering would.
 *
 * @example
 * matchesFilter({ eventName: ["INSERT"] }, record); // true for an INSERT record
 */
function matchesFilter(pattern: FilterPattern, event: unknown): boolean {
  return compileFilter(pattern)(event);
}

export type { EventPredicate };
export { compileFilter, matchesFilter };
