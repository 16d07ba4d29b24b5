import * as fs from "node:fs";
import * as path from "node:path";
import { expect } from "chai";
import sinon from "sinon";
import { openJournal } from "../../local/journal";
import { main } from "../../local/main";
import { captureOutput, liveTransaction, removeDir, tempDir, useTestPipelines } from "../helpers/local";

const SNAPSHOT = "snapshot.jsonl";
const JOURNAL = "journal.jsonl";

/** One stored item image as a journal line. */
function line(id: string): string {
  return `${JSON.stringify({ ...liveTransaction({ transaction_id: id }), timestamp: 1_000 })}\n`;
}

function ids(items: readonly Record<string, unknown>[]): string[] {
  return items.map((item) => String(item.transaction_id)).sort();
}

/** Files in `dir` whose name starts with `name.damaged-`. */
function keptAside(dir: string, name: string): string[] {
  return fs.readdirSync(dir).filter((file) => file.startsWith(`${name}.damaged-`));
}

describe("Function: openJournal (damaged data)", () => {
  let dir: string;

  beforeEach(() => {
    dir = tempDir();
  });

  afterEach(() => {
    removeDir(dir);
  });

  it("reports a torn last journal line with its line number and bytes and keeps the damaged journal", () => {
    // Prepare
    const torn = line("tx-torn").slice(0, 30);
    const original = `${line("tx-1")}${line("tx-2")}${torn}`;
    fs.writeFileSync(path.join(dir, JOURNAL), original);
    const report = sinon.spy();

    // Act
    const journal = openJournal(dir, { report });
    journal.close();

    // Assess
    expect(ids(journal.recovered)).to.deep.equal(["tx-1", "tx-2"]);
    const lines = report.getCalls().map((call) => String(call.args[0]));
    expect(lines[0]).to.match(/journal\.jsonl line 3 \(30 bytes at byte offset \d+\) is torn/);
    const aside = keptAside(dir, JOURNAL);
    expect(aside).to.have.length(1);
    expect(lines[1]).to.contain(aside[0]);
    expect(fs.readFileSync(path.join(dir, aside[0]), "utf8")).to.equal(original);
  });

  it("keeps the damaged journal when the next snapshot is written, so a second start still has it", () => {
    // Prepare
    fs.writeFileSync(path.join(dir, JOURNAL), `${line("tx-1")}{"transaction_id":"tx-cut`);
    openJournal(dir, { report: () => undefined }).close();

    // Act
    const reopened = openJournal(dir, { report: () => undefined });
    reopened.close();

    // Assess
    expect(ids(reopened.recovered)).to.deep.equal(["tx-1"]);
    const aside = keptAside(dir, JOURNAL);
    expect(aside).to.have.length(1);
    expect(fs.readFileSync(path.join(dir, aside[0]), "utf8")).to.contain('"tx-cut');
  });

  it("refuses a truncated snapshot with one line that names the file, the line and --repair", () => {
    // Prepare
    const snapshot = `${line("tx-1")}${line("tx-2")}`;
    fs.writeFileSync(path.join(dir, SNAPSHOT), snapshot.slice(0, snapshot.length - 20));

    // Act
    let error: unknown;
    try {
      openJournal(dir, { report: () => undefined });
    } catch (thrown) {
      error = thrown;
    }

    // Assess
    expect(String(error)).to.match(/snapshot\.jsonl line 2 \(\d+ bytes at byte offset \d+\).*--repair/);
    expect(String(error)).to.not.contain("\n");
    expect(fs.readFileSync(path.join(dir, SNAPSHOT), "utf8")).to.equal(
      snapshot.slice(0, snapshot.length - 20),
    );
  });

  it("reports invalid UTF-8 instead of replacing it, and refuses it unless repair is set", () => {
    // Prepare
    const bad = Buffer.concat([
      Buffer.from(line("tx-1")),
      Buffer.from([0x7b, 0xff, 0xfe, 0x7d, 0x0a]),
      Buffer.from(line("tx-3")),
    ]);
    fs.writeFileSync(path.join(dir, JOURNAL), bad);
    const report = sinon.spy();

    // Act
    let refused: unknown;
    try {
      openJournal(dir, { report });
    } catch (thrown) {
      refused = thrown;
    }
    const repaired = openJournal(dir, { repair: true, report });
    repaired.close();

    // Assess
    expect(String(refused)).to.match(
      /journal\.jsonl line 2 \(4 bytes at byte offset \d+\) is not valid UTF-8/,
    );
    expect(ids(repaired.recovered)).to.deep.equal(["tx-1", "tx-3"]);
    expect(String(report.firstCall.args[0])).to.match(/dropped .*line 2 \(4 bytes .*\) is not valid UTF-8/);
    const aside = keptAside(dir, JOURNAL);
    expect(aside).to.have.length(1);
    expect(fs.readFileSync(path.join(dir, aside[0])).equals(bad)).to.equal(true);
  });
});

describe("Function: main (npm start) on a damaged data directory", () => {
  const pipelines = useTestPipelines();

  it("prints one line and exits 1 for a damaged snapshot without --repair", async () => {
    // Prepare
    const dataDir = path.join(pipelines.dir, "data");
    fs.mkdirSync(dataDir);
    fs.writeFileSync(path.join(dataDir, SNAPSHOT), `${line("tx-1")}not json\n`);

    // Act
    const run = await captureOutput(() =>
      main(["--port", "0", "--data", dataDir, "--outbox", path.join(pipelines.dir, "o.jsonl")], {}),
    );

    // Assess
    expect(run.result).to.equal(1);
    expect(run.stderr).to.match(
      /^npm start: .*snapshot\.jsonl line 2 \(8 bytes .*\) is not valid JSON[^\n]*--repair[^\n]*\n$/,
    );
  });

  it("starts with --repair, keeping the readable items and the damaged snapshot", async () => {
    // Prepare
    const dataDir = path.join(pipelines.dir, "data");
    fs.mkdirSync(dataDir);
    fs.writeFileSync(path.join(dataDir, SNAPSHOT), `${line("tx-1")}not json\n${line("tx-3")}`);

    // Act
    const run = await captureOutput(() => pipelines.start({ dataDir, repair: true }));

    // Assess
    expect(ids(run.result.table.scan())).to.deep.equal(["tx-1", "tx-3"]);
    expect(run.stderr).to.match(/dropped .*snapshot\.jsonl line 2 \(8 bytes/);
    expect(keptAside(dataDir, SNAPSHOT)).to.have.length(1);
  });
});
