/**
 * The four Lambda functions as the benchmarks see them: their factories, the v2 baseline
 * factories, and the environment each factory reads (names only; nothing here talks to AWS).
 */
import { detectFraudFactory } from "../pipeline/runtime/lambda/detect-fraud";
import { notifyTeamFactory } from "../pipeline/runtime/lambda/notify-team";
import { processTransactionFactory } from "../pipeline/runtime/lambda/process-transaction";
import { recordOutcomeFactory } from "../pipeline/runtime/lambda/record-outcome";
import {
  v2DetectFraudFactory,
  v2NotifyTeamFactory,
  v2ProcessTransactionFactory,
  v2RecordOutcomeFactory,
} from "./baseline/factories";

/** Every function, in pipeline order: the cold-init and archive figures serialize them all. */
const FUNCTION_NAMES = ["process-transaction", "detect-fraud", "notify-team", "record-outcome"] as const;

type ArtifactName = (typeof FUNCTION_NAMES)[number];

/**
 * The functions on a transaction's path, whose warm handler cost and capacity are figured.
 * record-outcome runs once per reported outcome (a chargeback, a review), not per transaction.
 */
type FunctionName = Exclude<ArtifactName, "record-outcome">;

/** Which build of a function: ours (SDK v3) or the baseline (whole aws-sdk v2). */
const VARIANTS = { ours: "v3", baseline: "v2" } as const;

type Variant = (typeof VARIANTS)[keyof typeof VARIANTS];

interface BenchFunction {
  readonly name: ArtifactName;
  readonly variant: Variant;
  readonly factory: () => unknown;
}

/** The environment the factories read, with the dev stack's physical names and a fixed region. */
const FACTORY_ENV: Readonly<Record<string, string>> = {
  TABLE_NAME: "dynamodb-transactions-bench",
  ACCOUNT_INDEX_NAME: "account-timestamp-index",
  ALERT_QUEUE_URL: "https://sqs.us-east-1.amazonaws.com/123456789012/sqs-fraud-alerts-bench",
  TOPIC_ARN: "arn:aws:sns:us-east-1:123456789012:sns-fraud-notifications-bench",
  MERCHANT_RISK_TABLE_NAME: "dynamodb-merchant-risk-bench",
  AWS_REGION: "us-east-1",
  // Both SDKs warn on load here (v2: end of support; v3: Node < 22). Neither does in Lambda: v2
  // skips its notice when AWS_EXECUTION_ENV is set, and nodejs24.x is recent enough for v3.
  AWS_SDK_JS_SUPPRESS_MAINTENANCE_MODE_MESSAGE: "1",
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
};

const FACTORIES: Record<Variant, Record<ArtifactName, () => unknown>> = {
  v3: {
    "process-transaction": processTransactionFactory,
    "detect-fraud": detectFraudFactory,
    "notify-team": notifyTeamFactory,
    "record-outcome": recordOutcomeFactory,
  },
  v2: {
    "process-transaction": v2ProcessTransactionFactory,
    "detect-fraud": v2DetectFraudFactory,
    "notify-team": v2NotifyTeamFactory,
    "record-outcome": v2RecordOutcomeFactory,
  },
};

/**
 * Every function in both variants: ours first, then the baseline.
 *
 * @example
 * for (const fn of benchFunctions()) console.log(fn.name, fn.variant);
 */
function benchFunctions(): BenchFunction[] {
  return [VARIANTS.ours, VARIANTS.baseline].flatMap((variant) =>
    FUNCTION_NAMES.map((name) => ({ name, variant, factory: FACTORIES[variant][name] })),
  );
}

export type { ArtifactName, BenchFunction, FunctionName, Variant };
export { benchFunctions, FACTORY_ENV, FUNCTION_NAMES, VARIANTS };
