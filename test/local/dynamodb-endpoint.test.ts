import * as net from "node:net";
import * as path from "node:path";
import { expect } from "chai";
import { startDynamoPipeline } from "../../local/dynamodb-pipeline";
import { ERROR_NAMES, isRuntimeError } from "../../pipeline/runtime/errors";
import { removeDir, tempDir } from "../helpers/local";

/** A 127.0.0.1 port nobody listens on: bound, read, and released. */
function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

describe("Function: startDynamoPipeline (bad endpoints)", () => {
  let dir: string;

  beforeEach(() => {
    dir = tempDir();
  });

  afterEach(() => removeDir(dir));

  const start = (dynamodbEndpoint: string) =>
    startDynamoPipeline({
      dynamodbEndpoint,
      port: 0,
      outbox: path.join(dir, "outbox.jsonl"),
      logLevel: "silent",
      print: () => undefined,
    }).then(
      () => expect.fail("expected a ConfigurationError"),
      (error: unknown) => error,
    );

  for (const text of ["127.0.0.1:8000", "not a url", "ftp://127.0.0.1:8000"]) {
    it(`refuses "${text}" with one ConfigurationError naming the flag and a valid example`, async () => {
      // Act
      const error = await start(text);

      // Assess
      expect(isRuntimeError(error, ERROR_NAMES.configuration)).to.equal(true);
      expect((error as Error).message).to.include(`--dynamodb-endpoint "${text}" is not a DynamoDB endpoint`);
      expect((error as Error).message).to.include("http://127.0.0.1:8000");
    });
  }

  it("names the flag, the endpoint and the socket error when nothing answers there", async function () {
    this.timeout(20_000);
    // Prepare
    const port = await closedPort();

    // Act
    const error = await start(`http://127.0.0.1:${port}`);

    // Assess
    expect(isRuntimeError(error, ERROR_NAMES.configuration)).to.equal(true);
    expect((error as Error).message).to.match(
      new RegExp(
        `^Cannot use the DynamoDB endpoint http://127\\.0\\.0\\.1:${port}/ \\(--dynamodb-endpoint\\) \\(ECONNREFUSED\\): start DynamoDB Local there`,
      ),
    );
  });
});
