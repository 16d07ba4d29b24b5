import type { APIGatewayProxyEvent } from "aws-lambda";
import { expect } from "chai";
import fc from "fast-check";
import sinon from "sinon";
import type { OutcomeResult } from "../../pipeline/runtime/contract/outcome";
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
  const recordOutcome = sinon.stub<Parameters<OutcomeStore["recordOutcome"]>, Promise<OutcomeResult>>();
  if (answer instanceof Error) recordOutcome.rejects(answer);
  else recordOutcome.resolves(answer as OutcomeResult);
  const store: OutcomeStore = { recordOutcome };
  const lines: LogLine[] = [];
  const log: Log = {
    info: (_message, attributes = {}) => lines.push({ level: "info", attributes }),
    warn: (_message, attributes = {}) => lines.push({ level: "warn", attributes }),
    error: (_message, attributes = {}) => lines.push({ level: "error", attributes }),
  };
  const readings = [FIXED_NOW, FIXED_NOW + 4];
  const now = () => readings.shift() ?? FIXED_NOW + 4;
  const handler = makeRecordOutcomeHandler({ store, codec: makeOutcomeCodec(), now, log });
  return { handler, recordOutcome, lines };
}

async function send(event: APIGatewayProxyEvent, answer?: Answer) {
  const { handler, recordOutcome, lines } = setup(answer);
  const response = await handler(event, lambdaContext());
  return { response, body: JSON.parse(response.body), recordOutcome, lines };
}

const fieldsOf = (body: { fields: { field: string }[] }) => body.fields.map((f) => f.field).sort();

