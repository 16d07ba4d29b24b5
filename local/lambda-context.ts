/**
 * A Lambda `Context` for handlers invoked by the local runner: the fields Powertools and our
 * handlers read, with the function's local physical name and a fresh request id per invoke.
 */
import { randomUUID } from "node:crypto";
import type { Context } from "aws-lambda";

/** Account id used in every locally built ARN. */
const LOCAL_ACCOUNT = "000000000000";
const LOCAL_REGION = "us-east-1";

/** What every invocation of one function shares: its names, ARN and log stream. */
interface FunctionIdentity {
  readonly invokedFunctionArn: string;
  readonly logGroupName: string;
  /** One log stream per function, as one execution environment writes to one. */
  readonly logStreamName: string;
}

const identities = new Map<string, FunctionIdentity>();

function identityOf(functionName: string): FunctionIdentity {
  let identity = identities.get(functionName);
  if (identity === undefined) {
    identity = {
      invokedFunctionArn: `arn:aws:lambda:${LOCAL_REGION}:${LOCAL_ACCOUNT}:function:${functionName}`,
      logGroupName: `/aws/lambda/${functionName}`,
      logStreamName: `local/[$LATEST]${randomUUID().replace(/-/g, "")}`,
    };
    identities.set(functionName, identity);
  }
  return identity;
}

function unsupported(): never {
  throw new Error("callback-style completion is not supported: handlers return a promise");
}

/**
 * Builds the context of one invocation; `timeoutMs` drives `getRemainingTimeInMillis`.
 *
 * @example
 * await handler(event, lambdaContext("lambda-detect-fraud-local", 60_000));
 */
function lambdaContext(functionName: string, timeoutMs: number): Context {
  const deadline = Date.now() + timeoutMs;
  const identity = identityOf(functionName);
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: "$LATEST",
    invokedFunctionArn: identity.invokedFunctionArn,
    memoryLimitInMB: "512",
    awsRequestId: randomUUID(),
    logGroupName: identity.logGroupName,
    logStreamName: identity.logStreamName,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: unsupported,
    fail: unsupported,
    succeed: unsupported,
  };
}

export { LOCAL_ACCOUNT, LOCAL_REGION, lambdaContext };
