import * as fs from "node:fs";
import * as path from "node:path";
import { expect } from "chai";
import { makeFaults } from "../../local/faults";
import { main } from "../../local/main";
import { makeDirectory } from "../../local/make-directory";
import { openOutboxTopic, readOutbox } from "../../local/outbox-topic";
import { listenFix } from "../../local/startup-errors";
import { captureOutput, removeDir, tempDir } from "../helpers/local";

// A path no process can create: /proc refuses new entries (and once made Node's recursive mkdir loop).
const UNCREATABLE = "/proc/fraud-pipeline-test/outbox.jsonl";

describe("npm start: paths and addresses it cannot use", () => {
  let dir: string;

  beforeEach(() => {
    dir = tempDir();
  });

  afterEach(() => {
    removeDir(dir);
  });

  it("exits 1 with one line for an outbox whose directory cannot be created, instead of hanging", async () => {
    const run = await captureOutput(() => main(["--port", "0", "--outbox", UNCREATABLE], {}));

    expect(run.result).to.equal(1);
    expect(run.stderr).to.equal(
      `npm start: Cannot write the outbox file ${UNCREATABLE} (ENOENT): set OUTBOX (or --outbox) to a writable file\n`,
    );
  });

  it("exits 1 naming the host, not the port, for an address this machine does not have", async () => {
    // 192.0.2.1 is reserved for documentation: never a local address, and binding sends nothing.
    const run = await captureOutput(() =>
      main(["--port", "0", "--host", "192.0.2.1", "--outbox", path.join(dir, "o.jsonl")], {}),
    );

    expect(run.result).to.equal(1);
    expect(run.stderr).to.equal(
      "npm start: Cannot listen on 192.0.2.1:0 (EADDRNOTAVAIL): set --host to an address of this machine, such as 127.0.0.1\n",
    );
  });

  it("blames the port for a port in use or a privileged port", () => {
    expect(listenFix({ code: "EADDRINUSE" })).to.equal("set PORT (or --port) to a free port");
    expect(listenFix({ code: "EACCES" })).to.equal("set PORT (or --port) to a free port");
    expect(listenFix({ code: "ENOTFOUND" })).to.match(/^set --host/);
  });

  it("makes missing parent directories and reports the first it cannot make", () => {
    const nested = path.join(dir, "a", "b", "c");
    makeDirectory(nested);
    expect(fs.statSync(nested).isDirectory()).to.equal(true);
    expect(() => makeDirectory("/proc/fraud-pipeline-test/x")).to.throw(/ENOENT/);
  });
});

describe("Local outbox: deleted or moved while running", () => {
  let dir: string;

  beforeEach(() => {
    dir = tempDir();
  });

  afterEach(() => {
    removeDir(dir);
  });

  function notification(id: string) {
    return { subject: `alert ${id}`, body: "body", transactionId: id };
  }

  it("recreates the file at its path, so no alert goes to a file nobody reads", async () => {
    const file = path.join(dir, "outbox.jsonl");
    const topic = openOutboxTopic({ path: file, topicName: "t", faults: makeFaults(), print: () => {} });
    try {
      await topic.notifier.publish(notification("tx-1"));
      fs.unlinkSync(file);
      await topic.notifier.publish(notification("tx-2"));
      fs.renameSync(file, path.join(dir, "moved.jsonl"));
      await topic.notifier.publish(notification("tx-3"));
    } finally {
      topic.close();
    }

    expect(readOutbox(file).map((entry) => entry.transaction_id)).to.deep.equal(["tx-3"]);
    expect(readOutbox(path.join(dir, "moved.jsonl")).map((entry) => entry.transaction_id)).to.deep.equal([
      "tx-2",
    ]);
    expect(topic.published()).to.equal(3);
  });
});
