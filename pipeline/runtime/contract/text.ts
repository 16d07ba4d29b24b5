/**
 * Free text a person reads (merchant_id, merchant_category end up in the fraud team's email): the
 * characters the contract refuses, and the JSON Schema `pattern` that refuses them, built from the
 * Unicode properties so that no character list is kept by hand.
 *
 * The same pattern string is read in two regex dialects. The io-ts codec and the local validator
 * compile it with the `u` flag (code points, as JSON Schema intends). API Gateway's model
 * validator reads `pattern` as an ECMA-262 regex without flags: UTF-16 code units, and no property
 * escapes (`[^\p{Cf}]` would mean "neither p, {, C, f nor }" there and refuse "Coffee"). So the
 * pattern spells every refused character as `\uXXXX` escapes, an astral one as its surrogate pair,
 * and accepts an astral character either as one code point (read with `u`) or as a pair of code
 * units (read without): both readings accept exactly the same strings. The contract test checks
 * both readings against the codec on its corpus, and against the Unicode categories on every code
 * point.
 */

/**
 * What the contract refuses in free text: controls (C0, DEL and C1, category Cc), format
 * characters (Cf: bidi embeddings, overrides and isolates, zero-width characters and joiners, the
 * byte order mark, soft hyphen, tag characters, ...), the line and paragraph separators (Zl, Zp),
 * and surrogates (Cs: a lone one is not well-formed Unicode, cannot be stored as UTF-8 and makes
 * the SNS request fail).
 */
const REFUSED_CATEGORIES = ["Cc", "Cf", "Zl", "Zp", "Cs"] as const;

const FIRST_ASTRAL = 0x10000;
const LAST_CODE_POINT = 0x10ffff;
const LEAD_SURROGATES = { first: 0xd800, last: 0xdbff } as const;
const TRAIL_SURROGATES = { first: 0xdc00, last: 0xdfff } as const;

type Range = readonly [first: number, last: number];

/**
 * A regex that matches one refused character (a lone surrogate included, iterated by code point).
 * Build it where it is used: a RegExp captured at module scope does not survive closure serialization.
 *
 * @example
 * refusedCharacter().test("\u202E"); // true
 */
function refusedCharacter(): RegExp {
  return new RegExp(`[${REFUSED_CATEGORIES.map((category) => `\\p{${category}}`).join("")}]`, "u");
}

/** The refused code points as sorted, disjoint, inclusive ranges (Unicode of the running Node). */
function refusedRanges(): Range[] {
  const refused = refusedCharacter();
  const ranges: [number, number][] = [];
  for (let codePoint = 0; codePoint <= LAST_CODE_POINT; codePoint++) {
    if (!refused.test(String.fromCodePoint(codePoint))) continue;
    const last = ranges.at(-1);
    if (last !== undefined && last[1] === codePoint - 1) last[1] = codePoint;
    else ranges.push([codePoint, codePoint]);
  }
  return ranges;
}

function unitEscape(unit: number): string {
  return `\\u${unit.toString(16).toUpperCase().padStart(4, "0")}`;
}

function rangeEscape([first, last]: Range): string {
  return first === last ? unitEscape(first) : `${unitEscape(first)}-${unitEscape(last)}`;
}

function surrogatePair(codePoint: number): [lead: number, trail: number] {
  const offset = codePoint - FIRST_ASTRAL;
  return [LEAD_SURROGATES.first + (offset >> 10), TRAIL_SURROGATES.first + (offset & 0x3ff)];
}

/** The ranges of `first..last` not in the sorted `excluded` values. */
function complement(first: number, last: number, excluded: readonly number[]): Range[] {
  const ranges: Range[] = [];
  let next = first;
  for (const value of excluded) {
    if (value > next) ranges.push([next, value - 1]);
    next = value + 1;
  }
  if (next <= last) ranges.push([next, last]);
  return ranges;
}

/**
 * The anchored pattern of a string of at most `maxCodePoints` characters, none of them refused,
 * readable with and without `u`. Each repetition is one code point in either reading, so the
 * bound counts like `maxLength` and keeps a backtracking engine's work small on a huge input.
 *
 * - One unit: any BMP character except the refused ones. Read with `u`, the class also holds the
 *   refused astral characters as surrogate pairs (one code point each), so it accepts every other
 *   astral character as well; read without `u` those pairs are surrogate units, refused anyway.
 * - A surrogate pair (only ever matched without `u`, where an astral character is two units): any
 *   lead surrogate followed by a trail surrogate, except the pairs of refused astral characters.
 */
function portableTextPattern(ranges: readonly Range[], maxCodePoints: number): string {
  const bmp = ranges
    .filter(([first]) => first < FIRST_ASTRAL)
    .map(([first, last]): Range => [first, Math.min(last, FIRST_ASTRAL - 1)]);
  const astral: number[] = [];
  for (const [first, last] of ranges) {
    for (let codePoint = Math.max(first, FIRST_ASTRAL); codePoint <= last; codePoint++)
      astral.push(codePoint);
  }
  const pairs = astral.map(surrogatePair);
  const single = `[^${bmp.map(rangeEscape).join("")}${pairs.map((pair) => pair.map(unitEscape).join("")).join("")}]`;
  const trailsByLead = new Map<number, number[]>();
  for (const [lead, trail] of pairs) trailsByLead.set(lead, [...(trailsByLead.get(lead) ?? []), trail]);
  const freeLeads = complement(LEAD_SURROGATES.first, LEAD_SURROGATES.last, [...trailsByLead.keys()]);
  const anyTrail = rangeEscape([TRAIL_SURROGATES.first, TRAIL_SURROGATES.last]);
  const restricted = [...trailsByLead].map(
    ([lead, trails]) =>
      `${unitEscape(lead)}[${complement(TRAIL_SURROGATES.first, TRAIL_SURROGATES.last, trails).map(rangeEscape).join("")}]`,
  );
  const alternatives = [single, `[${freeLeads.map(rangeEscape).join("")}][${anyTrail}]`, ...restricted];
  return `^(?:${alternatives.join("|")}){0,${maxCodePoints}}$`;
}

/**
 * The free-text pattern of the contract (see the module comment) for text of at most
 * `maxCodePoints` characters; `LIMITS.textPattern` holds it.
 * A deployed function carries the string computed at deploy time, so the API Gateway model and the
 * codec inside the function refuse the same characters whatever Unicode version runs them.
 *
 * @example
 * new RegExp(freeTextPattern(64), "u").test("Caf\u00e9 \u{1F600}"); // true
 * new RegExp(freeTextPattern(64)).test("shop\u202Ekcab"); // false
 */
function freeTextPattern(maxCodePoints: number): string {
  return portableTextPattern(refusedRanges(), maxCodePoints);
}

export { freeTextPattern, REFUSED_CATEGORIES, refusedCharacter };
