import * as fs from "node:fs";
import { expect } from "chai";
import sinon from "sinon";
import { makeFaults } from "../../local/faults";
import { type JournalFiles, openJournal } from "../../local/journal";
import { makeLocalLog } from "../../local/log";
import { makeMemoryTable } from "../../local/memory-table";
import { makeTablePorts } from "../../local/table-ports";
import { makeTransactionCodec } from "../../pipeline/runtime/contract/codec";
import { makeProcessHandler } from "../../pipeline/runtime/process/handler";
import { thrownBy } from "../helpers/expect";
import { liveTransaction, removeDir, tempDir } from "../helpers/local";
import { apiGatewayEvent, lambdaContext } from "../helpers/transactions";

/** Writes and fsyncs for real, as the file system's own JournalFiles would. */
function realFiles(): JournalFiles {
  return {
    write: async (fd, data) => {
      fs.writeSync(fd, data);
    },
    fsync: async (fd) => fs.fsyncSync(fd),
  };
}

/** process-transaction over a table journaled in `dir` with `files`. */
function journaledProcess(dir: string, files: JournalFiles) {
  const journal = openJournal(dir, { files, report: () => undefined });
  const ports = makeTablePorts(makeMemoryTable({ journal }), makeFaults());
  const handler = makeProcessHandler({
    store: ports.store,
    codec: makeTransactionCodec(),
    now: Date.now,
    log: makeLocalLog("test", "silent", () => undefined),
  });
  const post = async (id: string) =>
    (await handler(apiGatewayEvent(liveTransaction({ transaction_id: id })), lambdaContext())).statusCode;
  return { journal, post };
}

/** The transaction ids `dir` holds after a restart (id guards left out). */
function recoveredIds(dir: string): string[] {
  const journal = openJournal(dir, { report: () => undefined });
  journal.close();
  return journal.recovered
    .filter((item) => item.account_id !== undefined)
    .map((item) => String(item.transaction_id))
    .sort();
}

describe("Function: openJournal (group commit)", () => {
  let dir: string;

  beforeEach(() => {
    dir = tempDir();
  });

  afterEach(() => {
    removeDir(dir);
  });

  it("commits two concurrent requests with one write and one fsync, and answers neither before it", async () => {
    // Prepare: the fsync waits until the test releases it.
    let release = () => {};
    let fsyncStarted = () => {};
    const started = new Promise<void>((resolve) => {
      fsyncStarted = resolve;
    });
    const files = realFiles();
    const write = sinon.spy(files, "write");
    const fsync = sinon.stub(files, "fsync").callsFake(async (fd) => {
      fsyncStarted();
      await new Promise<void>((resolve) => {
        release = resolve;
      });
      fs.fsyncSync(fd);
    });
    const { journal, post } = journaledProcess(dir, files);
    let answered = 0;

    // Act
    const statuses = Promise.all(
      ["tx-a", "tx-b"].map((id) =>
        post(id).then((status) => {
          answered += 1;
          return status;
        }),
      ),
    );
    await started;
    const answeredBeforeFsync = answered;
    release();

    // Assess
    expect(await statuses).to.deep.equal([201, 201]);
    expect(answeredBeforeFsync).to.equal(0);
    expect(write.callCount).to.equal(1);
    expect(fsync.callCount).to.equal(1);
    // Each request's item and id guard: four lines in the one write.
    expect(write.firstCall.args[1].toString("utf8").split("\n").filter(Boolean)).to.have.length(4);
    journal.close();
    expect(recoveredIds(dir)).to.deep.equal(["tx-a", "tx-b"]);
  });

  it("fails every request of a batch whose fsync fails with 500, and every later one, and keeps what was acknowledged", async () => {
    // Prepare: the first commit succeeds, the second one's fsync fails.
    const files = realFiles();
    const fsync = sinon.stub(files, "fsync");
    fsync.onFirstCall().callsFake(async (fd) => fs.fsyncSync(fd));
    fsync.onSecondCall().rejects(Object.assign(new Error("EIO: i/o error, fsync"), { code: "EIO" }));
    const { journal, post } = journaledProcess(dir, files);

    // Act
    const first = await post("tx-acknowledged");
    const batch = await Promise.all([post("tx-b"), post("tx-c")]);
    const later = await post("tx-later");
    journal.close();

    // Assess
    expect(first).to.equal(201);
    expect(batch).to.deep.equal([500, 500]);
    expect(later).to.equal(500);
    expect(fsync.callCount).to.equal(2);
    expect(recoveredIds(dir)).to.include("tx-acknowledged");
    expect(recoveredIds(dir)).not.to.include("tx-later");
  });

  it("writes and fsyncs what is still queued when it closes", async () => {
    // Prepare
    const files = realFiles();
    const journal = openJournal(dir, { files, report: () => undefined });
    const item = { ...liveTransaction({ transaction_id: "tx-queued" }) };

    // Act
    journal.append(item);
    const durable = journal.durable();
    journal.close();

    // Assess
    await durable;
    expect(recoveredIds(dir)).to.deep.equal(["tx-queued"]);
    expect(String(thrownBy(() => journal.append(item)))).to.match(/the journal is closed/);
  });

  it("closes only after the commit in flight and what was queued behind it are on disk", async () => {
    // Prepare: the first commit's write waits until the test lets it go
    const real = realFiles();
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const write = sinon
      .stub<Parameters<JournalFiles["write"]>, Promise<void>>()
      .callsFake(async (fd, data) => {
        await held;
        return real.write(fd, data);
      });
    const journal = openJournal(dir, { files: { write, fsync: real.fsync }, report: () => undefined });
    journal.append({ ...liveTransaction({ transaction_id: "tx-in-flight" }) });
    await new Promise((resolve) => setImmediate(resolve));
    expect(write.callCount, "the first commit has started").to.equal(1);
    journal.append({ ...liveTransaction({ transaction_id: "tx-behind-it" }) });

    // Act
    let closed = false;
    const closing = journal.close().then(() => {
      closed = true;
    });
    await new Promise((resolve) => setImmediate(resolve));
    const closedBeforeTheWrite = closed;
    release();
    await closing;

    // Assess
    expect(closedBeforeTheWrite).to.equal(false);
    expect(recoveredIds(dir)).to.deep.equal(["tx-behind-it", "tx-in-flight"]);
  });
});
