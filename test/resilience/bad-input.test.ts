/**
 * Bad input over HTTP against the local API and straight into the process handler: raw bytes,
 * truncated JSON, wrong types, huge numbers, deep nesting, unicode, extra and duplicate fields,
 * oversized bodies, odd headers. Extends test/contract/contract.test.ts (which compares the schema
 * and the codec on parsed values) with raw texts sent through the whole local API.
 */
import { assert, expect } from "chai";
import fc from "fast-check";
import { makeFaults } from "../../local/faults";
import { makeMemoryTable } from "../../local/memory-table";
import type { LocalPipeline } from "../../local/pipeline";
import { makeTablePorts } from "../../local/table-ports";
import { checkEventTime, makeTransactionCodec } from "../../pipeline/runtime/contract/codec";
import { contractFields } from "../../pipeline/runtime/contract/item";
import { LIMITS, type Transaction } from "../../pipeline/runtime/contract/transaction";
import { makeProcessHandler } from "../../pipeline/runtime/process/handler";
import {
  assertNamesFields,
  FRAMING,
  HEADERS,
  MUTATION,
  makeJudges,
  mutatedText,
  parsed,
} from "../helpers/bad-input";
import { removeDir, startTestPipeline, tempDir } from "../helpers/local";
import { rawRequest } from "../helpers/resilience";
import { apiGatewayEvent, lambdaContext, transactionArbitrary } from "../helpers/transactions";

const SEED = 20251125;
const MAX = LIMITS.maxBodyBytes;

let sequence = 0;
/** A fresh transaction id per property run, so a valid body is always new (201, never 200/409). */
function freshId(): string {
  sequence += 1;
  return `bad-input-${sequence}`;
}

/** A valid transaction with every field set, timestamped one minute ago by the real clock. */
function liveFull(): Transaction {
  return {
    transaction_id: freshId(),
    account_id: "acct-bad-input",
    amount: 42_00,
    currency: "EUR",
    timestamp: Date.now() - 60_000,
    merchant_id: "merchant-bad-input",
    merchant_category: "5411",
    channel: "online",
    location: { latitude: 48.85, longitude: 2.35 },
    country: "FR",
  };
}

describe("Resilience: the local API under bad input", () => {
  let dir: string;
  let local: LocalPipeline;
  const judges = makeJudges();

  before(async () => {
    dir = tempDir();
    local = await startTestPipeline(dir);
  });

  after(async () => {
    await local.stop();
    removeDir(dir);
  });

  it("answers raw byte strings with a 400 naming the body, never 5xx and never a reset", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.uint8Array({ maxLength: 300 }).map((bytes) => Buffer.from(bytes)),
          fc.string({ unit: "binary", maxLength: 300 }).map((s) => Buffer.from(s, "utf8")),
          fc
            .constantFrom("", "null", "[]", '"tx"', "1e400", "{", '{"amount":', "\uFEFF{}", "{}}")
            .map((s) => Buffer.from(s)),
        ),
        async (bytes) => {
          // Act
          const outcome = await rawRequest(local.port, bytes);

          // Assess
          assert.ok(outcome.ok, `reset: ${outcome.ok || outcome.error}`);
          assertNamesFields(outcome.response);
        },
      ),
      { seed: SEED, numRuns: 300 },
    );
  });

  it("answers mutated bodies per the contract: 201, 400 naming every field the schema names, or 413", async () => {
    const table = local.table;
    await fc.assert(
      fc.asyncProperty(fc.array(MUTATION, { maxLength: 3 }), FRAMING, async (mutations, framing) => {
        // Prepare
        const text = mutatedText(liveFull(), mutations, framing);
        const body = parsed(text);
        const sizeBefore = table.size();

        // Act
        const outcome = await rawRequest(local.port, text);

        // Assess
        assert.ok(outcome.ok, `reset: ${outcome.ok || outcome.error}`);
        const { response } = outcome;
        if (Buffer.byteLength(text) > MAX) {
          expect(response.status).to.equal(413);
          expect(table.size()).to.equal(sizeBefore);
          return;
        }
        if (!body.ok) {
          expect(String(assertNamesFields(response).message)).to.match(/"body": /);
          return;
        }
        const schema = judges.schema(body.value);
        expect(judges.codec(body.value), "schema and codec disagree").to.deep.equal(schema);
        if (!schema.valid) {
          const message = String(assertNamesFields(response).message);
          for (const field of schema.fields)
            expect(message.includes(`${JSON.stringify(field)}: `), `${field} not named: ${message}`).to.be.ok;
          expect(table.size()).to.equal(sizeBefore);
          return;
        }
        const outOfWindow = checkEventTime(body.value as Transaction, Date.now()).length > 0;
        if (outOfWindow) {
          expect(
            (assertNamesFields(response).fields as { field: string }[]).map((f) => f.field),
          ).to.deep.equal(["timestamp"]);
        } else {
          expect(response.status, response.text).to.equal(201);
          expect(table.size()).to.equal(sizeBefore + 1);
        }
      }),
      { seed: SEED, numRuns: 500 },
    );
  });

  it("accepts every valid body with 201 and stores exactly its contract fields", async () => {
    await fc.assert(
      fc.asyncProperty(
        transactionArbitrary(),
        fc.integer({ min: -LIMITS.maxAgeMs + 60_000, max: LIMITS.maxFutureSkewMs - 60_000 }),
        async (generated, offsetMs) => {
          // Prepare
          const tx = { ...generated, transaction_id: freshId(), timestamp: Date.now() + offsetMs };

          // Act
          const outcome = await rawRequest(local.port, JSON.stringify(tx));

          // Assess
          expect(outcome.ok && outcome.response.status === 201, JSON.stringify(outcome)).to.be.ok;
          const stored = local.table.get(tx);
          expect(contractFields(stored ?? {})).to.deep.equal(JSON.parse(JSON.stringify(tx)));
        },
      ),
      { seed: SEED, numRuns: 200 },
    );
  });

  it("gives the same answer whatever content type, extra headers and query string come with the body", async () => {
    await fc.assert(
      fc.asyncProperty(HEADERS, fc.boolean(), async (headers, valid) => {
        // Prepare
        const { amount: _amount, ...withoutAmount } = liveFull();
        const body = valid ? liveFull() : withoutAmount;

        // Act
        const outcome = await rawRequest(local.port, JSON.stringify(body), {
          path: `/transactions${headers.query}`,
          headers: { ...headers.extra, "content-type": headers["content-type"] },
        });

        // Assess
        assert.ok(outcome.ok, `reset: ${outcome.ok || outcome.error}`);
        if (valid) expect(outcome.response.status, outcome.response.text).to.equal(201);
        else expect(String(assertNamesFields(outcome.response).message)).to.match(/"amount": is required/);
      }),
      { seed: SEED, numRuns: 150 },
    );
  });

  it("still answers after all of it", async () => {
    // Act
    const outcome = await rawRequest(local.port, "", { method: "GET", path: "/health" });

    // Assess
    assert.ok(outcome.ok);
    expect(outcome.response.status).to.equal(200);
  });
});

