import { expect } from "chai";
import { liveTransaction, useTestPipelines } from "../helpers/local";
import { slowClient } from "../helpers/resilience";

describe("Function: startLocalPipeline (stop with slow clients)", () => {
  const pipelines = useTestPipelines();

  it("closes a client trickling its headers and one trickling its body at the shutdown deadline", async () => {
    // Prepare
    const local = await pipelines.start({ shutdownTimeoutMs: 200 });
    const headers = await slowClient(local.port, "POST /transactions HTTP/1.1\r\nHost: 127.0.0.1\r\n");
    const body = await slowClient(
      local.port,
      "POST /transactions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 500\r\n\r\n{",
    );
    // One more header and body byte each, so both count as requests in progress.
    headers.send("X-Slow: 1\r\n");
    body.send('"');

    // Act
    const report = await local.stop();

    // Assess
    expect(report).to.deep.equal({ closedConnections: 2, drained: true });
    expect(await headers.closed).to.equal("");
    expect(await body.closed).to.equal("");
    expect(local.table.size()).to.equal(0);
  });

  it("answers a request that completes before the deadline, then closes its connection", async () => {
    // Prepare
    const local = await pipelines.start({ shutdownTimeoutMs: 10_000 });
    const json = JSON.stringify(liveTransaction({ transaction_id: "tx-during-stop" }));
    const client = await slowClient(
      local.port,
      `POST /transactions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${json.length}\r\n\r\n${json.slice(0, 10)}`,
    );

    // Act
    const stopped = local.stop();
    client.send(json.slice(10));
    const answer = await client.closed;
    const report = await stopped;

    // Assess
    expect(answer).to.match(/^HTTP\/1\.1 201 /);
    expect(report).to.deep.equal({ closedConnections: 0, drained: true });
    expect(local.table.size()).to.equal(1);
  });
});
