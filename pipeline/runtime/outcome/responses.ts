/**
 * The responses only record-outcome returns. The shared ones (400, 413, 503) come from
 * process/responses.ts, so a client reads one error shape from either endpoint.
 */
import type { APIGatewayProxyResult } from "aws-lambda";
import { OUTCOME_RESULTS, OUTCOMES, type Outcome, type OutcomeName } from "../contract/outcome";
import { ERROR_CODES, json } from "../process/responses";

/** Value of `error` in the error bodies only this endpoint returns. */
const OUTCOME_ERROR_CODES = { notFound: "not_found" } as const;

/**
 * What a conflict found on the item. Outcomes are binary, so it is the one not sent; a third
 * outcome name fails to compile here instead of answering with a wrong name.
 */
const RECORDED_ON_CONFLICT: Record<OutcomeName, OutcomeName> = {
  [OUTCOMES.fraud]: OUTCOMES.legitimate,
  [OUTCOMES.legitimate]: OUTCOMES.fraud,
};

/**
 * 201: the outcome was written onto the transaction.
 *
 * @example
 * recorded(outcome); // statusCode 201, { transaction_id, timestamp, outcome, status: "recorded" }
 */
function recorded(outcome: Outcome): APIGatewayProxyResult {
  const { transaction_id, timestamp } = outcome;
  return json(201, { transaction_id, timestamp, outcome: outcome.outcome, status: OUTCOME_RESULTS.recorded });
}

/**
 * 200: the transaction already carries this outcome; nothing changed.
 *
 * @example
 * duplicate(outcome); // statusCode 200, status "duplicate"
 */
function duplicate(outcome: Outcome): APIGatewayProxyResult {
  const { transaction_id, timestamp } = outcome;
  return json(200, {
    transaction_id,
    timestamp,
    outcome: outcome.outcome,
    status: OUTCOME_RESULTS.duplicate,
  });
}

/**
 * 409: the transaction already carries the other outcome, which is named; outcomes are final.
 *
 * @example
 * conflict({ ...outcome, outcome: "legitimate" }, "req-1"); // recorded_outcome "fraud"
 */
function conflict(outcome: Outcome, requestId: string): APIGatewayProxyResult {
  const already = RECORDED_ON_CONFLICT[outcome.outcome];
  return json(409, {
    error: ERROR_CODES.conflict,
    message: `Transaction ${outcome.transaction_id} with timestamp ${outcome.timestamp} already has the outcome "${already}"; a recorded outcome is final.`,
    request_id: requestId,
    transaction_id: outcome.transaction_id,
    timestamp: outcome.timestamp,
    recorded_outcome: already,
  });
}

/**
 * 404: no transaction with this id and timestamp was ever accepted.
 *
 * @example
 * notFound(outcome, "req-1");
 */
function notFound(outcome: Outcome, requestId: string): APIGatewayProxyResult {
  return json(404, {
    error: OUTCOME_ERROR_CODES.notFound,
    message: `No transaction ${outcome.transaction_id} with timestamp ${outcome.timestamp} was accepted; send the transaction_id and timestamp it was accepted with.`,
    request_id: requestId,
    transaction_id: outcome.transaction_id,
    timestamp: outcome.timestamp,
  });
}

/**
 * 500: something failed on our side. Says nothing about the payload or the cause.
 *
 * @example
 * internalError("req-1");
 */
function internalError(requestId: string): APIGatewayProxyResult {
  return json(500, {
    error: ERROR_CODES.internal,
    message:
      "An internal error occurred and the outcome may not have been recorded; retrying the same request is safe.",
    request_id: requestId,
  });
}

export { conflict, duplicate, internalError, notFound, OUTCOME_ERROR_CODES, recorded };
