import assert from "node:assert/strict";
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
    assert.deepEqual(
      entries.map((entry) => [entry.level, entry.message, entry.service]),
      [
        ["INFO", "Alert published", "notify-team"],
        ["WARN", "Alert message is not JSON", "notify-team"],
        ["ERROR", "Claiming failed", "notify-team"],
      ],
    );
    assert.equal(entries[0].transactionId, "tx-1");
    assert.equal(entries[2].error, "StorageThrottledError");
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
    assert.equal(emf.TransactionsFlagged, 2);
    assert.equal(emf.service, "detect-fraud");
    assert.deepEqual(emf._aws.CloudWatchMetrics[0].Namespace, "FraudPipeline");
    assert.deepEqual(emf._aws.CloudWatchMetrics[0].Metrics, [{ Name: "TransactionsFlagged", Unit: "Count" }]);
  });
});
