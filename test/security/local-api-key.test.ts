/**
 * Property version of the local API key check (the example case is in test/local/pipeline.test.ts):
 * with an API key configured, no request without exactly that key in the x-api-key header stores
 * anything, wherever else the key is put.
 */
import crypto from "node:crypto";
import { assert, expect } from "chai";
import fc from "fast-check";
import sinon from "sinon";
import { makeApiKeyCheck } from "../../local/api-key";
import type { LocalPipeline } from "../../local/pipeline";
import { captureOutput, liveTransaction, removeDir, startTestPipeline, tempDir } from "../helpers/local";
import { rawRequest } from "../helpers/resilience";

const SECRET = "local-Secret-123";
const PRINTABLE = fc.string({
  unit: fc.integer({ min: 0x21, max: 0x7e }).map((code) => String.fromCharCode(code)),
  minLength: 1,
  maxLength: 40,
});

/** Wrong keys, near misses of the right one included. */
const WRONG_KEY = fc
  .oneof(
    PRINTABLE,
    fc.constantFrom(
      SECRET.toUpperCase(),
      SECRET.toLowerCase(),
      SECRET.slice(0, -1),
      `${SECRET}x`,
      `${SECRET} ${SECRET}`,
      `${SECRET},${SECRET}`,
      `Bearer ${SECRET}`,
    ),
  )
  .filter((key) => key !== SECRET);

/** Places a request can carry the key other than the x-api-key header. */
const ELSEWHERE = fc.constantFrom("nowhere", "query", "authorization", "body", "otherHeader");

let sequence = 0;

describe("Security: the local API with an API key", () => {
  let dir: string;
  let local: LocalPipeline;

  before(async () => {
    dir = tempDir();
    local = await startTestPipeline(dir, { apiKey: SECRET });
  });

  after(async () => {
    await local.stop();
    removeDir(dir);
  });

  it("refuses with 403 and stores nothing unless x-api-key holds exactly the key", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.option(WRONG_KEY, { freq: 4 }),
        ELSEWHERE,
        fc.constantFrom("x-api-key", "X-API-KEY", "X-Api-Key"),
        async (wrongKey, elsewhere, headerName) => {
          // Prepare
          sequence += 1;
          const tx = liveTransaction({ transaction_id: `key-${sequence}` });
          const headers: Record<string, string> = {};
          if (wrongKey !== null) headers[headerName] = wrongKey;
          if (elsewhere === "authorization") headers.authorization = SECRET;
          if (elsewhere === "otherHeader") headers["x-api-key-2"] = SECRET;
          const body = elsewhere === "body" ? { ...tx, api_key: SECRET } : tx;
          const path = elsewhere === "query" ? `/transactions?x-api-key=${SECRET}` : "/transactions";

          // Act
          const outcome = await rawRequest(local.port, JSON.stringify(body), { headers, path });

          // Assess
          assert.ok(outcome.ok);
          expect(outcome.response.status).to.equal(403);
          expect(JSON.parse(outcome.response.text)).to.deep.equal({ message: "Forbidden" });
          expect(local.table.get(tx)).to.equal(undefined);
        },
      ),
      { seed: 4242, numRuns: 200 },
    );
  });

  it("accepts the exact key whatever the case of the header name", async () => {
    for (const headerName of ["x-api-key", "X-API-KEY", "X-Api-Key"]) {
      // Prepare
      sequence += 1;
      const tx = liveTransaction({ transaction_id: `key-${sequence}` });

      // Act
      const outcome = await rawRequest(local.port, JSON.stringify(tx), { headers: { [headerName]: SECRET } });

      // Assess
      assert.ok(outcome.ok);
      expect(outcome.response.status, headerName).to.equal(201);
    }
  });
});

describe("Security: the local API key check", () => {
  afterEach(() => {
    sinon.restore();
  });

  it("compares with timingSafeEqual over equal-length digests, whatever the length of the key sent", () => {
    // Prepare
    const compare = sinon.spy(crypto, "timingSafeEqual");
    const allowed = makeApiKeyCheck(SECRET);

    // Act
    const verdicts = [SECRET, SECRET.slice(0, -1), `${SECRET}${"x".repeat(500)}`, ""].map(allowed);

    // Assess
    expect(verdicts).to.deep.equal([true, false, false, false]);
    expect(compare.callCount).to.equal(4);
    for (const call of compare.getCalls()) {
      const [given, wanted] = call.args as [Buffer, Buffer];
      expect([given.length, wanted.length]).to.deep.equal([32, 32]);
    }
  });

  it("refuses a missing or repeated header", () => {
    // Prepare
    const allowed = makeApiKeyCheck(SECRET);

    // Act
    const verdicts = [undefined, [SECRET, SECRET]].map(allowed);

    // Assess
    expect(verdicts).to.deep.equal([false, false]);
  });

  it("logs each 403 at warn with the request id and never the key sent or the real one", async () => {
    // Prepare
    const dir = tempDir();
    const local = await startTestPipeline(dir, { apiKey: SECRET, logLevel: "warn" });
    const nearMiss = `${SECRET}x`;

    try {
      // Act
      const { result, stderr } = await captureOutput(async () => [
        await rawRequest(local.port, JSON.stringify(liveTransaction()), {
          headers: { "x-api-key": nearMiss },
        }),
        await rawRequest(local.port, JSON.stringify(liveTransaction())),
      ]);

      // Assess
      const lines = stderr
        .trim()
        .split("\n")
        .map((line) => JSON.parse(line) as Record<string, unknown>);
      expect(lines.map((line) => [line.level, line.x_api_key])).to.deep.equal([
        ["WARN", "wrong"],
        ["WARN", "missing"],
      ]);
      const ids = result.map((outcome) => (outcome.ok ? outcome.response.headers["x-amzn-requestid"] : ""));
      expect(lines.map((line) => line.request_id)).to.deep.equal(ids);
      expect(stderr.includes(SECRET)).to.equal(false);
    } finally {
      await local.stop();
      removeDir(dir);
    }
  });
});
