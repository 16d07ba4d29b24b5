import { expect } from "chai";
import { makeLogger, makeMetrics } from "../../pipeline/runtime/observability";

/** Runs `act` with stdout and stderr captured; Powertools writes JSON lines to both. */
function captureOutput(act: () => void): { stdout: string[]; stderr: string[] } {
  const captured = { stdout: [] as string[], stderr: [] as string[] };
  const stdoutWrite = process.stdout.write;
  const stderrWrite = process.stderr.write;
  process.stdout.write = ((chunk: unknown) =>
    captured.stdout.push(String(chunk)) > 0) as typeof process.stdout.write;
  process.stderr.write = ((chunk: unknown) =>
    captured.stderr.push(String(chunk)) > 0) as typeof process.stderr.write;
  try {
    act();
  } finally {
    process.stdout.write = stdoutWrite;
    process.stderr.write = stderrWrite;
  }
  return captured;
}

describe("Function: makeLogger", () => {
  it("writes one JSON line per entry with the service name and the attributes as keys", () => {
    // Prepare
    const log = makeLogger("notify-team");

    // Act
    const output = captureOutput(() => {
      log.info("Alert published", { transactionId: "tx-1" });
      log.warn("Alert message is not JSON");
      log.error("Claiming failed", { error: "StorageThrottledError" });
    });

    // Assess
    const entries = [...output.stdout, ...output.stderr].map((line) => JSON.parse(line));
    expect(entries.map((entry) => [entry.level, entry.message, entry.service])).to.deep.equal([
      ["INFO", "Alert published", "notify-team"],
      ["WARN", "Alert message is not JSON", "notify-team"],
      ["ERROR", "Claiming failed", "notify-team"],
    ]);
    expect(entries[0].transactionId).to.equal("tx-1");
    expect(entries[2].error).to.equal("StorageThrottledError");
  });
});

describe("Function: makeMetrics", () => {
  it("writes counts as CloudWatch embedded metrics in the namespace on flush", () => {
    // Prepare
    const metrics = makeMetrics("FraudPipeline", "detect-fraud");

    // Act
    const output = captureOutput(() => {
      metrics.count("TransactionsFlagged", 2);
      metrics.flush();
    });

    // Assess
    const emf = JSON.parse(output.stdout.join(""));
    expect(emf.TransactionsFlagged).to.equal(2);
    expect(emf.service).to.equal("detect-fraud");
    expect(emf._aws.CloudWatchMetrics[0].Namespace).to.deep.equal("FraudPipeline");
    expect(emf._aws.CloudWatchMetrics[0].Metrics).to.deep.equal([
      { Name: "TransactionsFlagged", Unit: "Count" },
    ]);
  });
});
