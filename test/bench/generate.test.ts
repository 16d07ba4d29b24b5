import assert from "node:assert/strict";
import { generateTransactions } from "../../bench/generate";
import { decodeTransaction, makeTransactionCodec } from "../../pipeline/runtime/contract/codec";

describe("Function: generateTransactions", () => {
  const rows = generateTransactions({ rows: 5_000, seed: 3 });

  it("produces at least the requested rows, sorted by timestamp, with unique keys", () => {
    // Assess
    assert.ok(rows.length >= 5_000);
    assert.ok(rows.every((row, i) => i === 0 || rows[i - 1].timestamp <= row.timestamp));
    assert.equal(new Set(rows.map((row) => `${row.transaction_id}@${row.timestamp}`)).size, rows.length);
  });

  it("produces transactions the contract's codec accepts once the label is removed", () => {
    // Prepare
    const codec = makeTransactionCodec();

    // Act
    const rejected = rows.filter(({ is_fraud: _label, ...tx }) => !decodeTransaction(codec, tx).ok);

    // Assess
    assert.deepEqual(rejected.slice(0, 3), []);
  });

  it("labels a small share of the rows as fraud", () => {
    // Act
    const fraud = rows.filter((row) => row.is_fraud).length;

    // Assess
    assert.ok(fraud > 0 && fraud < rows.length * 0.05, `${fraud} fraud rows of ${rows.length}`);
  });

  it("is deterministic for a seed", () => {
    // Act
    const again = generateTransactions({ rows: 5_000, seed: 3 });

    // Assess
    assert.deepEqual(again, rows);
  });
});
