import * as fs from "node:fs";
import * as net from "node:net";
import * as path from "node:path";
import { expect } from "chai";
import { matchesError, rejectionOf } from "../helpers/expect";
import { liveTransaction, useTestPipelines } from "../helpers/local";
import { slowClient } from "../helpers/resilience";

/** A port nothing listens on right now. */
async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Resolves true when `port` can be listened on (nothing holds it), false on EADDRINUSE. */
async function isFree(port: number): Promise<boolean> {
  const server = net.createServer();
  const listening = await new Promise<boolean>((resolve) => {
    server.once("error", () => resolve(false));
    server.listen(port, "127.0.0.1", () => resolve(true));
  });
  if (listening) await new Promise((resolve) => server.close(resolve));
  return listening;
}

describe("Function: startLocalPipeline (start-up)", () => {
  const pipelines = useTestPipelines();

  for (const bad of ["42", "{}", '"hello"']) {
    it(`rejects a journal line that is JSON but no transaction (${bad}), with nothing left listening or locked`, async () => {
      // Prepare
      const dataDir = path.join(pipelines.dir, "data");
      fs.mkdirSync(dataDir);
      const journal = path.join(dataDir, "journal.jsonl");
      const content = `${JSON.stringify(liveTransaction())}\n${bad}\n`;
      fs.writeFileSync(journal, content);
      const port = await freePort();

      // Act
      const error = await rejectionOf(pipelines.start({ dataDir, port }));

      // Assess
      expect(error).to.satisfy(
        matchesError({
          name: "ConfigurationError",
          message:
            /journal\.jsonl line 2 \(\d+ bytes at byte offset \d+\) is not a stored transaction \(a JSON object with a string transaction_id/,
        }),
      );
      expect(await isFree(port), "the port is free again").to.equal(true);
      expect(fs.readFileSync(journal, "utf8")).to.equal(content);
      expect(fs.existsSync(path.join(dataDir, "lock"))).to.equal(false);
    });
  }

  it("rejects a blank apiKey before opening anything", async () => {
    // Act
    const error = await rejectionOf(pipelines.start({ apiKey: " " }));

    // Assess
    expect(error).to.satisfy(
      matchesError({
        name: "ConfigurationError",
        message: /^apiKey is set but blank: pass the key or leave it out$/,
      }),
    );
    expect(fs.existsSync(path.join(pipelines.dir, "outbox.jsonl"))).to.equal(false);
  });

  it("answers GET /health with 503 once stopping has begun, 200 while every stage runs", async () => {
    // Prepare
    const local = await pipelines.start();
    const running = await fetch(`${local.url}/health`);
    const late = await slowClient(local.port, "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n");

    // Act
    const stopped = local.stop();
    late.send("\r\n");
    const response = await late.closed;
    await stopped;

    // Assess
    expect(running.status).to.equal(200);
    expect(response).to.match(/^HTTP\/1\.1 503 /);
    expect(response).to.match(/"status":"unavailable"/);
  });
});
