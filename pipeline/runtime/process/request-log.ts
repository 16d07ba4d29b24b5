/**
 * The one structured log line process-transaction writes per request. It carries ids, the outcome
 * and field names; never amounts, locations, payloads or error messages (a storage error's message
 * can quote item values).
 */

import { errorNames } from "../api-request";
import type { FieldError } from "../contract/codec";
import { CONTRACT_FIELDS } from "../contract/item";
import type { Transaction } from "../contract/transaction";
import type { Log } from "../ports";

/** Value of `outcome` in the request log line. */
const OUTCOMES = {
  accepted: "accepted",
  duplicate: "duplicate",
  conflict: "conflict",
  invalidRequest: "invalid_request",
  payloadTooLarge: "payload_too_large",
  storageUnavailable: "storage_unavailable",
  internalError: "internal_error",
} as const;

type Outcome = (typeof OUTCOMES)[keyof typeof OUTCOMES];

/** Logged in place of a property name the contract does not know: the name itself is client data. */
const UNKNOWN_PROPERTY = "(unknown property)";

const LOGGABLE_FIELDS: readonly string[] = [
  ...CONTRACT_FIELDS,
  "body",
  "location.latitude",
  "location.longitude",
];

/** What happened to one request, as the handler saw it. */
interface RequestRecord {
  readonly requestId: string;
  readonly status: number;
  readonly outcome: Outcome;
  readonly latencyMs: number;
  /** Present once the body decoded; only its ids are logged. */
  readonly tx?: Transaction;
  readonly fieldErrors?: readonly FieldError[];
  readonly error?: unknown;
}

/** Field names of the errors, with names the contract does not define replaced by a placeholder. */
function loggableFields(errors: readonly FieldError[]): string[] {
  const names = errors.map((e) => (LOGGABLE_FIELDS.includes(e.field) ? e.field : UNKNOWN_PROPERTY));
  return [...new Set(names)];
}

/**
 * Writes the request's log line: `info` for 2xx, `warn` for client errors and throttling,
 * `error` for 500.
 *
 * @example
 * writeRequestLog(log, { requestId: "req-1", status: 201, outcome: OUTCOMES.accepted, latencyMs: 12, tx });
 * // log.info("request", { request_id: "req-1", transaction_id: "tx-1", account_id: "acc-1", status: 201, ... })
 */
function writeRequestLog(log: Log, record: RequestRecord): void {
  const attributes: Record<string, unknown> = {
    request_id: record.requestId,
    ...(record.tx && { transaction_id: record.tx.transaction_id, account_id: record.tx.account_id }),
    status: record.status,
    outcome: record.outcome,
    latency_ms: record.latencyMs,
    ...(record.fieldErrors && { error_fields: loggableFields(record.fieldErrors) }),
    ...(record.error !== undefined && errorNames(record.error)),
  };
  if (record.status >= 500 && record.status !== 503) log.error("request", attributes);
  else if (record.status >= 400) log.warn("request", attributes);
  else log.info("request", attributes);
}

export type { Outcome, RequestRecord };
export { OUTCOMES, UNKNOWN_PROPERTY, writeRequestLog };
