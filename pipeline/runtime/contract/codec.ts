/**
 * The transaction contract as an io-ts codec, and the decoder that turns io-ts errors into one
 * `FieldError` per offending field. States the same rules as schema.ts; the contract test feeds both
 * the same bodies and demands that they agree.
 *
 * The codec is built by `makeTransactionCodec` and never at module scope: a codec captured by a
 * serialized closure loses its prototype and throws inside Lambda (docs/design.md, closure rule 2).
 */
import * as t from "io-ts";
import { CONTRACT_FIELDS } from "./item";
import { CHANNELS, type Channel, LIMITS, type Transaction } from "./transaction";

/** One offending field: a dotted path (`location.latitude`) and what would be valid. */
interface FieldError {
  readonly field: string;
  readonly message: string;
}

type DecodeResult =
  | { readonly ok: true; readonly value: Transaction }
  | { readonly ok: false; readonly errors: FieldError[] };

/** Field name used when the whole body is wrong (not an object, not JSON, missing). */
const BODY_FIELD = "body";

const LOCATION_FIELDS = ["latitude", "longitude"] as const;

/** What free text may hold, worded for a client (see text.ts). */
const TEXT_RULE =
  "visible characters: no control characters, no invisible format characters (bidi overrides or isolates, zero-width characters, byte order mark, soft hyphen), no line or paragraph separators, well-formed Unicode";

/** What each contract rule says a valid value is; reused by the outcome codec for shared fields. */
const MESSAGES = {
  body: "must be a JSON object",
  id: `must be a string matching ${LIMITS.idPattern}`,
  amount: `must be an integer between ${LIMITS.amountMin} and ${LIMITS.amountMax} (minor units)`,
  currency: 'must be a three-letter upper-case ISO 4217 code, e.g. "USD"',
  timestamp: `must be an integer between ${LIMITS.timestampMin} and ${LIMITS.timestampMax} (epoch milliseconds)`,
  merchantId: `must be a string of 1 to ${LIMITS.merchantIdMaxLength} ${TEXT_RULE}`,
  merchantCategory: `must be a string of 1 to ${LIMITS.merchantCategoryMaxLength} ${TEXT_RULE}`,
  channel: `must be one of ${CHANNELS.join(", ")}`,
  location: "must be an object with latitude and longitude",
  latitude: `must be a number between ${-LIMITS.latitudeMax} and ${LIMITS.latitudeMax}`,
  longitude: `must be a number between ${-LIMITS.longitudeMax} and ${LIMITS.longitudeMax}`,
  country: 'must be a two-letter upper-case ISO 3166-1 country code, e.g. "US"',
  unknown: `is not an accepted property (accepted: ${CONTRACT_FIELDS.join(", ")})`,
  unknownInLocation: `is not an accepted property of location (accepted: ${LOCATION_FIELDS.join(", ")})`,
  required: "is required",
} as const;

const MS_PER_MINUTE = 60_000;
const MS_PER_DAY = 86_400_000;

/** True for a JSON object (not null, not an array). */
function isPlainObject(u: unknown): u is Record<string, unknown> {
  return typeof u === "object" && u !== null && !Array.isArray(u);
}

/** String length in Unicode code points, as JSON Schema's minLength/maxLength count it. */
function codePointLength(s: string): number {
  let length = 0;
  for (const _ of s) length++;
  return length;
}

/** An io-ts type whose name is the message shown when a value fails it. */
function rule<A>(message: string, is: (u: unknown) => u is A): t.Type<A, A, unknown> {
  return new t.Type<A, A, unknown>(
    message,
    is,
    (u, c) => (is(u) ? t.success(u) : t.failure(u, c)),
    t.identity,
  );
}

/** A string matching `pattern` (compiled with the `u` flag, as JSON Schema's `pattern` reads it). */
function patternString(message: string, pattern: string): t.Type<string, string, unknown> {
  const regex = new RegExp(pattern, "u");
  return rule(message, (u): u is string => typeof u === "string" && regex.test(u));
}

