import type { APIGatewayProxyEvent } from "aws-lambda";
import { expect } from "chai";
import fc from "fast-check";
import { makeTransactionCodec } from "../../pipeline/runtime/contract/codec";
import { LIMITS, type Transaction } from "../../pipeline/runtime/contract/transaction";
import { ERROR_NAMES, runtimeError } from "../../pipeline/runtime/errors";
import type { Log, PutOutcome, TransactionStore } from "../../pipeline/runtime/ports";
import { makeProcessHandler } from "../../pipeline/runtime/process/handler";
import {
  API_REQUEST_ID,
  apiGatewayEvent,
  FIXED_NOW,
  fullTransaction,
  lambdaContext,
  REQUEST_ID,
  transactionArbitrary,
  transactionBody,
  validTransaction,
} from "../helpers/transactions";

interface LogLine {
  readonly level: "info" | "warn" | "error";
  readonly message: string;
  readonly attributes: Record<string, unknown>;
}

/** A store that answers every put with `answer` (or throws it) and records the calls. */
function fakeStore(answer: PutOutcome | string | Error = "created") {
  const calls: { tx: Transaction; receivedAt: number }[] = [];
  const store: TransactionStore = {
    putTransaction: async (tx, receivedAt) => {
      calls.push({ tx, receivedAt });
      if (answer instanceof Error) throw answer;
      return answer as PutOutcome;
    },
  };
  return { store, calls };
}

function recordingLog() {
  const lines: LogLine[] = [];
  const log: Log = {
    info: (message, attributes = {}) => lines.push({ level: "info", message, attributes }),
    warn: (message, attributes = {}) => lines.push({ level: "warn", message, attributes }),
    error: (message, attributes = {}) => lines.push({ level: "error", message, attributes }),
  };
  return { log, lines };
}

/** Handler wired to fakes; the clock reads FIXED_NOW first and 7 ms later on the second read. */
function setup(answer?: PutOutcome | string | Error) {
  const { store, calls } = fakeStore(answer);
  const { log, lines } = recordingLog();
  const readings = [FIXED_NOW, FIXED_NOW + 7];
  const now = () => readings.shift() ?? FIXED_NOW + 7;
  const handler = makeProcessHandler({ store, codec: makeTransactionCodec(), now, log });
  return { handler, calls, lines };
}

async function send(event: APIGatewayProxyEvent, answer?: PutOutcome | string | Error) {
  const { handler, calls, lines } = setup(answer);
  const response = await handler(event, lambdaContext());
  return { response, body: JSON.parse(response.body), calls, lines };
}

const base64 = (text: string | Buffer) => Buffer.from(text).toString("base64");

