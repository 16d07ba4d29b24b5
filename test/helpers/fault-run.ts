import * as http from "node:http";
import { assert, expect } from "chai";
import { seededRandom } from "../../local/faults";
import { readOutbox } from "../../local/outbox-topic";
import type { LocalPipeline } from "../../local/pipeline";
import { ITEM_ATTRIBUTES } from "../../pipeline/runtime/contract/item";
import type { Transaction } from "../../pipeline/runtime/contract/transaction";
import { removeDir, startTestPipeline, tempDir } from "./local";
import { postWithRetry, runPool } from "./resilience";

/** 10 transactions per account, 12 hours apart, so only the amount can flag one. */
const PER_ACCOUNT = 10;
const CONCURRENCY = 64;
const FAULT_RATE = 0.1;
/** Twice the default USD limit: high-amount alone flags it, whatever the history. */
const FLAGGED_AMOUNT = 2_000_000;
/** Statuses the API documents for a valid body. */
const DOCUMENTED = new Set([201, 200, 400, 409, 503]);

/** `count` valid transactions, about 10% of them with a flagging amount; seeded. */
function workload(now: number, count: number, seed: number): { txs: Transaction[]; planted: Set<string> } {
  const random = seededRandom(seed);
  const planted = new Set<string>();
  const txs = Array.from({ length: count }, (_, i) => {
    const id = `fault-${i}`;
    const flagged = random() < 0.1;
    if (flagged) planted.add(id);
    return {
      transaction_id: id,
      account_id: `acct-${Math.floor(i / PER_ACCOUNT)}`,
      amount: flagged ? FLAGGED_AMOUNT + Math.floor(random() * 1000) : 1_000 + Math.floor(random() * 3_000),
      currency: "USD",
      timestamp: now - ((i % PER_ACCOUNT) + 1) * 12 * 3_600_000,
      merchant_id: `m-${i}`,
    };
  });
  return { txs, planted };
}

const countBy = <T>(items: Iterable<T>, key: (item: T) => string) => {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
  return counts;
};

/** One run of the scenario: its size and the seeds of its workload and of its faults. */
interface FaultRun {
  readonly count: number;
  readonly workloadSeed: number;
  readonly faultSeed: number;
}

/**
 * Defines the scenario's test for one run: `count` transactions through startLocalPipeline with 10%
 * injected failures at every stage, then checks that nothing was lost, duplicated or notified
 * twice. The scenario is split into runs of different seeds, one test file each, so mocha's
 * parallel workers share it.
 *
 * @example
 * describeFaultRun({ count: 5_000, workloadSeed: 2025, faultSeed: 7 });
 */
