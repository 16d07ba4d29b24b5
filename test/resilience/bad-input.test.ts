/**
 * Bad input over HTTP against the local API and straight into the process handler: raw bytes,
 * truncated JSON, wrong types, huge numbers, deep nesting, unicode, extra and duplicate fields,
 * oversized bodies, odd headers. Extends test/contract/contract.test.ts (which compares the schema
 * and the codec on parsed values) with raw texts sent through the whole local API.
 */
import assert from "node:assert/strict";
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
          assert.equal(response.status, 413);
          assert.equal(table.size(), sizeBefore);
          return;
        }
        if (!body.ok) {
          assert.match(String(assertNamesFields(response).message), /"body": /);
          return;
        }
        const schema = judges.schema(body.value);
        assert.deepEqual(judges.codec(body.value), schema, "schema and codec disagree");
        if (!schema.valid) {
          const message = String(assertNamesFields(response).message);
          for (const field of schema.fields)
            assert.ok(message.includes(`${JSON.stringify(field)}: `), `${field} not named: ${message}`);
          assert.equal(table.size(), sizeBefore);
          return;
        }
        const outOfWindow = checkEventTime(body.value as Transaction, Date.now()).length > 0;
        if (outOfWindow) {
          assert.deepEqual(
            (assertNamesFields(response).fields as { field: string }[]).map((f) => f.field),
            ["timestamp"],
          );
        } else {
          assert.equal(response.status, 201, response.text);
          assert.equal(table.size(), sizeBefore + 1);
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
          assert.ok(outcome.ok && outcome.response.status === 201, JSON.stringify(outcome));
          const stored = local.table.get(tx);
          assert.deepEqual(contractFields(stored ?? {}), JSON.parse(JSON.stringify(tx)));
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
        if (valid) assert.equal(outcome.response.status, 201, outcome.response.text);
        else assert.match(String(assertNamesFields(outcome.response).message), /"amount": is required/);
      }),
      { seed: SEED, numRuns: 150 },
    );
  });

  it("still answers after all of it", async () => {
    // Act
    const outcome = await rawRequest(local.port, "", { method: "GET", path: "/health" });

    // Assess
    assert.ok(outcome.ok);
    assert.equal(outcome.response.status, 200);
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
        assert.ok([201, 400, 413].includes(response.statusCode), response.body);
        assert.equal(JSON.parse(response.body).error === undefined, response.statusCode === 201);
        if (response.statusCode === 400) assertNamesFields({ status: 400, headers: {}, text: response.body });
        if (plain !== undefined && response.statusCode === 201) {
          assert.equal(
            judges.schema(JSON.parse(plain)).valid,
            true,
            "the handler accepted what the model refuses",
          );
        }
      }),
      { seed: SEED, numRuns: 500 },
    );
  });
});
