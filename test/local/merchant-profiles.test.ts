import { expect } from "chai";
import fc from "fast-check";
import { makeMemoryMerchantRisk } from "../../local/backtest/merchant-profiles";
import type { Transaction } from "../../pipeline/runtime/contract/transaction";
import { merchantWindows } from "../../pipeline/runtime/detect/features/summary";
import { DAY_MS, type MerchantDayCounts } from "../../pipeline/runtime/detect/merchant-risk";

const FIRST_DAY = 20_362;

/** Additions to a few merchants' buckets over about two months, in any day order. */
const additionsArbitrary = fc.array(
  fc.record({
    merchant: fc.constantFrom("m-1", "m-2", "m-3"),
    day: fc.integer({ min: FIRST_DAY, max: FIRST_DAY + 60 }),
    transactions: fc.integer({ min: 0, max: 3 }),
    frauds: fc.integer({ min: 0, max: 2 }),
  }),
  { maxLength: 60 },
);

describe("Function: makeMemoryMerchantRisk", () => {
  it("gives the windows merchantWindows computes from a profile of the same buckets", () => {
    fc.assert(
      fc.property(
        additionsArbitrary,
        fc.constantFrom("m-1", "m-2", "m-3", "m-new"),
        fc.integer({ min: FIRST_DAY - 5, max: FIRST_DAY + 100 }),
        (additions, merchant, day) => {
          // Prepare
          const store = makeMemoryMerchantRisk();
          const profile = new Map<number, MerchantDayCounts>();
          for (const a of additions) {
            store.add(a.merchant, a.day, a.transactions, a.frauds);
            if (a.merchant !== merchant) continue;
            const counts = profile.get(a.day) ?? { transactions: 0, frauds: 0 };
            profile.set(a.day, {
              transactions: counts.transactions + a.transactions,
              frauds: counts.frauds + a.frauds,
            });
          }
          const tx = { timestamp: day * DAY_MS + 1000 } as Transaction;

          // Act
          const windows = store.windowsOf(merchant, day);

          // Assess
          expect(windows).to.deep.equal(merchantWindows(tx, profile));
        },
      ),
      { numRuns: 500 },
    );
  });
});
