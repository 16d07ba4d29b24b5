import assert from "node:assert/strict";
import type { APIGatewayProxyEvent } from "aws-lambda";
import fc from "fast-check";
import type { Outcome, OutcomeResult } from "../../pipeline/runtime/contract/outcome";
import { makeOutcomeCodec } from "../../pipeline/runtime/contract/outcome-codec";
import { LIMITS } from "../../pipeline/runtime/contract/transaction";
import { ERROR_NAMES, runtimeError } from "../../pipeline/runtime/errors";
import { makeRecordOutcomeHandler } from "../../pipeline/runtime/outcome/handler";
import type { Log, OutcomeStore } from "../../pipeline/runtime/ports";
import { outcomeArbitrary, outcomeBody, outcomeEvent, validOutcome } from "../helpers/outcomes";
import { API_REQUEST_ID, FIXED_NOW, lambdaContext } from "../helpers/transactions";

interface LogLine {
  readonly level: "info" | "warn" | "error";
  readonly attributes: Record<string, unknown>;
}

type Answer = OutcomeResult | string | Error;

/** Handler over a store answering `answer` (or throwing it); the clock reads FIXED_NOW, then 4 ms later. */
function setup(answer: Answer = "recorded") {
  const calls: { outcome: Outcome; receivedAt: number }[] = [];
  const store: OutcomeStore = {
    recordOutcome: async (outcome, receivedAt) => {
      calls.push({ outcome, receivedAt });
      if (answer instanceof Error) throw answer;
      return answer as OutcomeResult;
    },
  };
  const lines: LogLine[] = [];
  const log: Log = {
    info: (_message, attributes = {}) => lines.push({ level: "info", attributes }),
    warn: (_message, attributes = {}) => lines.push({ level: "warn", attributes }),
    error: (_message, attributes = {}) => lines.push({ level: "error", attributes }),
  };
  const readings = [FIXED_NOW, FIXED_NOW + 4];
  const now = () => readings.shift() ?? FIXED_NOW + 4;
  const handler = makeRecordOutcomeHandler({ store, codec: makeOutcomeCodec(), now, log });
  return { handler, calls, lines };
}

async function send(event: APIGatewayProxyEvent, answer?: Answer) {
  const { handler, calls, lines } = setup(answer);
  const response = await handler(event, lambdaContext());
  return { response, body: JSON.parse(response.body), calls, lines };
}

const fieldsOf = (body: { fields: { field: string }[] }) => body.fields.map((f) => f.field).sort();

