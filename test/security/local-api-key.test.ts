/**
 * Property version of the local API key check (the example case is in test/local/pipeline.test.ts):
 * with an API key configured, no request without exactly that key in the x-api-key header stores
 * anything, wherever else the key is put.
 */
import { assert, expect } from "chai";
import fc from "fast-check";
import type { LocalPipeline } from "../../local/pipeline";
import { liveTransaction, removeDir, startTestPipeline, tempDir } from "../helpers/local";
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
