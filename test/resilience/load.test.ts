import * as http from "node:http";
import { isDeepStrictEqual } from "node:util";
import { expect } from "chai";
import { seededRandom } from "../../local/faults";
import type { LocalPipeline } from "../../local/pipeline";
import { contractFields } from "../../pipeline/runtime/contract/item";
import { liveTransaction, removeDir, startTestPipeline, tempDir } from "../helpers/local";
import { rawRequest, runPool } from "../helpers/resilience";

const CONNECTIONS = 200;
const REQUESTS = 4_000;
const MB = 1024 * 1024;
/** Generous bounds: the table of a few thousand items plus 200 sockets is a few tens of MB. */
const MAX_RSS_GROWTH_MB = 300;
const MAX_HEAP_GROWTH_MB = 200;
/** What the local API documents for POST /transactions. */
const DOCUMENTED = new Set([201, 200, 400, 409, 413]);

type Kind = "new" | "retry" | "conflict" | "invalid" | "oversized";

/** A seeded mix: mostly new transactions, some exact retries and conflicting re-uses of earlier ids, some bad bodies. */
function requestMix(): { kind: Kind; key: string; body: string }[] {
  const random = seededRandom(99);
  const sent: ReturnType<typeof liveTransaction>[] = [];
  return Array.from({ length: REQUESTS }, (_, i) => {
    const roll = random();
    const earlier = sent[Math.floor(random() * sent.length)];
    if (roll < 0.1 && earlier !== undefined)
      return { kind: "retry" as const, key: `${earlier.transaction_id}`, body: JSON.stringify(earlier) };
    if (roll < 0.15 && earlier !== undefined)
      return {
        kind: "conflict" as const,
        key: `${earlier.transaction_id}`,
        body: JSON.stringify({ ...earlier, amount: earlier.amount + 1 }),
      };
    if (roll < 0.22)
      return {
        kind: "invalid" as const,
        key: "",
        body: JSON.stringify({ ...liveTransaction(), amount: -i }),
      };
    if (roll < 0.25) return { kind: "oversized" as const, key: "", body: " ".repeat(20_000) };
    const tx = liveTransaction(
      { transaction_id: `load-${i}`, account_id: `acct-${i % 500}`, merchant_id: `m-${i}` },
      -60_000 - i * 60_000,
    );
    sent.push(tx);
    return { kind: "new" as const, key: tx.transaction_id, body: JSON.stringify(tx) };
  });
}

describe("Resilience: a burst of concurrent requests against the local API", () => {
  let dir: string;
  let local: LocalPipeline;
  let agent: http.Agent;

  before(async () => {
    dir = tempDir();
    local = await startTestPipeline(dir);
    agent = new http.Agent({ keepAlive: true, maxSockets: CONNECTIONS });
  });

  after(async () => {
    agent.destroy();
    await local.stop();
    removeDir(dir);
  });

  it(`answers all ${REQUESTS} requests over ${CONNECTIONS} connections with documented statuses in bounded memory`, async function () {
    this.timeout(60_000);
    // Prepare
    const mix = requestMix();
    const before = process.memoryUsage();
    const statuses = new Array<number>(REQUESTS);
    const errors: string[] = [];
    const started = Date.now();

    // Act
    await runPool(mix, CONNECTIONS, async (request, i) => {
      const outcome = await rawRequest(local.port, request.body, { agent });
      if (outcome.ok) statuses[i] = outcome.response.status;
      else errors.push(outcome.error);
    });
    await local.idle();
    const elapsedMs = Date.now() - started;
    const after = process.memoryUsage();

    // Assess
    expect(errors, "no request may be dropped or reset").to.deep.equal([]);
    expect(statuses.filter((status) => !DOCUMENTED.has(status))).to.deep.equal([]);
    const created = new Map<string, number>();
    mix.forEach((request, i) => {
      const status = statuses[i] as number;
      if (request.kind === "invalid") expect(status).to.equal(400);
      else if (request.kind === "oversized") expect(status).to.equal(413);
      else {
        // Concurrent requests for one key race: the first stored body wins, an equal body is a
        // duplicate, a different one a conflict.
        const tx = JSON.parse(request.body);
        const stored = contractFields(local.table.get(tx) ?? {});
        const same = isDeepStrictEqual(stored, tx);
        expect(
          same ? status === 201 || status === 200 : status === 409,
          `${request.kind} ${request.key}: ${status}`,
        ).to.be.ok;
        if (status === 201) created.set(request.key, (created.get(request.key) ?? 0) + 1);
      }
    });
    expect(
      [...created.values()].filter((n) => n !== 1),
      "one 201 per transaction",
    ).to.deep.equal([]);
    expect(local.table.size()).to.equal(created.size);
    const rssGrowthMb = (after.rss - before.rss) / MB;
    const heapGrowthMb = (after.heapUsed - before.heapUsed) / MB;
    const tally = [...DOCUMENTED].map((s) => `${s}=${statuses.filter((x) => x === s).length}`).join(" ");
    console.log(
      `      load: ${REQUESTS} requests, ${CONNECTIONS} connections, ${elapsedMs} ms, ${tally};` +
        ` rss ${(before.rss / MB).toFixed(0)} -> ${(after.rss / MB).toFixed(0)} MB,` +
        ` heapUsed ${(before.heapUsed / MB).toFixed(0)} -> ${(after.heapUsed / MB).toFixed(0)} MB`,
    );
    expect(rssGrowthMb < MAX_RSS_GROWTH_MB, `rss grew ${rssGrowthMb.toFixed(0)} MB`).to.be.ok;
    expect(heapGrowthMb < MAX_HEAP_GROWTH_MB, `heapUsed grew ${heapGrowthMb.toFixed(0)} MB`).to.be.ok;
  });
});