describe("Function: makeRecordOutcomeHandler", () => {
  it("returns an async handler taking (event, context)", () => {
    // Assess
    assert.equal(setup().handler.length, 2);
  });

  describe("store results", () => {
    it("answers 201 recorded and hands the decoded outcome and the receive time to the store", async () => {
      // Prepare
      const outcome = validOutcome({ reported_at: FIXED_NOW - 86_400_000 });

      // Act
      const { response, body, calls } = await send(outcomeEvent(outcome));

      // Assess
      assert.equal(response.statusCode, 201);
      assert.equal(response.headers?.["content-type"], "application/json");
      assert.deepEqual(body, {
        transaction_id: outcome.transaction_id,
        timestamp: outcome.timestamp,
        outcome: "fraud",
        status: "recorded",
      });
      assert.deepEqual(calls, [{ outcome, receivedAt: FIXED_NOW }]);
    });

    it("answers 200 duplicate when the same outcome is already recorded", async () => {
      // Prepare
      const outcome = validOutcome({ outcome: "legitimate" });

      // Act
      const { response, body } = await send(outcomeEvent(outcome), "duplicate");

      // Assess
      assert.equal(response.statusCode, 200);
      assert.deepEqual(body, {
        transaction_id: outcome.transaction_id,
        timestamp: outcome.timestamp,
        outcome: "legitimate",
        status: "duplicate",
      });
    });

    it("answers 409 naming the outcome already recorded", async () => {
      // Prepare
      const outcome = validOutcome({ outcome: "legitimate" });

      // Act
      const { response, body } = await send(outcomeEvent(outcome), "conflict");

      // Assess
      assert.equal(response.statusCode, 409);
      assert.equal(body.error, "conflict");
      assert.equal(body.recorded_outcome, "fraud");
      assert.equal(body.request_id, API_REQUEST_ID);
      assert.match(body.message, /already has the outcome "fraud"/);
      assert.deepEqual([body.transaction_id, body.timestamp], [outcome.transaction_id, outcome.timestamp]);
    });

    it("answers 404 naming transaction_id and timestamp when no such transaction exists", async () => {
      // Prepare
      const outcome = validOutcome({ transaction_id: "tx-unknown" });

      // Act
      const { response, body } = await send(outcomeEvent(outcome), "not-found");

      // Assess
      assert.equal(response.statusCode, 404);
      assert.equal(body.error, "not_found");
      assert.equal(body.transaction_id, "tx-unknown");
      assert.equal(body.timestamp, outcome.timestamp);
      assert.match(body.message, new RegExp(`tx-unknown with timestamp ${outcome.timestamp}`));
    });
  });

  describe("invalid requests", () => {
    for (const [name, event] of [
      ["a missing body", outcomeEvent(null)],
      ["a body that is not JSON", outcomeEvent("{outcome:")],
      ["a JSON array", outcomeEvent([validOutcome()])],
    ] as const) {
      it(`answers 400 naming "body" for ${name}`, async () => {
        // Act
        const { response, body, calls } = await send(event);

        // Assess
        assert.equal(response.statusCode, 400);
        assert.deepEqual(fieldsOf(body), ["body"]);
        assert.equal(calls.length, 0);
      });
    }

    it("names every offending field, unknown properties included", async () => {
      // Prepare
      const event = outcomeEvent(
        outcomeBody({ outcome: "maybe", reported_at: "yesterday", amount: 5 }, ["source"]),
      );

      // Act
      const { response, body, calls } = await send(event);

      // Assess
      assert.equal(response.statusCode, 400);
      assert.deepEqual(Object.keys(body), ["error", "message", "request_id", "fields"]);
      assert.deepEqual(fieldsOf(body), ["amount", "outcome", "reported_at", "source"]);
      assert.equal(calls.length, 0);
    });

    it("accepts reported_at in the past and up to the allowed skew ahead", async () => {
      for (const reportedAt of [0, FIXED_NOW - 90 * 86_400_000, FIXED_NOW + LIMITS.maxFutureSkewMs]) {
        // Act
        const { response } = await send(outcomeEvent(validOutcome({ reported_at: reportedAt })));

        // Assess
        assert.equal(response.statusCode, 201, `reported_at ${reportedAt}`);
      }
    });

    it("answers 400 naming reported_at when it is more than 5 minutes ahead of the clock", async () => {
      // Prepare
      const event = outcomeEvent(validOutcome({ reported_at: FIXED_NOW + LIMITS.maxFutureSkewMs + 1 }));

      // Act
      const { response, body, calls, lines } = await send(event);

      // Assess
      assert.equal(response.statusCode, 400);
      assert.deepEqual(fieldsOf(body), ["reported_at"]);
      assert.equal(calls.length, 0);
      assert.deepEqual(lines[0].attributes.error_fields, ["reported_at"]);
    });

    it("answers 413 before parsing a body over the limit", async () => {
      // Prepare
      const event = outcomeEvent(" ".repeat(LIMITS.maxBodyBytes + 1));

      // Act
      const { response, body } = await send(event);

      // Assess
      assert.equal(response.statusCode, 413);
      assert.equal(body.error, "payload_too_large");
    });
  });

  describe("storage failures", () => {
    it("answers 503 with Retry-After when storage throttles", async () => {
      // Prepare
      const throttled = runtimeError(ERROR_NAMES.storageThrottled, "DynamoDB throttled", {
        cause: Object.assign(new Error("slow down"), { name: "ThrottlingException" }),
      });

      // Act
      const { response, body, lines } = await send(outcomeEvent(validOutcome()), throttled);

      // Assess
      assert.equal(response.statusCode, 503);
      assert.equal(response.headers?.["Retry-After"], "1");
      assert.equal(body.error, "storage_unavailable");
      assert.equal(lines[0].level, "warn");
      assert.equal(lines[0].attributes.cause_name, "ThrottlingException");
    });

    it("answers 500 with API Gateway's request id and nothing of the cause", async () => {
      // Prepare
      const leaky = Object.assign(new Error("Item {merchant_id: secret-merchant} rejected"), {
        name: "ValidationException",
      });

      // Act
      const { response, body, lines } = await send(outcomeEvent(validOutcome()), leaky);

      // Assess
      assert.equal(response.statusCode, 500);
      assert.deepEqual(Object.keys(body), ["error", "message", "request_id"]);
      assert.equal(body.request_id, API_REQUEST_ID);
      assert.doesNotMatch(response.body, /secret-merchant/);
      assert.equal(lines[0].level, "error");
      assert.equal(lines[0].attributes.error_name, "ValidationException");
    });

    it("answers 500 when the store returns a result it does not define", async () => {
      // Act
      const { response, lines } = await send(outcomeEvent(validOutcome()), "maybe");

      // Assess
      assert.equal(response.statusCode, 500);
      assert.equal(lines[0].attributes.result, "internal_error");
    });
  });

  describe("the log line", () => {
    it("is one line per request with ids, status and result, never the outcome or its source", async () => {
      // Prepare
      const outcome = validOutcome({ source: "dispute", reported_at: FIXED_NOW - 1_234 });

      // Act
      const { lines } = await send(outcomeEvent(outcome));

      // Assess
      assert.deepEqual(lines, [
        {
          level: "info",
          attributes: {
            request_id: API_REQUEST_ID,
            transaction_id: outcome.transaction_id,
            status: 201,
            result: "recorded",
            latency_ms: 4,
          },
        },
      ]);
      assert.doesNotMatch(JSON.stringify(lines), /fraud|dispute|1234/);
    });

    it("replaces property names the contract does not know with a placeholder", async () => {
      // Act
      const { lines } = await send(outcomeEvent(outcomeBody({ "4111111111111111": 1 })));

      // Assess
      assert.deepEqual(lines[0].attributes.error_fields, ["(unknown property)"]);
    });
  });

  it("ends in 2xx or 4xx for anything a client sends when storage works", async () => {
    // Prepare
    const { handler } = setup();
    const bodies = fc.oneof(
      fc.jsonValue().map((value) => JSON.stringify(value) ?? ""),
      fc.string({ unit: "binary" }),
      outcomeArbitrary().map((outcome) => JSON.stringify(outcome)),
    );

    // Act and Assess
    await fc.assert(
      fc.asyncProperty(bodies, async (text) => {
        const response = await handler(outcomeEvent(text), lambdaContext());
        assert.ok(response.statusCode < 500, `status ${response.statusCode} for ${text.slice(0, 80)}`);
      }),
      { numRuns: 300 },
    );
  });
});
