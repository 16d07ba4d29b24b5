/**
 * Every response process-transaction can return: JSON bodies with `content-type: application/json`.
 * Error bodies start with `error`, `message`, `request_id`, the same keys as the API Gateway
 * BAD_REQUEST_BODY gateway response, so a client reads one shape whichever layer refused it.
 */
import type { APIGatewayProxyResult } from "aws-lambda";
import type { FieldError } from "../contract/codec";
import type { TransactionKey } from "../contract/transaction";

/** Value of `error` in error bodies. */
const ERROR_CODES = {
  invalidRequest: "invalid_request",
  payloadTooLarge: "payload_too_large",
  conflict: "conflict",
  storageUnavailable: "storage_unavailable",
  internal: "internal_error",
} as const;

/** Seconds a client should wait before retrying after a 503. */
const RETRY_AFTER_SECONDS = 1;

/**
 * A JSON response with `content-type: application/json` (and any extra headers).
 *
 * @example
 * json(404, { error: "not_found", message, request_id: requestId });
 */
function json(statusCode: number, body: object, headers: Record<string, string> = {}): APIGatewayProxyResult {
  return {
    statusCode,
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  };
}

/**
 * 201: the transaction was stored.
 *
 * @example
 * accepted({ transaction_id: "tx-1", timestamp: 1764072000000 }); // statusCode 201, status "accepted"
 */
function accepted(key: TransactionKey): APIGatewayProxyResult {
  return json(201, { transaction_id: key.transaction_id, timestamp: key.timestamp, status: "accepted" });
}

/**
 * 200: an exact retry of a transaction already stored; nothing new was created.
 *
 * @example
 * duplicate({ transaction_id: "tx-1", timestamp: 1764072000000 }); // statusCode 200, status "duplicate"
 */
function duplicate(key: TransactionKey): APIGatewayProxyResult {
  return json(200, { transaction_id: key.transaction_id, timestamp: key.timestamp, status: "duplicate" });
}

/**
 * 409: the key is taken by a transaction with a different body.
 *
 * @example
 * conflict({ transaction_id: "tx-1", timestamp: 1764072000000 }, "req-1");
 */
function conflict(key: TransactionKey, requestId: string): APIGatewayProxyResult {
  return json(409, {
    error: ERROR_CODES.conflict,
    message: `Transaction ${key.transaction_id} with timestamp ${key.timestamp} was already accepted with a different body; send a different transaction_id for a different transaction.`,
    request_id: requestId,
    transaction_id: key.transaction_id,
    timestamp: key.timestamp,
  });
}

/**
 * 409: the transaction id is already stored with a different timestamp. A retry must resend the
 * original timestamp; a different transaction needs its own id.
 *
 * @example
 * idTaken({ transaction_id: "tx-1", timestamp: 1764072000000 }, "req-1");
 */
function idTaken(key: TransactionKey, requestId: string): APIGatewayProxyResult {
  return json(409, {
    error: ERROR_CODES.conflict,
    message: `Transaction ${key.transaction_id} was already accepted with a different timestamp; retry with the original timestamp, or send a different transaction_id for a different transaction.`,
    request_id: requestId,
    transaction_id: key.transaction_id,
    timestamp: key.timestamp,
  });
}

/**
 * 400: names every offending field and what would be valid.
 *
 * @example
 * invalidRequest([{ field: "amount", message: "must be an integer ..." }], "req-1");
 */
function invalidRequest(fields: readonly FieldError[], requestId: string): APIGatewayProxyResult {
  // Quoted, so a property named "" or containing ", " still reads as one name.
  const names = [...new Set(fields.map((f) => JSON.stringify(f.field)))].join(", ");
  return json(400, {
    error: ERROR_CODES.invalidRequest,
    message: `The request body has invalid fields: ${names} (each entry of "fields" says what is valid).`,
    request_id: requestId,
    fields,
  });
}

/**
 * 413: the body is larger than the limit; it was not parsed.
 *
 * @example
 * payloadTooLarge(16384, "req-1");
 */
function payloadTooLarge(maxBytes: number, requestId: string): APIGatewayProxyResult {
  return json(413, {
    error: ERROR_CODES.payloadTooLarge,
    message: `The request body must be at most ${maxBytes} bytes.`,
    request_id: requestId,
  });
}

/**
 * 503 with `Retry-After`: storage throttled or failed transiently; a retry is safe.
 *
 * @example
 * storageUnavailable("req-1"); // headers["Retry-After"] === "1"
 */
function storageUnavailable(requestId: string): APIGatewayProxyResult {
  return json(
    503,
    {
      error: ERROR_CODES.storageUnavailable,
      message: `Storage is temporarily unavailable; retry the same request after ${RETRY_AFTER_SECONDS} second(s).`,
      request_id: requestId,
    },
    { "Retry-After": String(RETRY_AFTER_SECONDS) },
  );
}

/**
 * 500: something failed on our side. Says nothing about the payload or the cause.
 *
 * @example
 * internalError("req-1");
 */
function internalError(requestId: string): APIGatewayProxyResult {
  return json(500, {
    error: ERROR_CODES.internal,
    message:
      "An internal error occurred and the transaction may not have been stored; retrying the same request is safe.",
    request_id: requestId,
  });
}

export {
  accepted,
  conflict,
  duplicate,
  ERROR_CODES,
  idTaken,
  internalError,
  invalidRequest,
  json,
  payloadTooLarge,
  RETRY_AFTER_SECONDS,
  storageUnavailable,
};