describe("Function: makeProcessHandler", () => {
  it("returns an async handler taking (event, context), never a callback", () => {
    // Act
    const { handler } = setup();

    // Assess
    expect(handler.length).to.equal(2);
  });

  describe("stored transactions", () => {
    it("answers 201 accepted and stores the decoded transaction with the receive time", async () => {
      // Prepare
      const tx = fullTransaction();

      // Act
      const { response, body, calls } = await send(apiGatewayEvent(tx));

      // Assess
      expect(response.statusCode).to.equal(201);
      expect(body).to.deep.equal({
        transaction_id: tx.transaction_id,
        timestamp: tx.timestamp,
        status: "accepted",
      });
      expect(calls).to.deep.equal([{ tx, receivedAt: FIXED_NOW }]);
    });

    it("answers 200 duplicate for an exact retry", async () => {
      // Prepare
      const tx = validTransaction();

      // Act
      const { response, body } = await send(apiGatewayEvent(tx), "duplicate");

      // Assess
      expect(response.statusCode).to.equal(200);
      expect(body).to.deep.equal({
        transaction_id: tx.transaction_id,
        timestamp: tx.timestamp,
        status: "duplicate",
      });
    });

    it("answers 409 conflict when the key holds a different body", async () => {
      // Prepare
      const tx = validTransaction();

      // Act
      const { response, body } = await send(apiGatewayEvent(tx), "conflict");

      // Assess
      expect(response.statusCode).to.equal(409);
      expect(Object.keys(body)).to.deep.equal([
        "error",
        "message",
        "request_id",
        "transaction_id",
        "timestamp",
      ]);
      expect(body.error).to.equal("conflict");
      expect(body.request_id).to.equal(API_REQUEST_ID);
      expect(body.transaction_id).to.equal(tx.transaction_id);
      expect(body.timestamp).to.equal(tx.timestamp);
      expect(body.message).to.match(/already accepted with a different body/);
    });

    it("answers 409 conflict, never a new record, when the id is stored with a different timestamp", async () => {
      // Prepare
      const tx = validTransaction();

      // Act
      const { response, body, lines } = await send(apiGatewayEvent(tx), "id-taken");

      // Assess
      expect(response.statusCode).to.equal(409);
      expect(Object.keys(body)).to.deep.equal([
        "error",
        "message",
        "request_id",
        "transaction_id",
        "timestamp",
      ]);
      expect(body).to.include({
        error: "conflict",
        request_id: API_REQUEST_ID,
        transaction_id: tx.transaction_id,
        timestamp: tx.timestamp,
      });
      expect(body.message).to.match(/already accepted with a different timestamp/);
      expect(lines.map((line) => line.attributes.outcome)).to.deep.equal(["conflict"]);
    });

    it("decodes a base64-encoded body", async () => {
      // Prepare
      const tx = validTransaction({ merchant_id: "Café 東京" });
      const event = apiGatewayEvent(base64(JSON.stringify(tx)), { isBase64Encoded: true });

      // Act
      const { response, calls } = await send(event);

      // Assess
      expect(response.statusCode).to.equal(201);
      expect(calls[0].tx).to.deep.equal(tx);
    });
  });

  describe("invalid requests", () => {
    const bodyCases = [
      { name: "a missing body", event: apiGatewayEvent(null), message: /^is required/ },
      { name: "an empty body", event: apiGatewayEvent(""), message: /^is required/ },
      {
        name: "a body that is not JSON",
        event: apiGatewayEvent("{amount: 1"),
        message: /^must be valid JSON$/,
      },
      {
        name: "a JSON array",
        event: apiGatewayEvent([validTransaction()]),
        message: /^must be a JSON object$/,
      },
      { name: "JSON null", event: apiGatewayEvent("null"), message: /^must be a JSON object$/ },
      {
        name: "base64 that is not UTF-8",
        event: apiGatewayEvent(base64(Buffer.from([0x7b, 0xff, 0xfe, 0x7d])), { isBase64Encoded: true }),
        message: /^must be valid JSON encoded as UTF-8$/,
      },
    ];
    for (const testCase of bodyCases) {
      it(`answers 400 naming "body" for ${testCase.name}`, async () => {
        // Act
        const { response, body, calls } = await send(testCase.event);

        // Assess
        expect(response.statusCode).to.equal(400);
        expect(body.error).to.equal("invalid_request");
        expect(body.fields.length).to.equal(1);
        expect(body.fields[0].field).to.equal("body");
        expect(body.fields[0].message).to.match(testCase.message);
        expect(calls.length).to.equal(0);
      });
    }

    const fieldCases: Record<string, unknown> = {
      transaction_id: "tx 1",
      account_id: "",
      amount: 0,
      currency: "usd",
      timestamp: 1.5,
      merchant_id: "m".repeat(65),
      merchant_category: "",
      channel: "web",
      location: { latitude: 91, longitude: 0 },
      country: "usa",
    };
    for (const [field, value] of Object.entries(fieldCases)) {
      it(`answers 400 naming ${field} when it is ${JSON.stringify(value).slice(0, 30)}`, async () => {
        // Act
        const { response, body, calls } = await send(apiGatewayEvent(transactionBody({ [field]: value })));

        // Assess
        expect(response.statusCode).to.equal(400);
        expect(body.fields.length).to.equal(1);
        expect(body.fields[0].field.startsWith(field), `field ${body.fields[0].field}`).to.be.ok;
        expect(body.fields[0].message).to.match(/^must /);
        expect(calls.length).to.equal(0);
      });
    }

    it("names every offending field in fields and in the one-sentence message", async () => {
      // Prepare
      const event = apiGatewayEvent(
        transactionBody({ amount: -5, currency: 1, card_number: "4111" }, ["account_id"]),
      );

      // Act
      const { response, body } = await send(event);

      // Assess
      expect(response.statusCode).to.equal(400);
      expect(Object.keys(body)).to.deep.equal(["error", "message", "request_id", "fields"]);
      expect(body.fields.map((f: { field: string }) => f.field).sort()).to.deep.equal([
        "account_id",
        "amount",
        "card_number",
        "currency",
      ]);
      expect(body.message).to.equal(
        'The request body has invalid fields: "account_id", "amount", "currency", "card_number" (each entry of "fields" says what is valid).',
      );
      expect(body.request_id).to.equal(API_REQUEST_ID);
    });

    for (const [name, timestamp] of [
      ["too far in the future", FIXED_NOW + LIMITS.maxFutureSkewMs + 1],
      ["older than the maximum age", FIXED_NOW - LIMITS.maxAgeMs - 1],
    ] as const) {
      it(`answers 400 naming timestamp when the event time is ${name}`, async () => {
        // Act
        const { response, body, calls } = await send(apiGatewayEvent(validTransaction({ timestamp })));

        // Assess
        expect(response.statusCode).to.equal(400);
        expect(body.fields.map((f: { field: string }) => f.field)).to.deep.equal(["timestamp"]);
        expect(calls.length).to.equal(0);
      });
    }
  });

  describe("oversized bodies", () => {
    it("answers 413 naming the limit when the body is one byte over it", async () => {
      // Prepare
      const text = JSON.stringify(validTransaction());
      const event = apiGatewayEvent(text + " ".repeat(LIMITS.maxBodyBytes - text.length + 1));

      // Act
      const { response, body, calls } = await send(event);

      // Assess
      expect(response.statusCode).to.equal(413);
      expect(body).to.deep.equal({
        error: "payload_too_large",
        message: `The request body must be at most ${LIMITS.maxBodyBytes} bytes.`,
        request_id: API_REQUEST_ID,
      });
      expect(calls.length).to.equal(0);
    });

    it("accepts a body of exactly the limit", async () => {
      // Prepare
      const text = JSON.stringify(validTransaction());
      const event = apiGatewayEvent(text + " ".repeat(LIMITS.maxBodyBytes - text.length));

      // Act
      const { response } = await send(event);

      // Assess
      expect(response.statusCode).to.equal(201);
    });

    it("counts bytes, not characters", async () => {
      // Prepare: fewer characters than the limit, more UTF-8 bytes (3 per character)
      const event = apiGatewayEvent(JSON.stringify({ note: "€".repeat(Math.ceil(LIMITS.maxBodyBytes / 2)) }));

      // Act
      const { response } = await send(event);

      // Assess
      expect((event.body ?? "").length < LIMITS.maxBodyBytes).to.be.ok;
      expect(response.statusCode).to.equal(413);
    });

    it("counts the decoded bytes of a base64 body", async () => {
      // Prepare
      const event = apiGatewayEvent(base64(" ".repeat(LIMITS.maxBodyBytes + 1)), { isBase64Encoded: true });

      // Act
      const { response } = await send(event);

      // Assess
      expect(response.statusCode).to.equal(413);
    });
  });

  describe("storage failures", () => {
    it("answers 503 with Retry-After when storage throttles", async () => {
      // Prepare
      const throttled = runtimeError(ERROR_NAMES.storageThrottled, "DynamoDB throttled PutItem", {
        cause: Object.assign(new Error("Rate exceeded"), { name: "ProvisionedThroughputExceededException" }),
      });

      // Act
      const { response, body, lines } = await send(apiGatewayEvent(validTransaction()), throttled);

      // Assess
      expect(response.statusCode).to.equal(503);
      expect(response.headers?.["Retry-After"]).to.equal("1");
      expect(Object.keys(body)).to.deep.equal(["error", "message", "request_id"]);
      expect(body.error).to.equal("storage_unavailable");
      expect(lines[0].level).to.equal("warn");
      expect(lines[0].attributes.error_name).to.equal("StorageThrottledError");
      expect(lines[0].attributes.cause_name).to.equal("ProvisionedThroughputExceededException");
    });

    it("answers 500 without any of the payload and logs only the error's name", async () => {
      // Prepare: an error whose message quotes the item, as some storage errors do
      const tx = fullTransaction({ merchant_id: "merchant-secret-77", amount: 987_654 });
      const leaky = Object.assign(
        new Error(`Item {merchant_id: merchant-secret-77, amount: 987654} rejected`),
        {
          name: "ValidationException",
        },
      );

      // Act
      const { response, body, lines } = await send(apiGatewayEvent(tx), leaky);

      // Assess
      expect(response.statusCode).to.equal(500);
      expect(Object.keys(body)).to.deep.equal(["error", "message", "request_id"]);
      expect(body.error).to.equal("internal_error");
      expect(response.body).not.to.match(/merchant-secret-77|987654/);
      expect(lines[0].level).to.equal("error");
      expect(lines[0].attributes.error_name).to.equal("ValidationException");
      expect(JSON.stringify(lines)).not.to.match(/merchant-secret-77|987654/);
    });

    it("answers 500 when the store returns an outcome it does not define", async () => {
      // Act
      const { response, lines } = await send(apiGatewayEvent(validTransaction()), "maybe");

      // Assess
      expect(response.statusCode).to.equal(500);
      expect(lines[0].attributes.outcome).to.equal("internal_error");
    });
  });

  describe("anything a client sends", () => {
    it("ends in 2xx or 4xx, never 5xx, when storage works", async () => {
      // Prepare
      const { handler } = setup();
      const bodies = fc.oneof(
        fc.jsonValue().map((value) => JSON.stringify(value) ?? ""),
        fc.string({ unit: "binary" }),
        transactionArbitrary({ now: FIXED_NOW }).map((tx) => JSON.stringify(tx)),
      );

      // Act and Assess
      await fc.assert(
        fc.asyncProperty(bodies, fc.boolean(), async (text, encoded) => {
          const event = apiGatewayEvent(encoded ? base64(text) : text, { isBase64Encoded: encoded });
          const response = await handler(event, lambdaContext());
          expect(response.statusCode < 500, `status ${response.statusCode} for ${text.slice(0, 80)}`).to.be
            .ok;
        }),
        { numRuns: 300 },
      );
    });
  });

  describe("request ids", () => {
    it("answers with API Gateway's request id, the one its access log and headers carry", async () => {
      // Prepare
      const { handler } = setup();

      // Act
      const response = await handler(apiGatewayEvent(""), lambdaContext());

      // Assess
      expect(JSON.parse(response.body).request_id).to.equal(API_REQUEST_ID);
    });

    it("falls back to the Lambda request id when the event has none", async () => {
      // Prepare
      const { handler } = setup();
      const event = apiGatewayEvent("");
      const withoutId = { ...event, requestContext: { ...event.requestContext, requestId: "" } };

      // Act
      const response = await handler(withoutId, lambdaContext());

      // Assess
      expect(JSON.parse(response.body).request_id).to.equal(REQUEST_ID);
    });
  });

  describe("every response and log line", () => {
    const scenarios: { name: string; event: APIGatewayProxyEvent; answer?: PutOutcome | string | Error }[] = [
      { name: "201", event: apiGatewayEvent(fullTransaction()) },
      { name: "200", event: apiGatewayEvent(fullTransaction()), answer: "duplicate" },
      { name: "409", event: apiGatewayEvent(fullTransaction()), answer: "conflict" },
      { name: "409 id taken", event: apiGatewayEvent(fullTransaction()), answer: "id-taken" },
      { name: "400 field", event: apiGatewayEvent(fullTransaction({ amount: -1 })) },
      { name: "400 time", event: apiGatewayEvent(fullTransaction({ timestamp: 0 })) },
      { name: "400 body", event: apiGatewayEvent("not json") },
      { name: "413", event: apiGatewayEvent("x".repeat(LIMITS.maxBodyBytes + 1)) },
      {
        name: "503",
        event: apiGatewayEvent(fullTransaction()),
        answer: runtimeError(ERROR_NAMES.storageThrottled, "throttled"),
      },
      { name: "500", event: apiGatewayEvent(fullTransaction()), answer: new Error("boom") },
    ];

    for (const scenario of scenarios) {
      it(`${scenario.name}: JSON content type and exactly one log line without amounts or locations`, async () => {
        // Act
        const { response, lines } = await send(scenario.event, scenario.answer);

        // Assess
        expect(response.headers?.["content-type"]).to.equal("application/json");
        expect(() => JSON.parse(response.body)).not.to.throw();
        expect(lines.length).to.equal(1);
        const [line] = lines;
        expect(line.message).to.equal("request");
        expect(line.attributes.request_id).to.equal(API_REQUEST_ID);
        expect(line.attributes.status).to.equal(response.statusCode);
        expect(line.attributes.latency_ms).to.equal(7);
        for (const key of ["amount", "location", "latitude", "longitude", "merchant_id", "body", "payload"]) {
          expect(key in line.attributes, `log line has ${key}`).to.equal(false);
        }
        expect(JSON.stringify(line.attributes)).not.to.match(/1234|40\.7128|-74\.006|merchant-0001/);
      });
    }

    it("logs ids and the outcome of an accepted transaction at info level", async () => {
      // Prepare
      const tx = validTransaction();

      // Act
      const { lines } = await send(apiGatewayEvent(tx));

      // Assess
      expect(lines).to.deep.equal([
        {
          level: "info",
          message: "request",
          attributes: {
            request_id: API_REQUEST_ID,
            transaction_id: tx.transaction_id,
            account_id: tx.account_id,
            status: 201,
            outcome: "accepted",
            latency_ms: 7,
          },
        },
      ]);
    });

    it("logs the names of invalid fields, never unknown property names sent by the client", async () => {
      // Prepare
      const event = apiGatewayEvent(
        transactionBody({ amount: 0, "4111111111111111": "x", location: { lat: 1 } }),
      );

      // Act
      const { lines } = await send(event);

      // Assess
      expect(lines[0].level).to.equal("warn");
      expect(lines[0].attributes.outcome).to.equal("invalid_request");
      expect(lines[0].attributes.error_fields).to.deep.equal([
        "amount",
        "location.latitude",
        "location.longitude",
        "(unknown property)",
      ]);
      expect("transaction_id" in lines[0].attributes).to.equal(false);
    });

    it("logs the ids of a decoded transaction rejected for its event time", async () => {
      // Prepare
      const tx = validTransaction({ timestamp: 0 });

      // Act
      const { lines } = await send(apiGatewayEvent(tx));

      // Assess
      expect(lines[0].attributes.transaction_id).to.equal(tx.transaction_id);
      expect(lines[0].attributes.error_fields).to.deep.equal(["timestamp"]);
    });
  });
});
