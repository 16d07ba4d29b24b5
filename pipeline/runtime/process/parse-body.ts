/**
 * Reads the JSON body of an API Gateway proxy event: base64 decoding, the size limit in bytes, and
 * JSON parsing. Nothing here knows the transaction contract.
 */
import type { APIGatewayProxyEvent } from "aws-lambda";

/** Why a body could not be read. */
const BODY_PROBLEMS = {
  missing: "missing",
  tooLarge: "too_large",
  invalidEncoding: "invalid_encoding",
  invalidJson: "invalid_json",
} as const;

type BodyProblem = (typeof BODY_PROBLEMS)[keyof typeof BODY_PROBLEMS];

type BodyResult =
  | { readonly ok: true; readonly value: unknown }
  | { readonly ok: false; readonly problem: BodyProblem };

/** The body as text, or the problem; sizes are counted in bytes of the body as sent. */
function bodyText(event: Pick<APIGatewayProxyEvent, "body" | "isBase64Encoded">, maxBytes: number) {
  const raw = event.body;
  if (raw === null || raw === undefined || raw === "")
    return { ok: false, problem: BODY_PROBLEMS.missing } as const;
  if (!event.isBase64Encoded) {
    if (Buffer.byteLength(raw, "utf8") > maxBytes)
      return { ok: false, problem: BODY_PROBLEMS.tooLarge } as const;
    return { ok: true, text: raw } as const;
  }
  const bytes = Buffer.from(raw, "base64");
  if (bytes.length === 0) return { ok: false, problem: BODY_PROBLEMS.missing } as const;
  if (bytes.length > maxBytes) return { ok: false, problem: BODY_PROBLEMS.tooLarge } as const;
  try {
    return { ok: true, text: new TextDecoder("utf-8", { fatal: true }).decode(bytes) } as const;
  } catch {
    return { ok: false, problem: BODY_PROBLEMS.invalidEncoding } as const;
  }
}

/**
 * Parses the event's body as JSON after decoding base64 and refusing bodies over `maxBytes`
 * (checked before parsing, so an oversized body costs no parse).
 *
 * @example
 * const body = readJsonBody(event, LIMITS.maxBodyBytes);
 * if (!body.ok && body.problem === BODY_PROBLEMS.tooLarge) return payloadTooLarge(requestId);
 */
function readJsonBody(
  event: Pick<APIGatewayProxyEvent, "body" | "isBase64Encoded">,
  maxBytes: number,
): BodyResult {
  const text = bodyText(event, maxBytes);
  if (!text.ok) return text;
  try {
    return { ok: true, value: JSON.parse(text.text) };
  } catch {
    return { ok: false, problem: BODY_PROBLEMS.invalidJson };
  }
}

export type { BodyProblem, BodyResult };
export { BODY_PROBLEMS, readJsonBody };
