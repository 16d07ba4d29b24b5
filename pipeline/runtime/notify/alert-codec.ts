/**
 * io-ts codec for a fraud-alerts message body. detect-fraud writes these messages, but the
 * queue is a trust boundary (redrives, manual sends), and the formatter needs ids that are safe
 * in an email subject, so notify-team decodes before it formats.
 */
import * as t from "io-ts";
import { type FraudAlert, LIMITS } from "../contract/transaction";

/** Result of decoding one message body. `errors` name fields and expectations, never values. */
type AlertDecodeResult =
  | { readonly ok: true; readonly value: FraudAlert }
  | { readonly ok: false; readonly errors: string[] };

interface AlertCodec {
  decode(input: unknown): AlertDecodeResult;
}

/** "rules.0.reason: expected non-empty string" for one io-ts validation error. */
function describeError(error: t.ValidationError): string {
  const path = error.context
    .map((entry) => entry.key)
    .filter((key) => key !== "")
    .join(".");
  const expected = error.context[error.context.length - 1]?.type.name ?? "a valid value";
  return `${path === "" ? "body" : path}: expected ${expected}`;
}

/**
 * Builds the FraudAlert codec. Call it inside a function factory, never at module scope: an
 * io-ts codec captured by a serialized closure loses its methods (docs/design.md, closure rule 2).
 *
 * @example
 * const codec = makeAlertCodec();
 * const result = codec.decode(JSON.parse(record.body));
 * if (!result.ok) log.warn("Malformed alert", { messageId, errors: result.errors });
 */
function makeAlertCodec(): AlertCodec {
  // A primitive accepted when `is` holds, named for the error message (io-ts reports the name).
  const refine = <A>(name: string, is: (u: unknown) => u is A) =>
    new t.Type<A, A, unknown>(name, is, (u, c) => (is(u) ? t.success(u) : t.failure(u, c)), t.identity);
  const matching = (name: string, source: string) => {
    // `u`: quantifiers count code points, as the transaction contract counts `merchant_id`
    // (64 emoji are a valid merchant id; without `u` they are 128 units and the alert would be
    // rejected here, retried and dead-lettered without anyone being notified).
    const pattern = new RegExp(source, "u");
    return refine(name, (u): u is string => typeof u === "string" && pattern.test(u));
  };
  const integerIn = (name: string, min: number, max: number) =>
    refine(name, (u): u is number => Number.isSafeInteger(u) && (u as number) >= min && (u as number) <= max);
  const finite = refine("finite number", (u): u is number => typeof u === "number" && Number.isFinite(u));
  const epochMs = integerIn("epoch milliseconds (non-negative integer)", 0, Number.MAX_SAFE_INTEGER);
  const id = matching(`string matching ${LIMITS.idPattern}`, LIMITS.idPattern);
  const nonEmpty = matching("non-empty string", "\\S");

  const ruleHit = t.strict({ rule: nonEmpty, score: finite, reason: nonEmpty });
  const alert = t.strict({
    transaction_id: id,
    account_id: id,
    timestamp: epochMs,
    amount: integerIn(`integer ${LIMITS.amountMin}..${LIMITS.amountMax}`, LIMITS.amountMin, LIMITS.amountMax),
    currency: matching(`string matching ${LIMITS.currencyPattern}`, LIMITS.currencyPattern),
    merchant_id: matching(
      `string of 1..${LIMITS.merchantIdMaxLength} characters`,
      `^[\\s\\S]{1,${LIMITS.merchantIdMaxLength}}$`,
    ),
    score: finite,
    rules: t.array(ruleHit),
    // May be absent, so that alerts queued before reasons existed still notify after a deploy.
    reasons: t.union([t.array(nonEmpty), t.undefined]),
    detected_at: epochMs,
  });

  return {
    decode(input) {
      const result = alert.decode(input);
      return result._tag === "Right"
        ? { ok: true, value: { ...result.right, reasons: result.right.reasons ?? [] } }
        : { ok: false, errors: result.left.map(describeError) };
    },
  };
}

export type { AlertCodec, AlertDecodeResult };
export { makeAlertCodec };
