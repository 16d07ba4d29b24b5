import { expect } from "chai";
import { makeTransactionCodec } from "../../pipeline/runtime/contract/codec";
import { decodeRecord, keyTransactionId } from "../../pipeline/runtime/detect/decode-record";
import { insertRecord, modifyRecord, removeRecord, streamRecord } from "../helpers/streams";
import { fullTransaction, validTransaction } from "../helpers/transactions";

describe("Function: decodeRecord", () => {
  const codec = makeTransactionCodec();

  it("decodes the NewImage of an INSERT, dropping bookkeeping attributes", () => {
    // Prepare
    const tx = fullTransaction();

    // Act
    const decoded = decodeRecord(insertRecord(tx, { receivedAt: tx.timestamp + 20 }), codec);

    // Assess
    expect(decoded).to.deep.equal({ kind: "decoded", transaction: tx });
  });

  it("decodes a transaction far older than the API's recency window", () => {
    // Prepare
    const tx = validTransaction({ timestamp: 1_000 });

    // Act
    const decoded = decodeRecord(insertRecord(tx), codec);

    // Assess
    expect(decoded).to.deep.equal({ kind: "decoded", transaction: tx });
  });

  it("skips MODIFY and REMOVE records", () => {
    // Prepare
    const tx = validTransaction();

    // Act
    const decoded = [modifyRecord(tx), removeRecord(tx)].map((record) => decodeRecord(record, codec));

    // Assess
    expect(decoded).to.deep.equal([{ kind: "skipped" }, { kind: "skipped" }]);
  });

  it("reports an INSERT without a NewImage as malformed", () => {
    // Prepare
    const record = streamRecord("INSERT", {});

    // Act
    const decoded = decodeRecord(record, codec);

    // Assess
    expect(decoded).to.deep.equal({ kind: "malformed", reason: "INSERT record has no NewImage" });
  });

  it("reports an image that breaks the contract, naming the fields", () => {
    // Prepare
    const record = streamRecord("INSERT", { newItem: { ...validTransaction(), amount: 0, currency: "usd" } });

    // Act
    const decoded = decodeRecord(record, codec);

    // Assess
    expect(decoded.kind).to.equal("malformed");
    expect(decoded.kind === "malformed" ? decoded.reason : "").to.match(
      /^NewImage is not a valid transaction: amount must .*; currency must/,
    );
  });

  it("reports an image the SDK cannot unmarshall", () => {
    // Prepare
    const record = insertRecord(validTransaction());
    record.dynamodb!.NewImage!.amount = {} as never;

    // Act
    const decoded = decodeRecord(record, codec);

    // Assess
    expect(decoded.kind).to.equal("malformed");
    expect(decoded.kind === "malformed" ? decoded.reason : "").to.match(/^NewImage cannot be unmarshalled: /);
  });
});

describe("Function: keyTransactionId", () => {
  it("reads the transaction id from the record's key, even when the image is broken", () => {
    // Prepare
    const record = streamRecord("INSERT", {
      newItem: { transaction_id: "tx-broken", timestamp: 5, amount: "x" },
    });

    // Act
    const id = keyTransactionId(record);

    // Assess
    expect(id).to.equal("tx-broken");
  });
});
