/**
 * How DynamoDB failures are classified for the core: a failed condition is an expected outcome
 * (the adapters turn it into `duplicate`, `already-notified`, ...), throttling and server-side
 * failures become a `StorageThrottledError` the handlers map to "retry later", anything else
 * propagates unchanged.
 */
import type { AttributeValue, CancellationReason } from "@aws-sdk/client-dynamodb";
import { ERROR_NAMES, runtimeError } from "../errors";

/**
 * Exception names DynamoDB (and the SDK's HTTP layer) use for "try again later". Compared by
 * name, not `instanceof`, so errors from another copy of the SDK are recognised too.
 */
const TRANSIENT_ERROR_NAMES: readonly string[] = [
  "ProvisionedThroughputExceededException",
  "ThrottlingException",
  "RequestLimitExceeded",
  "InternalServerError",
  "TimeoutError",
];

/** Node socket errors the SDK gives up on after its retries: the network, not the request, failed. */
const TRANSIENT_NETWORK_CODES: readonly string[] = [
  "ECONNRESET",
  "ECONNREFUSED",
  "ETIMEDOUT",
  "EPIPE",
  "EAI_AGAIN",
  "ENOTFOUND",
];

interface SdkErrorShape {
  readonly name?: unknown;
  readonly code?: unknown;
  readonly $metadata?: { readonly httpStatusCode?: number };
  readonly Item?: Record<string, AttributeValue>;
}

/**
 * True when `error` is DynamoDB's ConditionalCheckFailedException.
 *
 * @example
 * if (isConditionalCheckFailed(err)) return PUT_OUTCOMES.duplicate;
 */
function isConditionalCheckFailed(error: unknown): error is Error & SdkErrorShape {
  return error instanceof Error && error.name === "ConditionalCheckFailedException";
}

/** A cancelled transaction, as TransactWriteItems reports it: one reason per item, in order. */
interface CanceledTransaction extends Error {
  readonly CancellationReasons?: readonly CancellationReason[];
}

/** Cancellation reasons that mean "try again later" rather than "your request is wrong". */
const TRANSIENT_CANCELLATION_CODES: readonly string[] = [
  "TransactionConflict",
  "ThrottlingError",
  "ProvisionedThroughputExceeded",
];

/**
 * True when `error` is DynamoDB's TransactionCanceledException (compared by name, so another
 * copy of the SDK's error is recognised).
 *
 * @example
 * if (isTransactionCanceled(err)) codes = err.CancellationReasons?.map((r) => r.Code);
 */
function isTransactionCanceled(error: unknown): error is CanceledTransaction {
  return error instanceof Error && error.name === "TransactionCanceledException";
}

/**
 * A `StorageThrottledError` for a cancelled transaction when one of its reasons is transient (a
 * concurrent transaction on the same item, throttling), else `undefined`.
 *
 * @example
 * const transient = transientCancellation(err, tableName); if (transient) throw transient;
 */
function transientCancellation(error: CanceledTransaction, tableName: string): Error | undefined {
  const codes = (error.CancellationReasons ?? []).map((reason) => reason.Code ?? "");
  if (!codes.some((code) => TRANSIENT_CANCELLATION_CODES.includes(code))) return undefined;
  return runtimeError(
    ERROR_NAMES.storageThrottled,
    `DynamoDB TransactWriteItems on table ${tableName} was cancelled (${codes.join(", ")}); retry later`,
    { cause: error },
  );
}

/**
 * True when `error` means DynamoDB throttled the request, failed on its side (HTTP 5xx), or could
 * not be reached.
 *
 * @example
 * isTransient(new ThrottlingException({ $metadata: {}, message: "slow down" })); // true
 */
function isTransient(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const { $metadata, code } = error as SdkErrorShape;
  const status = $metadata?.httpStatusCode;
  return (
    TRANSIENT_ERROR_NAMES.includes(error.name) ||
    (typeof status === "number" && status >= 500) ||
    (typeof code === "string" && TRANSIENT_NETWORK_CODES.includes(code))
  );
}

/**
 * The error to throw for a failed DynamoDB call: a `StorageThrottledError` (cause attached)
 * when the failure is transient, otherwise the original error.
 *
 * @example
 * try { await client.send(command); } catch (err) { throw storageError(err, "PutItem", tableName); }
 */
function storageError(error: unknown, operation: string, tableName: string): unknown {
  if (!isTransient(error)) return error;
  const reason = error instanceof Error ? error.name : "unknown error";
  return runtimeError(
    ERROR_NAMES.storageThrottled,
    `DynamoDB ${operation} on table ${tableName} throttled or failed transiently (${reason}); retry later`,
    { cause: error },
  );
}

export type { CanceledTransaction };
export { isConditionalCheckFailed, isTransactionCanceled, storageError, transientCancellation };
