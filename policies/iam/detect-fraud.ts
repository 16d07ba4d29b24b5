/** Least-privilege identity policy of the detect-fraud function. */
import { UPDATE_ACCESS } from "../../pipeline/runtime/aws/update-access";
import { type PolicyDocument, policyDocument } from "./document";
import { attributeScopedUpdate } from "./dynamodb-update";
import { type FunctionBaseArns, sharedFunctionStatements } from "./lambda-shared";

/** Resource ARNs detect-fraud touches. */
interface DetectFraudArns extends FunctionBaseArns {
  readonly tableArn: string;
  readonly streamArn: string;
  /** ARN of the account-history index (`<table arn>/index/<name>`). */
  readonly indexArn: string;
  readonly alertQueueArn: string;
  /** Queue the stream mapping sends a batch's metadata to when retries are exhausted. */
  readonly streamFailureQueueArn: string;
  readonly merchantRiskTableArn: string;
}

/**
 * detect-fraud reads the table's stream (through its event source mapping, which runs with this
 * role), queries the account history index, reads the batch's merchant profiles and counts each
 * transaction in its merchant's bucket, writes the verdict back, and sends alerts; the
 * CMK-encrypted stream, tables and queues need Decrypt and GenerateDataKey. Its updates may touch
 * only the verdict attributes and the merchant's buckets.
 *
 * @example
 * const doc = detectFraudPolicy({ tableArn, streamArn, indexArn, merchantRiskTableArn, alertQueueArn, streamFailureQueueArn, keyArn, logGroupArn });
 */
function detectFraudPolicy(arns: DetectFraudArns): PolicyDocument {
  return policyDocument([
    ...sharedFunctionStatements(arns),
    {
      Sid: "ReadTableStream",
      Effect: "Allow",
      Action: [
        "dynamodb:DescribeStream",
        "dynamodb:GetRecords",
        "dynamodb:GetShardIterator",
        "dynamodb:ListStreams",
      ],
      Resource: arns.streamArn,
    },
    {
      Sid: "QueryAccountHistory",
      Effect: "Allow",
      Action: ["dynamodb:Query"],
      Resource: arns.indexArn,
    },
    {
      Sid: "ReadMerchantRisk",
      Effect: "Allow",
      Action: ["dynamodb:BatchGetItem"],
      Resource: arns.merchantRiskTableArn,
    },
    attributeScopedUpdate(
      "CountMerchantTransactions",
      arns.merchantRiskTableArn,
      UPDATE_ACCESS.merchantBuckets,
    ),
    attributeScopedUpdate("WriteVerdict", arns.tableArn, UPDATE_ACCESS.verdict),
    {
      Sid: "SendAlerts",
      Effect: "Allow",
      Action: ["sqs:SendMessage"],
      Resource: arns.alertQueueArn,
    },
    {
      Sid: "SendStreamFailures",
      Effect: "Allow",
      Action: ["sqs:SendMessage"],
      Resource: arns.streamFailureQueueArn,
    },
    {
      Sid: "UseKeyForStreamTablesAndQueues",
      Effect: "Allow",
      Action: ["kms:Decrypt", "kms:GenerateDataKey"],
      Resource: arns.keyArn,
    },
  ]);
}

export type { DetectFraudArns };
export { detectFraudPolicy };
