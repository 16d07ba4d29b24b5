/**
 * process-transaction's core: API Gateway proxy event in, response out, over the `TransactionStore`
 * port. Everything a client can send ends in a 2xx or 4xx; only our own failures are 5xx.
 */
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from "aws-lambda";
import { requestIdOf } from "../api-request";
import {
  BODY_FIELD,
  checkEventTime,
  decodeTransaction,
  type FieldError,
  type TransactionCodec,
} from "../contract/codec";
import { LIMITS, type Transaction } from "../contract/transaction";
import { ERROR_NAMES, isRuntimeError } from "../errors";
import { type Clock, type Log, PUT_OUTCOMES, type TransactionStore } from "../ports";
import { BODY_PROBLEMS, type BodyProblem, readJsonBody } from "./parse-body";
import { OUTCOMES, type Outcome, writeRequestLog } from "./request-log";
import * as responses from "./responses";

/** What the handler needs; built once per cold start by the Lambda factory or the local runner. */
interface ProcessDeps {
  readonly store: TransactionStore;
  readonly codec: TransactionCodec;
  readonly now: Clock;
  readonly log: Log;
}

type ProcessHandler = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;

/** A response plus what the log line needs to know about how it was reached. */
interface Reply {
  readonly response: APIGatewayProxyResult;
  readonly outcome: Outcome;
  readonly tx?: Transaction;
  readonly fieldErrors?: readonly FieldError[];
  readonly error?: unknown;
}

const BODY_MESSAGES: Record<Exclude<BodyProblem, typeof BODY_PROBLEMS.tooLarge>, string> = {
  [BODY_PROBLEMS.missing]: "is required: send the transaction as a JSON object",
  [BODY_PROBLEMS.invalidEncoding]: "must be valid JSON encoded as UTF-8",
  [BODY_PROBLEMS.invalidJson]: "must be valid JSON",
};

function invalid(fieldErrors: readonly FieldError[], requestId: string, tx?: Transaction): Reply {
  return {
    response: responses.invalidRequest(fieldErrors, requestId),
    outcome: OUTCOMES.invalidRequest,
    fieldErrors,
    tx,
  };
}

function failed(error: unknown, requestId: string, tx?: Transaction): Reply {
  if (isRuntimeError(error, ERROR_NAMES.storageThrottled)) {
    return {
      response: responses.storageUnavailable(requestId),
      outcome: OUTCOMES.storageUnavailable,
      tx,
      error,
    };
  }
  return { response: responses.internalError(requestId), outcome: OUTCOMES.internalError, tx, error };
}

/** Stores the transaction and maps the store's outcome (or failure) to a reply. */
async function storeTransaction(
  deps: ProcessDeps,
  tx: Transaction,
  receivedAt: number,
  requestId: string,
): Promise<Reply> {
  let outcome: string;
  try {
    outcome = await deps.store.putTransaction(tx, receivedAt);
  } catch (error) {
    return failed(error, requestId, tx);
  }
  switch (outcome) {
    case PUT_OUTCOMES.created:
      return { response: responses.accepted(tx), outcome: OUTCOMES.accepted, tx };
    case PUT_OUTCOMES.duplicate:
      return { response: responses.duplicate(tx), outcome: OUTCOMES.duplicate, tx };
    case PUT_OUTCOMES.conflict:
      return { response: responses.conflict(tx, requestId), outcome: OUTCOMES.conflict, tx };
    case PUT_OUTCOMES.idTaken:
      return { response: responses.idTaken(tx, requestId), outcome: OUTCOMES.conflict, tx };
    default:
      // A store outside its contract is our failure, not the client's.
      return failed(new Error(`TransactionStore returned an unknown outcome: ${outcome}`), requestId, tx);
  }
}

async function reply(
  deps: ProcessDeps,
  event: APIGatewayProxyEvent,
  requestId: string,
  receivedAt: number,
): Promise<Reply> {
  const body = readJsonBody(event, LIMITS.maxBodyBytes);
  if (!body.ok) {
    if (body.problem === BODY_PROBLEMS.tooLarge) {
      const response = responses.payloadTooLarge(LIMITS.maxBodyBytes, requestId);
      return { response, outcome: OUTCOMES.payloadTooLarge };
    }
    return invalid([{ field: BODY_FIELD, message: BODY_MESSAGES[body.problem] }], requestId);
  }
  const decoded = decodeTransaction(deps.codec, body.value);
  if (!decoded.ok) return invalid(decoded.errors, requestId);
  const tx = decoded.value;
  const timeErrors = checkEventTime(tx, receivedAt);
  if (timeErrors.length > 0) return invalid(timeErrors, requestId, tx);
  return storeTransaction(deps, tx, receivedAt, requestId);
}

/**
 * Builds the process-transaction handler: reads and validates the body, stores the transaction
 * conditionally, maps the outcome to a status, and writes exactly one log line per request.
 *
 * @example
 * const handler = makeProcessHandler({ store, codec: makeTransactionCodec(), now: Date.now, log });
 * const response = await handler(event, context); // 201 { transaction_id, timestamp, status: "accepted" }
 */
function makeProcessHandler(deps: ProcessDeps): ProcessHandler {
  return async (event, context) => {
    const receivedAt = deps.now();
    const requestId = requestIdOf(event, context);
    let result: Reply;
    try {
      result = await reply(deps, event, requestId, receivedAt);
    } catch (error) {
      result = failed(error, requestId);
    }
    writeRequestLog(deps.log, {
      requestId,
      status: result.response.statusCode,
      outcome: result.outcome,
      latencyMs: deps.now() - receivedAt,
      tx: result.tx,
      fieldErrors: result.fieldErrors,
      error: result.error,
    });
    return result.response;
  };
}

export type { ProcessDeps, ProcessHandler };
export { makeProcessHandler };
