/**
 * What each function's first invocation gets in the cold-init figure: a real-shaped event (the
 * warm figure's batches, bench/warm-fixtures.ts; an API request with a recent event time) and a
 * loopback stand-in prepared so the invocation takes its usual path: the stream batch's account
 * histories answer the history queries, and the transaction an outcome is reported for is stored.
 */
import { marshall } from "@aws-sdk/util-dynamodb";
import { toItem } from "../pipeline/runtime/contract/item";
import { outcomeEvent, validOutcome } from "../test/helpers/outcomes";
import { apiGatewayEvent, fullTransaction } from "../test/helpers/transactions";
import type { AwsLoopback } from "./aws-loopback";
import { type ArtifactName, FACTORY_ENV } from "./functions";
import { alertBatch, streamBatch } from "./warm-fixtures";

/** The transaction the record-outcome event reports on, stored in the stand-in first. */
const REPORTED = fullTransaction({ transaction_id: "bench-reported-tx" });

interface FirstInvocation {
  /** The event of the first invocation, as a one-element list (the probe takes a list). */
  readonly events: readonly unknown[];
  /** Readies a freshly reset stand-in for the invocation. */
  prepare(aws: AwsLoopback): void;
  /** What the handler answers when the invocation took its usual path. */
  readonly expected: unknown;
}

const NO_FAILURES = { batchItemFailures: [] };

/** The status code of an API answer, or the answer itself for a batch function. */
function outcomeOf(result: unknown): unknown {
  const status = (result as { statusCode?: unknown } | null)?.statusCode;
  return status === undefined ? result : { statusCode: status };
}

/**
 * The first invocation of every function.
 *
 * @example
 * const first = firstInvocations()["record-outcome"];
 * aws.reset(); first.prepare(aws);
 */
function firstInvocations(): Record<ArtifactName, FirstInvocation> {
  const batch = streamBatch();
  // process-transaction takes event times of the last 7 days only; the warm fixtures' are older.
  const recentRequest = apiGatewayEvent(
    fullTransaction({ transaction_id: "bench-first-tx", timestamp: Date.now() - 60_000 }),
  );
  // The table holds the history and the batch itself (stored before the stream delivered it).
  const newestFirst = [...batch.transactions].reverse();
  const answerHistory = (aws: AwsLoopback) =>
    aws.override("dynamodb", "Query", (body) => {
      const values = body.ExpressionAttributeValues as Record<string, { S?: string }> | undefined;
      const accountId = values?.[":account"]?.S;
      const items = newestFirst
        .filter((tx) => tx.account_id === accountId)
        .slice(0, Number(body.Limit ?? newestFirst.length))
        .map((tx) => marshall(toItem(tx, tx.timestamp), { removeUndefinedValues: true }));
      return { result: { Items: items, Count: items.length, ScannedCount: items.length } };
    });
  return {
    "process-transaction": {
      events: [recentRequest],
      prepare: () => undefined,
      expected: { statusCode: 201 },
    },
    "detect-fraud": { events: [batch.event], prepare: answerHistory, expected: NO_FAILURES },
    "notify-team": { events: [alertBatch()], prepare: () => undefined, expected: NO_FAILURES },
    "record-outcome": {
      events: [
        outcomeEvent(
          validOutcome({ transaction_id: REPORTED.transaction_id, timestamp: REPORTED.timestamp }),
        ),
      ],
      prepare: (aws) =>
        aws.putItem(
          FACTORY_ENV.TABLE_NAME,
          marshall(toItem(REPORTED, REPORTED.timestamp), { removeUndefinedValues: true }),
        ),
      expected: { statusCode: 201 },
    },
  };
}

/**
 * Throws unless `result` is what `first` expects, so the figure never times an error path.
 *
 * @example
 * checkFirstResult("notify-team", first, output.results[0]);
 * @throws Error naming the function, what it answered and what was expected.
 */
function checkFirstResult(name: string, first: FirstInvocation, result: unknown): void {
  const got = JSON.stringify(outcomeOf(result));
  if (got !== JSON.stringify(first.expected)) {
    throw new Error(`${name}'s first invocation answered ${got}, expected ${JSON.stringify(first.expected)}`);
  }
}

export type { FirstInvocation };
export { checkFirstResult, firstInvocations };
