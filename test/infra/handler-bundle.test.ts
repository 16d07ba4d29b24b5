/** bundleFactory: what a bundle keeps of a package depends on how the closure reads it. */
import * as fs from "node:fs";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { GetItemCommand } from "@aws-sdk/client-dynamodb";
import { PublishCommand } from "@aws-sdk/client-sns";
import { expect } from "chai";
import * as t from "io-ts";
import { type BundledHandler, bundleFactory } from "../../pipeline/infra/handler-bundle";
import { makeDynamoDBClient, makeSnsClient } from "../../pipeline/runtime/aws/clients";
import { externalRequires } from "../helpers/archive";
import { useEnv } from "../helpers/artifact";

/** One request the stand-in received. */
interface SeenRequest {
  /** DynamoDB's `X-Amz-Target` operation, or SNS's form `Action`. */
  readonly operation: string;
  /** The signature's access key id (`Credential=<id>/...`). */
  readonly accessKeyId: string;
}

/** The access key id the environment hands the bundle's credentials step, as Lambda's does. */
const ENV_ACCESS_KEY_ID = "AKIABUNDLETEST";

/**
 * A 127.0.0.1 stand-in for SNS Publish (query protocol, XML) and DynamoDB GetItem (JSON 1.0),
 * answering each with fixed results and recording what it was asked.
 */
async function startStandIn(): Promise<{ endpoint: string; seen: SeenRequest[]; close(): Promise<void> }> {
  const seen: SeenRequest[] = [];
  const server = http.createServer((request, response) => {
    let body = "";
    request.on("data", (chunk: Buffer) => {
      body += chunk.toString();
    });
    request.on("end", () => {
      const target = request.headers["x-amz-target"];
      const accessKeyId = /Credential=([^/]+)\//.exec(request.headers.authorization ?? "")?.[1] ?? "";
      if (typeof target === "string") {
        seen.push({ operation: target.split(".").pop() ?? "", accessKeyId });
        response.writeHead(200, { "content-type": "application/x-amz-json-1.0" });
        response.end(JSON.stringify({ Item: { id: { S: "tx-1" } } }));
        return;
      }
      seen.push({ operation: new URLSearchParams(body).get("Action") ?? "", accessKeyId });
      response.writeHead(200, { "content-type": "text/xml" });
      response.end(
        '<PublishResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><PublishResult>' +
          "<MessageId>message-1</MessageId></PublishResult><ResponseMetadata><RequestId>request-1</RequestId>" +
          "</ResponseMetadata></PublishResponse>",
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    seen,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** Requires a bundle from a fresh directory and returns its handler. */
function loadBundle(dir: string, name: string, code: string): () => Promise<unknown> {
  const file = path.join(dir, `${name}.js`);
  fs.writeFileSync(file, code);
  return require(file).handler;
}

describe("Function: bundleFactory", () => {
  let dir: string;
  let named: BundledHandler;
  let whole: BundledHandler;

  before(async function () {
    this.timeout(60_000);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "fraud-bundle-unit-"));
    // Reads two exports of io-ts.
    named = await bundleFactory(() => async () => t.string.is("id") && !t.number.is("id"));
    // Hands the module object on: every export must stay.
    whole = await bundleFactory(() => async () => Object.keys(t).includes("string"));
  });

  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("exports a working handler from a closure that reads named exports of a package", async () => {
    // Act
    const handler = loadBundle(dir, "named", named.code);
    // Assess
    expect(named.exportName).to.equal("handler");
    expect(named.containsSecrets).to.equal(false);
    expect(await handler()).to.equal(true);
  });

  it("keeps the whole module object for a closure that uses it as a value", async () => {
    // Act
    const handler = loadBundle(dir, "whole", whole.code);
    // Assess
    expect(await handler()).to.equal(true);
  });

  describe("SDK clients in the bundle", () => {
    let standIn: Awaited<ReturnType<typeof startStandIn>>;
    let sdk: BundledHandler;

    useEnv({
      AWS_REGION: "us-east-1",
      AWS_ACCESS_KEY_ID: ENV_ACCESS_KEY_ID,
      AWS_SECRET_ACCESS_KEY: "bundle-test-secret",
      AWS_SESSION_TOKEN: "bundle-test-session",
      // The SDK warns on Node < 22; mocha may run on Node 20, the functions do not.
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
    });

    before(async function () {
      this.timeout(60_000);
      standIn = await startStandIn();
      process.env.AWS_ENDPOINT_URL = standIn.endpoint;
      sdk = await bundleFactory(() => {
        const sns = makeSnsClient();
        const dynamodb = makeDynamoDBClient();
        return async () => {
          const published = await sns.send(
            new PublishCommand({ TopicArn: "arn:aws:sns:us-east-1:123456789012:alerts", Message: "alert" }),
          );
          const read = await dynamodb.send(
            new GetItemCommand({ TableName: "transactions", Key: { id: { S: "tx-1" } } }),
          );
          return { messageId: published.MessageId, item: read.Item };
        };
      });
    });

    after(async () => {
      delete process.env.AWS_ENDPOINT_URL;
      await standIn.close();
    });

    it("call SNS and DynamoDB on a 127.0.0.1 stand-in, signed with the environment's credentials", async () => {
      // Act
      const handler = loadBundle(dir, "sdk", sdk.code);
      const result = await handler();
      // Assess
      expect(result).to.deep.equal({ messageId: "message-1", item: { id: { S: "tx-1" } } });
      expect(standIn.seen).to.deep.equal([
        { operation: "Publish", accessKeyId: ENV_ACCESS_KEY_ID },
        { operation: "GetItem", accessKeyId: ENV_ACCESS_KEY_ID },
      ]);
    });

    it("leave out the event-stream code and node:fs/promises", () => {
      // Assess
      expect(sdk.code.includes("@smithy/core/event-streams is left out")).to.equal(true);
      expect(sdk.code.includes("event stream message overhead")).to.equal(false);
      expect(externalRequires(sdk.code)).to.not.include("node:fs/promises");
    });
  });

  it("leaves out of the bundle what the named exports do not reach, and requires no package", () => {
    // Assess
    expect(named.code.length < whole.code.length, "named exports did not narrow the bundle").to.be.ok;
    expect(externalRequires(named.code)).to.deep.equal([]);
    expect(externalRequires(whole.code)).to.deep.equal([]);
  });
});
