/**
 * The SDK clients the functions use, all with the same fail-fast network settings. The SDK's
 * default has no request timeout: one hung call would hold an invocation until the function's own
 * timeout (process-transaction would answer 502 instead of 503 with Retry-After; notify-team could
 * outlive its claim and email twice). Three attempts of at most 2.5 s each stay inside the shortest
 * function timeout (10 s). Call these inside a function factory, never at module scope.
 */
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { SNSClient } from "@aws-sdk/client-sns";
import { SQSClient } from "@aws-sdk/client-sqs";

/** Plain data, shared by every client. */
const SDK_CLIENT_CONFIG = {
  maxAttempts: 3,
  requestHandler: { connectionTimeout: 1_000, requestTimeout: 1_500 },
} as const;

/**
 * A DynamoDB client with the shared timeouts.
 *
 * @example
 * const store = makeDynamoTransactionStore({ client: makeDynamoDBClient(), tableName });
 */
function makeDynamoDBClient(): DynamoDBClient {
  return new DynamoDBClient({ ...SDK_CLIENT_CONFIG });
}

/**
 * An SQS client with the shared timeouts.
 *
 * @example
 * const alerts = makeSqsAlertQueue({ client: makeSqsClient(), queueUrl });
 */
function makeSqsClient(): SQSClient {
  return new SQSClient({ ...SDK_CLIENT_CONFIG });
}

/**
 * An SNS client with the shared timeouts.
 *
 * @example
 * const notifier = makeSnsNotifier({ client: makeSnsClient(), topicArn });
 */
function makeSnsClient(): SNSClient {
  return new SNSClient({ ...SDK_CLIENT_CONFIG });
}

export { makeDynamoDBClient, makeSnsClient, makeSqsClient, SDK_CLIENT_CONFIG };
