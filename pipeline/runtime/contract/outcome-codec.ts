/**
 * The outcome contract as an io-ts codec, and its decoder with the transaction codec's `FieldError`
 * shape. States the same rules as outcome-schema.ts; the contract test feeds both the same bodies
 * and demands that they agree. Built by `makeOutcomeCodec`, never at module scope (see codec.ts).
 */
import * as t from "io-ts";
import {
  aheadOfClock,
  BODY_FIELD,
  boundedInteger,
  FIELD_MESSAGES,
  type FieldError,
  isPlainObject,
  patternString,
  rule,
  toFieldError,
} from "./codec";
import { OUTCOME_SOURCES, OUTCOMES, type Outcome, type OutcomeName, type OutcomeSource } from "./outcome";
import { LIMITS } from "./transaction";

/** Every property of the body, in the order the contract lists them. */
const OUTCOME_FIELDS = ["transaction_id", "timestamp", "outcome", "source", "reported_at"] as const;

type OutcomeDecodeResult =
  | { readonly ok: true; readonly value: Outcome }
  | { readonly ok: false; readonly errors: FieldError[] };

const OUTCOME_NAMES: readonly string[] = Object.values(OUTCOMES);
const SOURCES: readonly string[] = OUTCOME_SOURCES;

const MESSAGES = {
  outcome: `must be one of ${OUTCOME_NAMES.join(", ")}`,
  source: `must be one of ${SOURCES.join(", ")}`,
  reportedAt: FIELD_MESSAGES.timestamp,
  unknown: `is not an accepted property (accepted: ${OUTCOME_FIELDS.join(", ")})`,
} as const;

/**
 * Builds the io-ts codec of the outcome contract. Call it in a factory, once per cold start.
 *
 * @example
 * const codec = makeOutcomeCodec();
 * const result = decodeOutcome(codec, JSON.parse(body));
 */
function makeOutcomeCodec() {
  const epochMs = (message: string) => boundedInteger(message, LIMITS.timestampMin, LIMITS.timestampMax);
  const required = t.type({
    transaction_id: patternString(FIELD_MESSAGES.id, LIMITS.idPattern),
    timestamp: epochMs(FIELD_MESSAGES.timestamp),
    outcome: rule(
      MESSAGES.outcome,
      (u): u is OutcomeName => typeof u === "string" && OUTCOME_NAMES.includes(u),
    ),
    source: rule(MESSAGES.source, (u): u is OutcomeSource => typeof u === "string" && SOURCES.includes(u)),
  });
  const optional = t.partial({ reported_at: epochMs(MESSAGES.reportedAt) });
  return t.exact(t.intersection([required, optional]), "Outcome");
}

type OutcomeCodec = ReturnType<typeof makeOutcomeCodec>;

/**
 * Decodes an untrusted value (a parsed request body) into an `Outcome`, reporting every offending
 * field with what would be valid, properties the contract does not accept included. Does not
 * compare `reported_at` with the clock: see `checkReportedAt`.
 *
 * @example
 * const result = decodeOutcome(codec, { transaction_id: "tx-1", outcome: "stolen" });
 * // { ok: false, errors: [{ field: "timestamp", message: "is required; ..." },
 * //   { field: "outcome", message: "must be one of fraud, legitimate" }, ...] }
 */
function decodeOutcome(codec: OutcomeCodec, input: unknown): OutcomeDecodeResult {
  if (!isPlainObject(input))
    return { ok: false, errors: [{ field: BODY_FIELD, message: FIELD_MESSAGES.body }] };
  const accepted: readonly string[] = OUTCOME_FIELDS;
  const decoded = codec.decode(input);
  const errors = decoded._tag === "Left" ? decoded.left.map(toFieldError) : [];
  for (const key of Object.keys(input)) {
    if (!accepted.includes(key)) errors.push({ field: key, message: MESSAGES.unknown });
  }
  if (decoded._tag === "Left" || errors.length > 0) return { ok: false, errors };
  return { ok: true, value: decoded.right };
}

/**
 * `reported_at` against the server clock: any past time is accepted (outcomes arrive weeks after
 * the fact), a time more than `LIMITS.maxFutureSkewMs` ahead of `now` is not.
 *
 * @example
 * checkReportedAt({ ...outcome, reported_at: Date.now() + 3_600_000 }, Date.now()); // [{ field: "reported_at", ... }]
 */
function checkReportedAt(outcome: Pick<Outcome, "reported_at">, now: number): FieldError[] {
  const reportedAt = outcome.reported_at;
  return reportedAt !== undefined && reportedAt > now + LIMITS.maxFutureSkewMs
    ? [aheadOfClock("reported_at", now)]
    : [];
}

export type { OutcomeCodec, OutcomeDecodeResult };
export { checkReportedAt, decodeOutcome, makeOutcomeCodec, OUTCOME_FIELDS };
