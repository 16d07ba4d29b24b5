import { expect } from "chai";
import { planHistoryQueries, selectHistory } from "../../pipeline/runtime/detect/history";
import { current, rulesConfig } from "../helpers/detect";
import { FIXED_NOW, validTransaction } from "../helpers/transactions";

const config = rulesConfig({ history: { windowMs: 3_600_000, limit: 10 } });
const WINDOW = config.history.windowMs;

function at(id: string, timestamp: number, overrides: Parameters<typeof validTransaction>[0] = {}) {
  return validTransaction({ transaction_id: id, timestamp, ...overrides });
}

const ids = (txs: readonly { transaction_id: string }[]) => txs.map((tx) => tx.transaction_id);

describe("Function: selectHistory", () => {
  it("keeps only the same account", () => {
    // Prepare
    const candidates = [at("mine", FIXED_NOW - 1), at("theirs", FIXED_NOW - 1, { account_id: "acc-0002" })];

    // Act
    const history = selectHistory(current(), candidates, config);

    // Assess
    expect(ids(history)).to.deep.equal(["mine"]);
  });

  it("includes both ends of [timestamp - windowMs, timestamp] and nothing outside", () => {
    // Prepare
    const candidates = [
      at("too-old", FIXED_NOW - WINDOW - 1),
      at("oldest", FIXED_NOW - WINDOW),
      at("same-time", FIXED_NOW),
      at("later", FIXED_NOW + 1),
    ];

    // Act
    const history = selectHistory(current(), candidates, config);

    // Assess
    expect(ids(history)).to.deep.equal(["oldest", "same-time"]);
  });

  it("excludes the transaction itself but keeps the same id at another timestamp", () => {
    // Prepare
    const tx = current();
    const candidates = [tx, { ...tx }, at(tx.transaction_id, FIXED_NOW - 5)];

    // Act
    const history = selectHistory(tx, candidates, config);

    // Assess
    expect(history.map((h) => [h.transaction_id, h.timestamp])).to.deep.equal([
      [tx.transaction_id, FIXED_NOW - 5],
    ]);
  });

  it("de-duplicates by transaction id and timestamp, keeping the first seen", () => {
    // Prepare
    const fromIndex = at("a", FIXED_NOW - 10, { amount: 1 });
    const fromBatch = at("a", FIXED_NOW - 10, { amount: 2 });

    // Act
    const history = selectHistory(current(), [fromIndex, fromBatch], config);

    // Assess
    expect(history).to.deep.equal([fromIndex]);
  });

  it("sorts oldest first, keeping the order of equal timestamps", () => {
    // Prepare
    const candidates = [
      at("c", FIXED_NOW - 1),
      at("a", FIXED_NOW - 30),
      at("b1", FIXED_NOW - 20),
      at("b2", FIXED_NOW - 20),
    ];

    // Act
    const history = selectHistory(current(), candidates, config);

    // Assess
    expect(ids(history)).to.deep.equal(["a", "b1", "b2", "c"]);
  });

  it("keeps the most recent history.limit transactions", () => {
    // Prepare
    const candidates = Array.from({ length: 15 }, (_, i) => at(`t-${i}`, FIXED_NOW - 1000 + i));

    // Act
    const history = selectHistory(current(), candidates, config);

    // Assess
    expect(ids(history)).to.deep.equal(Array.from({ length: 10 }, (_, i) => `t-${i + 5}`));
  });
});

describe("Function: planHistoryQueries", () => {
  it("plans one query per account spanning its earliest window start to its latest record", () => {
    // Prepare
    const batch = [
      at("a1", FIXED_NOW - 500),
      at("b1", FIXED_NOW - 400, { account_id: "acc-0002" }),
      at("a2", FIXED_NOW),
      at("a3", FIXED_NOW - 100),
    ];

    // Act
    const queries = planHistoryQueries(batch, config);

    // Assess
    expect(queries).to.deep.equal([
      { accountId: "acc-0001", since: FIXED_NOW - 500 - WINDOW, until: FIXED_NOW, limit: 13 },
      { accountId: "acc-0002", since: FIXED_NOW - 400 - WINDOW, until: FIXED_NOW - 400, limit: 11 },
    ]);
  });

  it("plans nothing for an empty batch", () => {
    // Act
    const queries = planHistoryQueries([], config);

    // Assess
    expect(queries).to.deep.equal([]);
  });
});
