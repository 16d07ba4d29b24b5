/**
 * notify-team's function factory, serialized and bundled into the function's `index.js` (pipeline/infra/handler-bundle.ts).
 * It runs once per cold start: reads configuration from the (KMS-encrypted) environment and builds
 * the SDK clients, logger, metrics and codec here, so the serialized closure captures only functions.
 */
import { makeDynamoDBClient, makeSnsClient } from "../aws/clients";
import { makeDynamoNotificationLedger } from "../aws/dynamodb-ledger";
import { makeSnsNotifier } from "../aws/sns";
import { ENV, requireEnv } from "../env";
import { makeAlertCodec } from "../notify/alert-codec";
import { makeNotifyHandler, type NotifyHandler } from "../notify/handler";
import { METRICS_NAMESPACE, makeLogger, makeMetrics } from "../observability";

/**
 * How long a claim on a notification stays exclusive: above the function's 50 s timeout, so a
 * live invocation never loses its claim, and below the queue's 300 s visibility timeout, so the
 * claim of a crashed invocation has expired by the time SQS redelivers its message.
 */
const NOTIFY_LEASE_MS = 120_000;

/**
 * Builds the notify-team handler from the environment (`TABLE_NAME`, `TOPIC_ARN`).
 *
 * @example
 * bundledFunction("notify-team", { factory: notifyTeamFactory, role, ... });
 * @throws ConfigurationError naming the variable when one is missing.
 */
function notifyTeamFactory(): NotifyHandler {
  const tableName = requireEnv(process.env, ENV.tableName);
  const topicArn = requireEnv(process.env, ENV.topicArn);
  return makeNotifyHandler({
    notifier: makeSnsNotifier({ client: makeSnsClient(), topicArn }),
    ledger: makeDynamoNotificationLedger({ client: makeDynamoDBClient(), tableName }),
    codec: makeAlertCodec(),
    now: () => Date.now(),
    log: makeLogger("notify-team"),
    metrics: makeMetrics(METRICS_NAMESPACE, "notify-team"),
    leaseMs: NOTIFY_LEASE_MS,
  });
}

export { NOTIFY_LEASE_MS, notifyTeamFactory };
