import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { expect } from "chai";
import { lockDataDirectory } from "../../local/data-lock";
import { ITEM_ATTRIBUTES } from "../../pipeline/runtime/contract/item";
import { matchesError, rejectionOf, thrownBy } from "../helpers/expect";
import { liveTransaction, postJson, removeDir, tempDir, useTestPipelines } from "../helpers/local";

/** The pid of a process that has exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ["-e", ""]);
  return child.pid as number;
}

describe("Function: lockDataDirectory", () => {
  let dir: string;

  beforeEach(() => {
    dir = tempDir();
  });

  afterEach(() => {
    removeDir(dir);
  });

  it("writes this process's pid to the lock file and refuses a second lock until it is released", () => {
    // Prepare
    const dataDir = path.join(dir, "data");
    const lock = lockDataDirectory(dataDir);

    // Act
    const second = thrownBy(() => lockDataDirectory(dataDir));
    const content = JSON.parse(fs.readFileSync(lock.file, "utf8"));
    lock.release();
    const afterRelease = fs.existsSync(lock.file);
    const third = lockDataDirectory(dataDir);
    third.release();

    // Assess
    expect(content).to.deep.equal({ pid: process.pid, host: os.hostname() });
    expect(second).to.satisfy(
      matchesError({
        name: "ConfigurationError",
        message: new RegExp(
          `^The data directory .*data is in use by process ${process.pid} on .*lock\\): stop`,
        ),
      }),
    );
    expect(afterRelease).to.equal(false);
    expect(fs.readdirSync(dataDir)).to.deep.equal([]);
  });

  it("takes over a stale lock whose owner on this host is no longer running", () => {
    // Prepare
    const pid = deadPid();
    fs.writeFileSync(path.join(dir, "lock"), JSON.stringify({ pid, host: os.hostname() }));

    // Act
    const lock = lockDataDirectory(dir);

    // Assess
    expect(lock.replaced).to.deep.equal({ pid, host: os.hostname() });
    expect(JSON.parse(fs.readFileSync(lock.file, "utf8")).pid).to.equal(process.pid);
    lock.release();
  });

  it("refuses a lock held by a running process, or whose owner it cannot check (another host, unreadable)", () => {
    // Prepare
    const live = { pid: process.ppid, host: os.hostname() };
    const remote = { pid: deadPid(), host: `not-${os.hostname()}` };

    // Act
    const refusals = [live, remote, "garbage"].map((owner) => {
      fs.writeFileSync(path.join(dir, "lock"), JSON.stringify(owner));
      return thrownBy(() => lockDataDirectory(dir));
    });

    // Assess
    expect(refusals[0]).to.satisfy(
      matchesError({ message: new RegExp(`in use by process ${process.ppid} on `) }),
    );
    expect(refusals[1]).to.satisfy(matchesError({ message: /on not-/ }));
    expect(refusals[2]).to.satisfy(matchesError({ message: /in use by an unknown process \(lock file / }));
    expect(fs.readdirSync(dir)).to.deep.equal(["lock"]);
  });
});

describe("Function: startLocalPipeline (a second runner on one --data)", () => {
  const pipelines = useTestPipelines();

  it("refuses the second runner and leaves the first runner's data whole", async () => {
    // Prepare
    const dataDir = path.join(pipelines.dir, "data");
    const first = await pipelines.start({ dataDir });
    const tx = liveTransaction({ transaction_id: "tx-first-runner" });
    await postJson(first.url, "/transactions", tx);
    await first.idle();

    // Act
    const second = await rejectionOf(pipelines.start({ dataDir }));
    await first.stop();
    const restarted = await pipelines.start({ dataDir });

    // Assess
    expect(second).to.satisfy(
      matchesError({ name: "ConfigurationError", message: /data is in use by process \d+ on / }),
    );
    expect(
      restarted.table.get({ transaction_id: "tx-first-runner", timestamp: tx.timestamp })?.[
        ITEM_ATTRIBUTES.verdict
      ],
    ).to.equal("cleared");
  });
});
