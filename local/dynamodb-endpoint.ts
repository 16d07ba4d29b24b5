/**
 * SDK clients for a DynamoDB endpoint given by URL (DynamoDB Local): the DynamoDB client the
 * pipeline's own adapters use, and the DynamoDB Streams client that reads the table's stream.
 * DynamoDB Local accepts any credentials, so fixed ones are used unless the environment has its
 * own; the region defaults to us-east-1.
 */
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBStreamsClient } from "@aws-sdk/client-dynamodb-streams";

/**
 * Longer than the deployed functions' 1.5 s request timeout: DynamoDB Local runs in a JVM whose
 * first requests (class loading, JIT) can take seconds on a busy machine.
 */
const LOCAL_ENDPOINT_CONFIG = {
  maxAttempts: 3,
  requestHandler: { connectionTimeout: 2_000, requestTimeout: 10_000 },
} as const;

export interface DynamoEndpointClients {
  readonly dynamodb: DynamoDBClient;
  readonly streams: DynamoDBStreamsClient;
  /** Closes both clients' connections. */
  destroy(): void;
}

/**
 * Both clients for `endpoint`.
 *
 * @example
 * const { dynamodb, streams } = dynamoEndpointClients(new URL("http://127.0.0.1:8000"));
 */
function dynamoEndpointClients(endpoint: URL): DynamoEndpointClients {
  const config = {
    ...LOCAL_ENDPOINT_CONFIG,
    endpoint: endpoint.href,
    region: process.env.AWS_REGION ?? "us-east-1",
    ...(process.env.AWS_ACCESS_KEY_ID === undefined && {
      credentials: { accessKeyId: "local", secretAccessKey: "local" },
    }),
  };
  const dynamodb = new DynamoDBClient(config);
  const streams = new DynamoDBStreamsClient(config);
  return {
    dynamodb,
    streams,
    destroy() {
      dynamodb.destroy();
      streams.destroy();
    },
  };
}

export { dynamoEndpointClients };
