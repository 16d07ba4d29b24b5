/**
 * A Lambda `Context` for handlers invoked by the local runner: the fields Powertools and our
 * handlers read, with the function's local physical name and a fresh request id per invoke.
 */
import { randomUUID } from "node:crypto";
import type { Context } from "aws-lambda";

/** Account id used in every locally built ARN. */
const LOCAL_ACCOUNT = "000000000000";
const LOCAL_REGION = "us-east-1";

/** One log stream per function, as one execution environment writes to one. */
const logStreams = new Map<string, string>();

function logStreamOf(functionName: string): string {
  let stream = logStreams.get(functionName);
  if (stream === undefined) {
    stream = `local/[$LATEST]${randomUUID().replace(/-/g, "")}`;
    logStreams.set(functionName, stream);
  }
  return stream;
}

/**
 * Builds the context of one invocation; `timeoutMs` drives `getRemainingTimeInMillis`.
 *
 * @example
 * await handler(event, lambdaContext("lambda-detect-fraud-local", 60_000));
 */
function lambdaContext(functionName: string, timeoutMs: number): Context {
  const deadline = Date.now() + timeoutMs;
  const unsupported = () => {
    throw new Error("callback-style completion is not supported: handlers return a promise");
  };
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: "$LATEST",
    invokedFunctionArn: `arn:aws:lambda:${LOCAL_REGION}:${LOCAL_ACCOUNT}:function:${functionName}`,
    memoryLimitInMB: "512",
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: logStreamOf(functionName),
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: unsupported,
    fail: unsupported,
    succeed: unsupported,
  };
}

export { LOCAL_ACCOUNT, LOCAL_REGION, lambdaContext };