describe("Resilience: makeProcessHandler under bad input", () => {
  const judges = makeJudges();

  it("answers any body, encoding and headers with 201 or a 4xx naming the fields, never 5xx or a throw", async () => {
    // Prepare
    const store = makeTablePorts(makeMemoryTable(), makeFaults()).store;
    const handler = makeProcessHandler({
      store,
      codec: makeTransactionCodec(),
      now: Date.now,
      log: { info: () => undefined, warn: () => undefined, error: () => undefined },
    });
    const bodies = fc.oneof(
      fc.constant(null),
      fc.string({ unit: "binary", maxLength: 200 }).map((text) => ({ text, base64: false })),
      fc
        .uint8Array({ maxLength: 200 })
        .map((bytes) => ({ text: Buffer.from(bytes).toString("base64"), base64: true })),
      fc.string({ maxLength: 50 }).map((text) => ({ text, base64: true })),
      fc
        .tuple(fc.array(MUTATION, { maxLength: 3 }), FRAMING, fc.boolean())
        .map(([mutations, framing, base64]) => ({ mutations, framing, base64 })),
    );

    await fc.assert(
      fc.asyncProperty(bodies, HEADERS, async (choice, headers) => {
        // Prepare
        let body: string | null = null;
        let base64 = false;
        let plain: string | undefined;
        if (choice !== null && "mutations" in choice) {
          plain = mutatedText(liveFull(), choice.mutations, choice.framing);
          base64 = choice.base64;
          body = base64 ? Buffer.from(plain).toString("base64") : plain;
        } else if (choice !== null) {
          body = choice.text;
          base64 = choice.base64;
        }
        const event = apiGatewayEvent(body, {
          isBase64Encoded: base64,
          headers: { ...headers.extra, "content-type": headers["content-type"] },
        });

        // Act
        const response = await handler(event, lambdaContext({ awsRequestId: freshId() }));

        // Assess
        expect([201, 400, 413].includes(response.statusCode), response.body).to.be.ok;
        expect(JSON.parse(response.body).error === undefined).to.equal(response.statusCode === 201);
        if (response.statusCode === 400) assertNamesFields({ status: 400, headers: {}, text: response.body });
        if (plain !== undefined && response.statusCode === 201) {
          expect(
            judges.schema(JSON.parse(plain)).valid,
            "the handler accepted what the model refuses",
          ).to.equal(true);
        }
      }),
      { seed: SEED, numRuns: 500 },
    );
  });
});
