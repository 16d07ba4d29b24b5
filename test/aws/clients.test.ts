import { expect } from "chai";
import {
  makeDynamoDBClient,
  makeSnsClient,
  makeSqsClient,
  SDK_CLIENT_CONFIG,
} from "../../pipeline/runtime/aws/clients";
import { useEnv } from "../helpers/artifact";

/** What the SDK resolved for a client: its HTTP handler's timeouts and the retry budget. */
async function resolvedNetworkConfig(client: {
  config: { requestHandler: unknown; maxAttempts: () => Promise<number> };
}) {
  const handler = client.config.requestHandler as { configProvider: Promise<Record<string, unknown>> };
  const { connectionTimeout, requestTimeout } = await handler.configProvider;
  return { connectionTimeout, requestTimeout, maxAttempts: await client.config.maxAttempts() };
}

describe("Function: makeDynamoDBClient, makeSqsClient, makeSnsClient", () => {
  useEnv({ AWS_REGION: "us-east-1" });

  for (const [name, make] of [
    ["DynamoDB", makeDynamoDBClient],
    ["SQS", makeSqsClient],
    ["SNS", makeSnsClient],
  ] as const) {
    it(`gives the ${name} client a connection and request timeout and a bounded retry budget`, async () => {
      // Act
      const config = await resolvedNetworkConfig(make());

      // Assess
      expect(config).to.deep.equal({
        connectionTimeout: SDK_CLIENT_CONFIG.requestHandler.connectionTimeout,
        requestTimeout: SDK_CLIENT_CONFIG.requestHandler.requestTimeout,
        maxAttempts: SDK_CLIENT_CONFIG.maxAttempts,
      });
    });
  }

  it("keeps every attempt of a call inside the shortest function timeout (10 s)", () => {
    // Assess
    const { connectionTimeout, requestTimeout } = SDK_CLIENT_CONFIG.requestHandler;
    expect(SDK_CLIENT_CONFIG.maxAttempts * (connectionTimeout + requestTimeout) < 10_000).to.be.ok;
  });
});
