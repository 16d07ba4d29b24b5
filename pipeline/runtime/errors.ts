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

export { isRuntimeError, runtimeError };
