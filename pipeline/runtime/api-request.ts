/** What the two API handlers (process-transaction, record-outcome) share about a request. */
import type { APIGatewayProxyEvent, Context } from "aws-lambda";

/**
 * API Gateway's request id: the one its access log, its own 400/403 bodies and the client's
 * `x-amzn-RequestId` header carry. Lambda's id (in every Powertools log line) is the fallback.
 *
 * @example
 * const requestId = requestIdOf(event, context);
 */
function requestIdOf(event: APIGatewayProxyEvent, context: Context): string {
  return event?.requestContext?.requestId || context?.awsRequestId || "unknown";
}

/**
 * The names of an error and its cause for a log line: the class of failure (a throttle, an AWS
 * error code), never the message, which may echo input.
 *
 * @example
 * log.error("Request failed", { ...errorNames(error) }); // { error_name: "StorageThrottledError", cause_name: "ThrottlingException" }
 */
function errorNames(error: unknown): Record<string, string> {
  if (!(error instanceof Error)) return { error_name: typeof error };
  const cause = error.cause;
  return cause instanceof Error
    ? { error_name: error.name, cause_name: cause.name }
    : { error_name: error.name };
}

export { errorNames, requestIdOf };
