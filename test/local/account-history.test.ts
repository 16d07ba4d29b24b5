import { expect } from "chai";
import fc from "fast-check";
import { makeAccountHistory } from "../../local/backtest/account-history";
import type { Transaction } from "../../pipeline/runtime/contract/transaction";
import { DEFAULT_RULES_CONFIG, type RulesConfig } from "../../pipeline/runtime/detect/config";
import { aggregateHistory, evaluateRules } from "../../pipeline/runtime/detect/features/summary";
import { selectHistory } from "../../pipeline/runtime/detect/history";

const MINUTE_MS = 60_000;
const DAY_MS = 24 * 60 * MINUTE_MS;
const START = Date.UTC(2025, 9, 1);

/** One account's transactions: gaps from none to days (some exactly a window), a few merchants, currencies and places. */
const transactionsArbitrary = fc
  .array(
    fc.record({
      gapMs: fc.oneof(
        fc.constant(0),
        // Exactly a window apart: the boundaries are inclusive.
        fc.constantFrom(60 * MINUTE_MS, DAY_MS, 7 * DAY_MS),
        fc.integer({ min: 1, max: 10 * MINUTE_MS }),
        fc.integer({ min: 1, max: 3 * DAY_MS }),
      ),
      amount: fc.oneof(fc.integer({ min: 1, max: 300 }), fc.integer({ min: 1, max: 5_000_000 })),
      currency: fc.constantFrom("USD", "EUR", "JPY"),
      merchant: fc.integer({ min: 0, max: 5 }),
      place: fc.option(fc.integer({ min: 0, max: 3 }), { nil: undefined }),
      country: fc.option(fc.constantFrom("US", "GB", "FR"), { nil: undefined }),
    }),
    { maxLength: 80 },
  )
  .map((drawn) => {
    let at = START;
    return drawn.map((d, i): Transaction => {
      at += d.gapMs;
      const place =
        d.place === undefined ? {} : { location: { latitude: 10 * d.place, longitude: 40 * d.place } };
      return {
        transaction_id: `tx-${i}`,
        account_id: "acct-1",
        amount: d.amount,
        currency: d.currency,
        timestamp: at,
        merchant_id: `m-${d.merchant}`,
        ...place,
        ...(d.country === undefined ? {} : { country: d.country }),
      };
    });
  });

const configArbitrary = fc
  .record({
    windowMs: fc.constantFrom(30 * DAY_MS, 2 * DAY_MS, 90 * MINUTE_MS),
    limit: fc.integer({ min: 1, max: 40 }),
    minHistory: fc.integer({ min: 1, max: 6 }),
  })
  .map(
    ({ windowMs, limit, minHistory }): RulesConfig => ({
      ...DEFAULT_RULES_CONFIG,
      history: { windowMs, limit },
      rules: {
        ...DEFAULT_RULES_CONFIG.rules,
        amountSpike: { ...DEFAULT_RULES_CONFIG.rules.amountSpike, minHistory, minMultiple: 2 },
      },
    }),
  );

describe("Function: makeAccountHistory", () => {
  it("holds selectHistory's window and computes what aggregateHistory and evaluateRules compute from it", () => {
    fc.assert(
      fc.property(transactionsArbitrary, configArbitrary, (transactions, config) => {
        // Prepare
        const history = makeAccountHistory();

        for (const [i, tx] of transactions.entries()) {
          // Act
          history.trim(tx.timestamp, config.history.windowMs, config.history.limit);
          const inputs = history.inputs(tx, config);

          // Assess
          const selected = selectHistory(tx, transactions.slice(0, i), config);
          expect(history.transactions).to.deep.equal(selected);
          expect(inputs.aggregates).to.deep.equal(aggregateHistory(tx, selected));
          expect(inputs.rules).to.deep.equal(evaluateRules(tx, selected, config));
          history.push(tx);
        }
      }),
      { numRuns: 300 },
    );
  });
});