function describeFaultRun({ count, workloadSeed, faultSeed }: FaultRun): void {
  describe(`Resilience: startLocalPipeline under 10% injected faults at every stage (seeds ${workloadSeed}/${faultSeed})`, () => {
    let dir: string;
    let local: LocalPipeline | undefined;
    let agent: http.Agent;

    beforeEach(() => {
      dir = tempDir();
      agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
    });

    afterEach(async () => {
      agent.destroy();
      await local?.stop();
      local = undefined;
      removeDir(dir);
    });

    it(`loses nothing and notifies each flagged transaction once across ${count} transactions`, async function () {
      this.timeout(90_000);
      // Prepare
      local = await startTestPipeline(dir, {
        pollIntervalMs: 2,
        visibilityTimeoutMs: 40,
        // With 10% failures per call, a record or message failing this often in a row is ~1e-10:
        // the dead-letter outcome stays possible (and is checked) but rare.
        maxReceiveCount: 10,
        streamMaxRetries: 12,
        faults: {
          seed: faultSeed,
          rates: {
            tableWrite: FAULT_RATE,
            historyQuery: FAULT_RATE,
            verdictWrite: FAULT_RATE,
            queueSend: FAULT_RATE,
            publish: FAULT_RATE,
          },
        },
      });
      const { txs, planted } = workload(Date.now(), count, workloadSeed);
      const port = local.port;
      const outcomes = new Array<{ statuses: readonly number[]; errors: readonly string[] }>(count);
      const started = Date.now();

      // Act
      await runPool(txs, CONCURRENCY, async (tx, i) => {
        outcomes[i] = await postWithRetry(port, JSON.stringify(tx), {
          agent,
          maxAttempts: 10,
          msPerSecond: 5,
        });
      });
      await local.idle();
      const elapsedMs = Date.now() - started;

      // Assess
      const seen = new Set(outcomes.flatMap((o) => o.statuses));
      expect(
        [...seen].filter((status) => !DOCUMENTED.has(status)),
        "undocumented statuses",
      ).to.deep.equal([]);
      expect(
        outcomes.flatMap((o) => o.errors),
        "no request may be reset or refused",
      ).to.deep.equal([]);
      const accepted = new Set(
        txs
          .filter((_, i) => [201, 200].includes(outcomes[i]?.statuses.at(-1) ?? 0))
          .map((tx) => tx.transaction_id),
      );

      const items = local.table.scan();
      const stored = countBy(items, (item) => String(item.transaction_id));
      expect(
        [...stored.values()].filter((n) => n !== 1),
        "each transaction stored once",
      ).to.deep.equal([]);
      expect([...stored.keys()].sort(), "stored exactly the accepted").to.deep.equal([...accepted].sort());

      const streamDead = new Set(
        local.feed
          .deadLetters()
          .flatMap((d) => d.records.map((r) => String(r.dynamodb?.Keys?.transaction_id?.S))),
      );
      for (const dead of local.feed.deadLetters())
        expect(dead.reason.length > 0, "stream DLQ entry without a reason").to.be.ok;
      const unassessed = items.filter((item) => item[ITEM_ATTRIBUTES.verdict] === undefined);
      for (const item of unassessed) {
        expect(
          streamDead.has(String(item.transaction_id)),
          `${item.transaction_id} has no verdict and no DLQ entry`,
        ).to.be.ok;
      }

      const flagged = items.filter((item) => item[ITEM_ATTRIBUTES.verdict] === "flagged");
      const cleared = items.filter((item) => item[ITEM_ATTRIBUTES.verdict] === "cleared");
      expect(
        flagged.map((item) => String(item.transaction_id)).sort(),
        "flagged exactly the planted high amounts",
      ).to.deep.equal(
        [...planted]
          .filter((id) => accepted.has(id) && !unassessed.some((u) => u.transaction_id === id))
          .sort(),
      );

      const notified = countBy(readOutbox(local.outbox), (entry) => entry.transaction_id);
      const alertDead = new Map(
        local.queue.deadLetters().map((m) => [String(JSON.parse(m.body).transaction_id), m] as const),
      );
      for (const item of flagged) {
        const id = String(item.transaction_id);
        const times = notified.get(id) ?? 0;
        if (times === 1) {
          expect(typeof item[ITEM_ATTRIBUTES.notifiedAt], `${id} notified but not recorded`).to.equal(
            "number",
          );
          continue;
        }
        expect(times, `${id} notified ${times} times`).to.equal(0);
        const dead = alertDead.get(id);
        assert.ok(dead !== undefined, `${id} flagged, never notified and not in the alert DLQ`);
        expect(dead.receiveCount).to.equal(10);
        expect(JSON.parse(dead.body).rules, `${id} sits in the DLQ without its reason`).to.not.be.empty;
      }
      for (const item of cleared) {
        expect(notified.get(String(item.transaction_id)), `cleared ${item.transaction_id} notified`).to.equal(
          undefined,
        );
      }

      const injected = local.faults.injected();
      expect(
        Object.entries(injected).filter(([, n]) => n === 0),
        "every stage must have had injected failures",
      ).to.deep.equal([]);
      const retried503 = outcomes.reduce((sum, o) => sum + o.statuses.filter((s) => s === 503).length, 0);
      console.log(
        `      faults: sent=${count} accepted=${accepted.size} gaveUp=${count - accepted.size} 503s=${retried503}` +
          ` stored=${items.length} flagged=${flagged.length} cleared=${cleared.length} notified=${notified.size}` +
          ` alertDLQ=${alertDead.size} streamDLQ=${streamDead.size} injected=${JSON.stringify(injected)} ms=${elapsedMs}`,
      );
    });
  });
}

export { describeFaultRun };
