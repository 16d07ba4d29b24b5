/**
 * Errors the runtime maps to outcomes.
 *
 * Why factories and not `class X extends Error`: Pulumi's closure serializer rewrites a class
 * constructor into `__super.call(this, ...)`, and calling the native `Error` that way drops
 * `message` and `stack` in the shipped artifact (verified). Errors are therefore real `Error`
 * instances tagged with `name`, built by these functions and recognised by `isRuntimeError`.
 */

/** Names of the errors the core knows how to map. */
export const ERROR_NAMES = {
  storageThrottled: "StorageThrottledError",
  configuration: "ConfigurationError",
  malformedRecord: "MalformedRecordError",
} as const;

export type RuntimeErrorName = (typeof ERROR_NAMES)[keyof typeof ERROR_NAMES];

/** An `Error` whose `name` is one of {@link ERROR_NAMES}. */
export type RuntimeError = Error & { readonly name: RuntimeErrorName };

/**
 * Builds a tagged runtime error, passing the cause through.
 *
 * @example
 * throw runtimeError(ERROR_NAMES.storageThrottled, "DynamoDB throttled PutItem", { cause: err });
 */
function runtimeError(name: RuntimeErrorName, message: string, options?: { cause?: unknown }): RuntimeError {
  const error = new Error(message, options) as Error & { name: RuntimeErrorName };
  error.name = name;
  return error;
}

/**
 * True when `error` is a runtime error with the given name.
 *
 * @example
 * if (isRuntimeError(err, ERROR_NAMES.storageThrottled)) return serviceUnavailable();
 */
function isRuntimeError(error: unknown, name: RuntimeErrorName): error is RuntimeError {
  return error instanceof Error && error.name === name;
}

/** What a log line says about a failed call: the AWS error's name and HTTP status, when known. */
interface ErrorCode {
  readonly errorName?: string;
  readonly httpStatusCode?: number;
}

/** How deep {@link errorCode} follows `cause`: adapters wrap an SDK error once or twice at most. */
const MAX_CAUSE_DEPTH = 5;

/**
 * The code of the AWS error behind `error`, for logs: the first error along its `cause` chain that
 * carries SDK metadata (`$metadata`) gives its `name` (e.g. `AccessDeniedException`,
 * `KMS.DisabledException`) and HTTP status; without one, the outer error's name.
 *
 * @example
 * errorCode(runtimeError(ERROR_NAMES.storageThrottled, "retry later", { cause: throttled }));
 * // { errorName: "ThrottlingException", httpStatusCode: 400 }
 */
function errorCode(error: unknown): ErrorCode {
  let current: unknown = error;
  for (let depth = 0; depth < MAX_CAUSE_DEPTH && current instanceof Error; depth++) {
    const metadata = (current as { $metadata?: { httpStatusCode?: unknown } }).$metadata;
    if (metadata !== undefined) {
      const status = metadata.httpStatusCode;
      return { errorName: current.name, ...(typeof status === "number" && { httpStatusCode: status }) };
    }
    current = current.cause;
  }
  return error instanceof Error ? { errorName: error.name } : {};
}

export type { ErrorCode };
export { errorCode, isRuntimeError, runtimeError };
