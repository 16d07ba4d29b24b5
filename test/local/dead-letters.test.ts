import * as fs from "node:fs";
import * as path from "node:path";
import { expect } from "chai";
import { deadLetterFile, readDeadLetters } from "../../local/dead-letters";
import { readOutbox } from "../../local/outbox-topic";
import type { LocalPipeline } from "../../local/pipeline";
import { captureOutput, liveTransaction, postJson, useTestPipelines } from "../helpers/local";

/** Above the default USD limit twice over: high-amount alone flags it. */
const FLAGGED_AMOUNT = 2_000_000;

async function statsOf(local: LocalPipeline): Promise<Record<string, unknown>> {
  return (await fetch(`${local.url}/stats`)).json() as Promise<Record<string, unknown>>;
}

/** The warn lines the dead-letter sink wrote. */
function deadLetterLogs(stderr: string): Record<string, unknown>[] {
  return stderr
    .split("\n")
    .filter((line) => line.includes("dead-letter queue"))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe("Local dead-letter queues: logged, counted, persisted, redriven", () => {
  const pipelines = useTestPipelines();

  it("logs and counts an alert that exhausts its receives, then notifies it after POST /dead-letters/redrive", async () => {
    // Prepare
    const dataDir = path.join(pipelines.dir, "data");
    const tx = liveTransaction({ transaction_id: "tx-dead-alert", amount: FLAGGED_AMOUNT });

    // Act
    const { result, stderr } = await captureOutput(async () => {
      const local = await pipelines.start({
        dataDir,
        logLevel: "warn",
        visibilityTimeoutMs: 20,
        maxReceiveCount: 2,
        faults: { failFirst: { publish: 2 } },
      });
      await postJson(local.url, "/transactions", tx);
      await local.idle();
      const before = await statsOf(local);
      const kept = readDeadLetters(dataDir);
      const redrive = await postJson(local.url, "/dead-letters/redrive", {});
      await local.idle();
      return { local, before, kept, redrive, after: await statsOf(local) };
    });

    // Assess
    const logs = deadLetterLogs(stderr);
    expect(logs).to.have.length(1);
    expect(logs[0]).to.include({ level: "WARN", queue: "alerts", transaction_id: "tx-dead-alert" });
    expect(logs[0].reason).to.match(/received 2 times .*maxReceiveCount 2/);
    expect(result.before).to.deep.equal({
      accepted: 1,
      assessed: 1,
      flagged: 1,
      notified: 0,
      dead_letters: { alerts: 1, stream: 0 },
    });
    expect(result.kept.map((letter) => letter.transaction_id)).to.deep.equal(["tx-dead-alert"]);
    expect(result.redrive.status).to.equal(200);
    expect(result.redrive.body).to.deep.equal({ redriven: { alerts: 1, stream: 0 } });
    expect(result.after).to.deep.include({ notified: 1, dead_letters: { alerts: 0, stream: 0 } });
    expect(readOutbox(result.local.outbox).map((entry) => entry.transaction_id)).to.deep.equal([
      "tx-dead-alert",
    ]);
    expect(fs.readFileSync(deadLetterFile(dataDir), "utf8")).to.equal("");
  });

  it("logs a stream batch given up on per record, keeps it on disk, and the start-up redrives it", async () => {
    // Prepare
    const dataDir = path.join(pipelines.dir, "data");
    const tx = liveTransaction({ transaction_id: "tx-dead-stream" });

    // Act
    const { result, stderr } = await captureOutput(async () => {
      const first = await pipelines.start({
        dataDir,
        logLevel: "warn",
        streamMaxRetries: 0,
        faults: { rates: { verdictWrite: 1 } },
      });
      await postJson(first.url, "/transactions", tx);
      await first.idle();
      const before = await statsOf(first);
      await first.stop();
      const kept = readDeadLetters(dataDir);
      const second = await pipelines.start({ dataDir, logLevel: "warn" });
      await second.idle();
      return { before, kept, after: await statsOf(second) };
    });

    // Assess
    const logs = deadLetterLogs(stderr);
    expect(logs).to.have.length(1);
    expect(logs[0]).to.include({ queue: "stream", transaction_id: "tx-dead-stream" });
    expect(logs[0].reason).to.match(/after 1 attempts/);
    expect(result.before).to.deep.include({
      accepted: 1,
      assessed: 0,
      dead_letters: { alerts: 0, stream: 1 },
    });
    expect(result.kept.map((letter) => letter.queue)).to.deep.equal(["stream"]);
    expect(stderr).to.include("Dead letters of the last run are redriven by the start-up");
    expect(result.after).to.deep.include({
      accepted: 1,
      assessed: 1,
      dead_letters: { alerts: 0, stream: 0 },
    });
  });

  it("guards POST /dead-letters/redrive with the API key", async () => {
    // Prepare
    const local = await pipelines.start({ apiKey: "secret-key" });

    // Act
    const refused = await postJson(local.url, "/dead-letters/redrive", {});
    const allowed = await postJson(local.url, "/dead-letters/redrive", {}, { "x-api-key": "secret-key" });

    // Assess
    expect(refused.status).to.equal(403);
    expect(allowed.body).to.deep.equal({ redriven: { alerts: 0, stream: 0 } });
  });
});
