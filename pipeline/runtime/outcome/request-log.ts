/**
 * The one structured log line record-outcome writes per request: the request and transaction ids,
 * the status, what happened and the names of offending fields. Never the outcome, its source or
 * times, nor an error's message (a storage error's message can quote item values).
 */

import { errorNames } from "../api-request";
import type { FieldError } from "../contract/codec";
import { OUTCOME_FIELDS } from "../contract/outcome-codec";
import type { Log } from "../ports";
import { UNKNOWN_PROPERTY } from "../process/request-log";

/** Value of `result` in the request log line. */
const REQUEST_RESULTS = {
  recorded: "recorded",
  duplicate: "duplicate",
  conflict: "conflict",
  notFound: "not_found",
  invalidRequest: "invalid_request",
  payloadTooLarge: "payload_too_large",
  storageUnavailable: "storage_unavailable",
  internalError: "internal_error",
} as const;

type RequestResult = (typeof REQUEST_RESULTS)[keyof typeof REQUEST_RESULTS];

const LOGGABLE_FIELDS: readonly string[] = [...OUTCOME_FIELDS, "body"];

/** What happened to one request, as the handler saw it. */
interface OutcomeRequestRecord {
  readonly requestId: string;
  readonly status: number;
  readonly result: RequestResult;
  readonly latencyMs: number;
  /** Present once the body decoded; the only id of the body that is logged. */
  readonly transactionId?: string;
  readonly fieldErrors?: readonly FieldError[];
  readonly error?: unknown;
}

/**
 * Writes the request's log line: `info` for 2xx, `warn` for client errors and throttling,
 * `error` for 500.
 *
 * @example
 * writeOutcomeRequestLog(log, { requestId: "req-1", status: 201, result: "recorded", latencyMs: 9, transactionId: "tx-1" });
 * // log.info("request", { request_id: "req-1", transaction_id: "tx-1", status: 201, result: "recorded", latency_ms: 9 })
 */
function writeOutcomeRequestLog(log: Log, record: OutcomeRequestRecord): void {
  const fields = record.fieldErrors?.map((e) =>
    LOGGABLE_FIELDS.includes(e.field) ? e.field : UNKNOWN_PROPERTY,
  );
  const attributes: Record<string, unknown> = {
    request_id: record.requestId,
    ...(record.transactionId !== undefined && { transaction_id: record.transactionId }),
    status: record.status,
    result: record.result,
    latency_ms: record.latencyMs,
    ...(fields && { error_fields: [...new Set(fields)] }),
    ...(record.error !== undefined && errorNames(record.error)),
  };
  if (record.status >= 500 && record.status !== 503) log.error("request", attributes);
  else if (record.status >= 400) log.warn("request", attributes);
  else log.info("request", attributes);
}

export type { OutcomeRequestRecord, RequestResult };
export { REQUEST_RESULTS, writeOutcomeRequestLog };