function boundedText(message: string, maxLength: number, text: RegExp): t.Type<string, string, unknown> {
  return rule(message, (u): u is string => {
    if (typeof u !== "string" || !text.test(u)) return false;
    const length = codePointLength(u);
    return length >= 1 && length <= maxLength;
  });
}

/** A safe integer in `min..max`, as JSON Schema's `integer` with `minimum` and `maximum` reads it. */
function boundedInteger(message: string, min: number, max: number): t.Type<number, number, unknown> {
  return rule(
    message,
    (u): u is number => Number.isSafeInteger(u) && (u as number) >= min && (u as number) <= max,
  );
}

function boundedNumber(message: string, limit: number): t.Type<number, number, unknown> {
  return rule(
    message,
    (u): u is number => typeof u === "number" && Number.isFinite(u) && u >= -limit && u <= limit,
  );
}

/**
 * Builds the io-ts codec of the transaction contract. Call it in a factory, once per cold start.
 *
 * @example
 * const codec = makeTransactionCodec();
 * const result = decodeTransaction(codec, JSON.parse(body));
 */
function makeTransactionCodec() {
  const id = patternString(MESSAGES.id, LIMITS.idPattern);
  const text = new RegExp(LIMITS.textPattern, "u");
  const channels: readonly string[] = CHANNELS;
  const location = t.exact(
    t.type({
      latitude: boundedNumber(MESSAGES.latitude, LIMITS.latitudeMax),
      longitude: boundedNumber(MESSAGES.longitude, LIMITS.longitudeMax),
    }),
    MESSAGES.location,
  );
  const required = t.type({
    transaction_id: id,
    account_id: id,
    amount: boundedInteger(MESSAGES.amount, LIMITS.amountMin, LIMITS.amountMax),
    currency: patternString(MESSAGES.currency, LIMITS.currencyPattern),
    timestamp: boundedInteger(MESSAGES.timestamp, LIMITS.timestampMin, LIMITS.timestampMax),
    merchant_id: boundedText(MESSAGES.merchantId, LIMITS.merchantIdMaxLength, text),
  });
  const optional = t.partial({
    merchant_category: boundedText(MESSAGES.merchantCategory, LIMITS.merchantCategoryMaxLength, text),
    channel: rule(MESSAGES.channel, (u): u is Channel => typeof u === "string" && channels.includes(u)),
    location,
    country: patternString(MESSAGES.country, LIMITS.countryPattern),
  });
  return t.exact(t.intersection([required, optional]), "Transaction");
}

type TransactionCodec = ReturnType<typeof makeTransactionCodec>;

/** The dotted field path of an io-ts error: the property keys, without intersection indexes. */
function fieldOf(context: t.Context): string {
  const keys: string[] = [];
  for (let i = 1; i < context.length; i++) {
    let parent: t.Decoder<unknown, unknown> = context[i - 1].type;
    while (parent instanceof t.ExactType) parent = parent.type;
    if (!(parent instanceof t.IntersectionType)) keys.push(context[i].key);
  }
  return keys.length === 0 ? BODY_FIELD : keys.join(".");
}

/**
 * One io-ts error as a `FieldError`: the dotted field, and the failed rule's message, prefixed with
 * "is required" when the value is absent.
 */
function toFieldError(error: t.ValidationError): FieldError {
  const failed = error.context[error.context.length - 1];
  const message =
    error.value === undefined ? `${MESSAGES.required}; it ${failed.type.name}` : failed.type.name;
  return { field: fieldOf(error.context), message };
}

/** Properties the contract does not accept; io-ts `exact` would strip them silently. */
function unknownProperties(body: Record<string, unknown>): FieldError[] {
  const accepted: readonly string[] = CONTRACT_FIELDS;
  const locationFields: readonly string[] = LOCATION_FIELDS;
  const errors: FieldError[] = Object.keys(body)
    .filter((key) => !accepted.includes(key))
    .map((key) => ({ field: key, message: MESSAGES.unknown }));
  const location = body.location;
  if (isPlainObject(location)) {
    for (const key of Object.keys(location)) {
      if (!locationFields.includes(key))
        errors.push({ field: `location.${key}`, message: MESSAGES.unknownInLocation });
    }
  }
  return errors;
}

