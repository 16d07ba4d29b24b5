/**
 * record-outcome's core: API Gateway proxy event in, response out, over the `OutcomeStore` port.
 * Everything a client can send ends in a 2xx or 4xx; only our own failures are 5xx.
 */
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from "aws-lambda";
import { requestIdOf } from "../api-request";
import { BODY_FIELD, type FieldError } from "../contract/codec";
import { OUTCOME_RESULTS, type Outcome } from "../contract/outcome";
import { checkReportedAt, decodeOutcome, type OutcomeCodec } from "../contract/outcome-codec";
import { LIMITS } from "../contract/transaction";
import { ERROR_NAMES, isRuntimeError } from "../errors";
import type { Clock, Log, OutcomeStore } from "../ports";
import { BODY_PROBLEMS, type BodyProblem, readJsonBody } from "../process/parse-body";
import { invalidRequest, payloadTooLarge, storageUnavailable } from "../process/responses";
import { REQUEST_RESULTS, type RequestResult, writeOutcomeRequestLog } from "./request-log";
import * as responses from "./responses";

/** What the handler needs; built once per cold start by the Lambda factory or the local runner. */
interface RecordOutcomeDeps {
  readonly store: OutcomeStore;
  readonly codec: OutcomeCodec;
  readonly now: Clock;
  readonly log: Log;
}

type RecordOutcomeHandler = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;

/** A response plus what the log line needs to know about how it was reached. */
interface Reply {
  readonly response: APIGatewayProxyResult;
  readonly result: RequestResult;
  readonly outcome?: Outcome;
  readonly fieldErrors?: readonly FieldError[];
  readonly error?: unknown;
}

const BODY_MESSAGES: Record<Exclude<BodyProblem, typeof BODY_PROBLEMS.tooLarge>, string> = {
  [BODY_PROBLEMS.missing]: "is required: send the outcome as a JSON object",
  [BODY_PROBLEMS.invalidEncoding]: "must be valid JSON encoded as UTF-8",
  [BODY_PROBLEMS.invalidJson]: "must be valid JSON",
};

function invalid(fieldErrors: readonly FieldError[], requestId: string, outcome?: Outcome): Reply {
  return {
    response: invalidRequest(fieldErrors, requestId),
    result: REQUEST_RESULTS.invalidRequest,
    fieldErrors,
    outcome,
  };
}

function failed(error: unknown, requestId: string, outcome?: Outcome): Reply {
  if (isRuntimeError(error, ERROR_NAMES.storageThrottled)) {
    const response = storageUnavailable(requestId);
    return { response, result: REQUEST_RESULTS.storageUnavailable, outcome, error };
  }
  return {
    response: responses.internalError(requestId),
    result: REQUEST_RESULTS.internalError,
    outcome,
    error,
  };
}

/** Records the outcome and maps the store's result (or failure) to a reply. */
async function recordOutcome(
  deps: RecordOutcomeDeps,
  outcome: Outcome,
  receivedAt: number,
  requestId: string,
): Promise<Reply> {
  let result: string;
  try {
    result = await deps.store.recordOutcome(outcome, receivedAt);
  } catch (error) {
    return failed(error, requestId, outcome);
  }
  switch (result) {
    case OUTCOME_RESULTS.recorded:
      return { response: responses.recorded(outcome), result: REQUEST_RESULTS.recorded, outcome };
    case OUTCOME_RESULTS.duplicate:
      return { response: responses.duplicate(outcome), result: REQUEST_RESULTS.duplicate, outcome };
    case OUTCOME_RESULTS.conflict:
      return { response: responses.conflict(outcome, requestId), result: REQUEST_RESULTS.conflict, outcome };
    case OUTCOME_RESULTS.notFound:
      return { response: responses.notFound(outcome, requestId), result: REQUEST_RESULTS.notFound, outcome };
    default:
      // A store outside its contract is our failure, not the client's.
      return failed(new Error(`OutcomeStore returned an unknown result: ${result}`), requestId, outcome);
  }
}

async function reply(
  deps: RecordOutcomeDeps,
  event: APIGatewayProxyEvent,
  requestId: string,
  receivedAt: number,
): Promise<Reply> {
  const body = readJsonBody(event, LIMITS.maxBodyBytes);
  if (!body.ok) {
    if (body.problem === BODY_PROBLEMS.tooLarge) {
      const response = payloadTooLarge(LIMITS.maxBodyBytes, requestId);
      return { response, result: REQUEST_RESULTS.payloadTooLarge };
    }
    return invalid([{ field: BODY_FIELD, message: BODY_MESSAGES[body.problem] }], requestId);
  }
  const decoded = decodeOutcome(deps.codec, body.value);
  if (!decoded.ok) return invalid(decoded.errors, requestId);
  const outcome = decoded.value;
  const timeErrors = checkReportedAt(outcome, receivedAt);
  if (timeErrors.length > 0) return invalid(timeErrors, requestId, outcome);
  return recordOutcome(deps, outcome, receivedAt, requestId);
}

/**
 * Builds the record-outcome handler: reads and validates the body, records the outcome on the
 * transaction through the store, maps the result to a status, and writes exactly one log line per
 * request. The receive time (`now()` on arrival) is what the store counts a fraud under.
 *
 * @example
 * const handler = makeRecordOutcomeHandler({ store, codec: makeOutcomeCodec(), now: Date.now, log });
 * const response = await handler(event, context); // 201 { transaction_id, timestamp, outcome, status: "recorded" }
 */
function makeRecordOutcomeHandler(deps: RecordOutcomeDeps): RecordOutcomeHandler {
  return async (event, context) => {
    const receivedAt = deps.now();
    const requestId = requestIdOf(event, context);
    let result: Reply;
    try {
      result = await reply(deps, event, requestId, receivedAt);
    } catch (error) {
      result = failed(error, requestId);
    }
    writeOutcomeRequestLog(deps.log, {
      requestId,
      status: result.response.statusCode,
      result: result.result,
      latencyMs: deps.now() - receivedAt,
      transactionId: result.outcome?.transaction_id,
      fieldErrors: result.fieldErrors,
      error: result.error,
    });
    return result.response;
  };
}

export type { RecordOutcomeDeps, RecordOutcomeHandler };
export { makeRecordOutcomeHandler };