describe("Function: makeRecordOutcomeHandler", () => {
  it("returns an async handler taking (event, context)", () => {
    // Assess
    expect(setup().handler.length).to.equal(2);
  });

  describe("store results", () => {
    it("answers 201 recorded and hands the decoded outcome and the receive time to the store", async () => {
      // Prepare
      const outcome = validOutcome({ reported_at: FIXED_NOW - 86_400_000 });

      // Act
      const { response, body, recordOutcome } = await send(outcomeEvent(outcome));

      // Assess
      expect(response.statusCode).to.equal(201);
      expect(response.headers?.["content-type"]).to.equal("application/json");
      expect(body).to.deep.equal({
        transaction_id: outcome.transaction_id,
        timestamp: outcome.timestamp,
        outcome: "fraud",
        status: "recorded",
      });
      expect(recordOutcome.args).to.deep.equal([[outcome, FIXED_NOW]]);
    });

    it("answers 200 duplicate when the same outcome is already recorded", async () => {
      // Prepare
      const outcome = validOutcome({ outcome: "legitimate" });

      // Act
      const { response, body } = await send(outcomeEvent(outcome), "duplicate");

      // Assess
      expect(response.statusCode).to.equal(200);
      expect(body).to.deep.equal({
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
      expect(response.statusCode).to.equal(409);
      expect(body.error).to.equal("conflict");
      expect(body.recorded_outcome).to.equal("fraud");
      expect(body.request_id).to.equal(API_REQUEST_ID);
      expect(body.message).to.match(/already has the outcome "fraud"/);
      expect([body.transaction_id, body.timestamp]).to.deep.equal([
        outcome.transaction_id,
        outcome.timestamp,
      ]);
    });

    it("answers 404 naming transaction_id and timestamp when no such transaction exists", async () => {
      // Prepare
      const outcome = validOutcome({ transaction_id: "tx-unknown" });

      // Act
      const { response, body } = await send(outcomeEvent(outcome), "not-found");

      // Assess
      expect(response.statusCode).to.equal(404);
      expect(body.error).to.equal("not_found");
      expect(body.transaction_id).to.equal("tx-unknown");
      expect(body.timestamp).to.equal(outcome.timestamp);
      expect(body.message).to.match(new RegExp(`tx-unknown with timestamp ${outcome.timestamp}`));
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
        const { response, body, recordOutcome } = await send(event);

        // Assess
        expect(response.statusCode).to.equal(400);
        expect(fieldsOf(body)).to.deep.equal(["body"]);
        expect(recordOutcome.called).to.equal(false);
      });
    }

    it("names every offending field, unknown properties included", async () => {
      // Prepare
      const event = outcomeEvent(
        outcomeBody({ outcome: "maybe", reported_at: "yesterday", amount: 5 }, ["source"]),
      );

      // Act
      const { response, body, recordOutcome } = await send(event);

      // Assess
      expect(response.statusCode).to.equal(400);
      expect(Object.keys(body)).to.deep.equal(["error", "message", "request_id", "fields"]);
      expect(fieldsOf(body)).to.deep.equal(["amount", "outcome", "reported_at", "source"]);
      expect(recordOutcome.called).to.equal(false);
    });

    it("accepts reported_at in the past and up to the allowed skew ahead", async () => {
      for (const reportedAt of [0, FIXED_NOW - 90 * 86_400_000, FIXED_NOW + LIMITS.maxFutureSkewMs]) {
        // Act
        const { response } = await send(outcomeEvent(validOutcome({ reported_at: reportedAt })));

        // Assess
        expect(response.statusCode, `reported_at ${reportedAt}`).to.equal(201);
      }
    });

    it("answers 400 naming reported_at when it is more than 5 minutes ahead of the clock", async () => {
      // Prepare
      const event = outcomeEvent(validOutcome({ reported_at: FIXED_NOW + LIMITS.maxFutureSkewMs + 1 }));

      // Act
      const { response, body, recordOutcome, lines } = await send(event);

      // Assess
      expect(response.statusCode).to.equal(400);
      expect(fieldsOf(body)).to.deep.equal(["reported_at"]);
      expect(recordOutcome.called).to.equal(false);
      expect(lines[0].attributes.error_fields).to.deep.equal(["reported_at"]);
    });

    it("answers 413 before parsing a body over the limit", async () => {
      // Prepare
      const event = outcomeEvent(" ".repeat(LIMITS.maxBodyBytes + 1));

      // Act
      const { response, body } = await send(event);

      // Assess
      expect(response.statusCode).to.equal(413);
      expect(body.error).to.equal("payload_too_large");
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
      expect(response.statusCode).to.equal(503);
      expect(response.headers?.["Retry-After"]).to.equal("1");
      expect(body.error).to.equal("storage_unavailable");
      expect(lines[0].level).to.equal("warn");
      expect(lines[0].attributes.cause_name).to.equal("ThrottlingException");
    });

    it("answers 500 with API Gateway's request id and nothing of the cause", async () => {
      // Prepare
      const leaky = Object.assign(new Error("Item {merchant_id: secret-merchant} rejected"), {
        name: "ValidationException",
      });

      // Act
      const { response, body, lines } = await send(outcomeEvent(validOutcome()), leaky);

      // Assess
      expect(response.statusCode).to.equal(500);
      expect(Object.keys(body)).to.deep.equal(["error", "message", "request_id"]);
      expect(body.request_id).to.equal(API_REQUEST_ID);
      expect(response.body).not.to.match(/secret-merchant/);
      expect(lines[0].level).to.equal("error");
      expect(lines[0].attributes.error_name).to.equal("ValidationException");
    });

    it("answers 500 when the store returns a result it does not define", async () => {
      // Act
      const { response, lines } = await send(outcomeEvent(validOutcome()), "maybe");

      // Assess
      expect(response.statusCode).to.equal(500);
      expect(lines[0].attributes.result).to.equal("internal_error");
    });
  });

  describe("the log line", () => {
    it("is one line per request with ids, status and result, never the outcome or its source", async () => {
      // Prepare
      const outcome = validOutcome({ source: "dispute", reported_at: FIXED_NOW - 1_234 });

      // Act
      const { lines } = await send(outcomeEvent(outcome));

      // Assess
      expect(lines).to.deep.equal([
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
      expect(JSON.stringify(lines)).not.to.match(/fraud|dispute|1234/);
    });

    it("replaces property names the contract does not know with a placeholder", async () => {
      // Act
      const { lines } = await send(outcomeEvent(outcomeBody({ "4111111111111111": 1 })));

      // Assess
      expect(lines[0].attributes.error_fields).to.deep.equal(["(unknown property)"]);
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
        expect(response.statusCode < 500, `status ${response.statusCode} for ${text.slice(0, 80)}`).to.be.ok;
      }),
      { numRuns: 300 },
    );
  });
});