/** {@link unknownProperties} is not empty; without building it. */
function hasUnknownProperties(body: Record<string, unknown>): boolean {
  const accepted: readonly string[] = CONTRACT_FIELDS;
  const locationFields: readonly string[] = LOCATION_FIELDS;
  for (const key of Object.keys(body)) if (!accepted.includes(key)) return true;
  const location = body.location;
  if (!isPlainObject(location)) return false;
  for (const key of Object.keys(location)) if (!locationFields.includes(key)) return true;
  return false;
}

/**
 * Decodes an untrusted value (a parsed request body, an unmarshalled stream image) into a
 * `Transaction`, reporting every offending field with what would be valid. Does not check the
 * recency window: see `checkEventTime`.
 *
 * @example
 * const result = decodeTransaction(codec, { transaction_id: "tx-1", amount: 0 });
 * // { ok: false, errors: [{ field: "account_id", message: "is required; ..." },
 * //   { field: "amount", message: "must be an integer between 1 and 100000000000 (minor units)" }, ...] }
 */
function decodeTransaction(codec: TransactionCodec, input: unknown): DecodeResult {
  if (!isPlainObject(input)) return { ok: false, errors: [{ field: BODY_FIELD, message: MESSAGES.body }] };
  // A valid body (the common case) passes `is`, which builds none of decode's contexts; io-ts then
  // decodes it to the very same object, as nothing is stripped once no property is unknown.
  if (codec.is(input) && !hasUnknownProperties(input)) return { ok: true, value: input };
  const decoded = codec.decode(input);
  const errors = decoded._tag === "Left" ? decoded.left.map(toFieldError) : [];
  errors.push(...unknownProperties(input));
  if (decoded._tag === "Left" || errors.length > 0) return { ok: false, errors };
  return { ok: true, value: decoded.right };
}

/**
 * The `FieldError` for a time field found more than `LIMITS.maxFutureSkewMs` ahead of `now`, worded
 * once for every contract that bounds a client's clock.
 *
 * @example
 * if (outcome.reported_at > now + LIMITS.maxFutureSkewMs) errors.push(aheadOfClock("reported_at", now));
 */
function aheadOfClock(field: string, now: number): FieldError {
  const minutes = LIMITS.maxFutureSkewMs / MS_PER_MINUTE;
  const message = `must not be more than ${minutes} minutes ahead of the server clock (now ${now}, epoch milliseconds)`;
  return { field, message };
}

/**
 * The recency window of event times that process-transaction accepts: at most
 * `LIMITS.maxFutureSkewMs` ahead of `now` and at most `LIMITS.maxAgeMs` behind it, both inclusive.
 * Kept apart from decoding because the stream reader and the backtest decode old transactions.
 *
 * @example
 * const errors = checkEventTime(tx, Date.now()); // [] when tx.timestamp is recent
 */
function checkEventTime(tx: Pick<Transaction, "timestamp">, now: number): FieldError[] {
  if (tx.timestamp > now + LIMITS.maxFutureSkewMs) return [aheadOfClock("timestamp", now)];
  if (tx.timestamp < now - LIMITS.maxAgeMs) {
    const days = LIMITS.maxAgeMs / MS_PER_DAY;
    const message = `must not be more than ${days} days behind the server clock (now ${now}, epoch milliseconds)`;
    return [{ field: "timestamp", message }];
  }
  return [];
}

export type { DecodeResult, FieldError, TransactionCodec };
export {
  aheadOfClock,
  BODY_FIELD,
  boundedInteger,
  checkEventTime,
  decodeTransaction,
  isPlainObject,
  MESSAGES as FIELD_MESSAGES,
  makeTransactionCodec,
  patternString,
  rule,
  toFieldError,
};
