import { expect } from "chai";
import { makeMemoryTable, type TableChange } from "../../local/memory-table";
import { thrownBy } from "../helpers/expect";

const KEY = { transaction_id: "t1", timestamp: 10 };

function item(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { ...KEY, account_id: "a1", amount: 100, location: { latitude: 1, longitude: 2 }, ...overrides };
}

describe("Function: makeMemoryTable (stored images)", () => {
  it("stores a copy: changing the inserted object afterwards changes nothing stored", () => {
    // Prepare
    const table = makeMemoryTable();
    const written = item();
    table.putIfAbsent(written);

    // Act
    written.amount = 1;
    (written.location as Record<string, number>).latitude = 0;

    // Assess
    expect(table.get(KEY)).to.deep.equal(item());
  });

  it("hands out frozen images, nested values included, so no reader can change what is stored", () => {
    // Prepare
    const table = makeMemoryTable();
    table.putIfAbsent(item());
    const stored = table.get(KEY) as Record<string, unknown>;

    // Act
    const top = thrownBy(() => {
      stored.amount = 1;
    });
    const nested = thrownBy(() => {
      (stored.location as Record<string, number>).latitude = 0;
    });

    // Assess
    expect(top).to.be.instanceOf(TypeError);
    expect(nested).to.be.instanceOf(TypeError);
    expect(table.get(KEY)).to.deep.equal(item());
  });

  it("replaces an image on update: readers, the account index and the change see the new one", () => {
    // Prepare
    const table = makeMemoryTable();
    table.putIfAbsent(item());
    const before = table.get(KEY);
    const changes: TableChange[] = [];
    table.onChange((change) => changes.push(change));

    // Act
    const wrote = table.update(KEY, (current) => ({ ...current, verdict: "flagged", rules: ["velocity"] }));

    // Assess
    expect(wrote).to.equal(true);
    expect(table.get(KEY)).to.deep.equal(item({ verdict: "flagged", rules: ["velocity"] }));
    expect(table.queryAccount("a1", 0, 100, 10)).to.deep.equal([
      item({ verdict: "flagged", rules: ["velocity"] }),
    ]);
    expect(Object.isFrozen((table.get(KEY) as Record<string, unknown>).rules)).to.equal(true);
    expect(before).to.deep.equal(item());
    expect(changes.map((c) => [c.eventName, c.oldImage, c.newImage])).to.deep.equal([
      ["MODIFY", item(), item({ verdict: "flagged", rules: ["velocity"] })],
    ]);
  });

  it("answers the account index newest first within the window, and keys by id and timestamp", () => {
    // Prepare
    const table = makeMemoryTable();
    for (const timestamp of [30, 10, 20, 40])
      table.putIfAbsent(item({ transaction_id: `t${timestamp}`, timestamp }));
    table.putIfAbsent(item({ transaction_id: "t10", timestamp: 11 }));

    // Act
    const window = table
      .queryAccount("a1", 11, 30, 10)
      .map((found) => [found.transaction_id, found.timestamp]);
    const again = table.putIfAbsent(item({ transaction_id: "t10", timestamp: 10, amount: 5 }));

    // Assess
    expect(window).to.deep.equal([
      ["t30", 30],
      ["t20", 20],
      ["t10", 11],
    ]);
    expect(again.created === false && again.existing.amount).to.equal(100);
    expect(table.size()).to.equal(5);
    expect(table.scan().map((found) => found.timestamp)).to.deep.equal([30, 10, 20, 40, 11]);
  });

  it("inserts a batch whose ids repeat and interleave, and nothing of a batch with one key taken", () => {
    // Prepare
    const table = makeMemoryTable();
    const batch = [
      item({ timestamp: 1 }),
      item({ transaction_id: "t2", timestamp: 1 }),
      item({ timestamp: 2 }),
    ];

    // Act
    const first = table.putAllIfAbsent(batch);
    const second = table.putAllIfAbsent([
      item({ transaction_id: "t3", timestamp: 1 }),
      item({ timestamp: 2 }),
    ]);

    // Assess
    expect(first).to.deep.equal({ created: true });
    expect(
      batch.map((written) =>
        table.get({ transaction_id: String(written.transaction_id), timestamp: Number(written.timestamp) }),
      ),
    ).to.deep.equal(batch);
    expect(second.created === false && second.existing).to.deep.equal([undefined, item({ timestamp: 2 })]);
    expect(table.get({ transaction_id: "t3", timestamp: 1 })).to.equal(undefined);
    expect(table.size()).to.equal(3);
  });
});
