/** Least-privilege identity policy of the record-outcome function. */
import { UPDATE_ACCESS } from "../../pipeline/runtime/aws/update-access";
import { type PolicyDocument, policyDocument } from "./document";
import { attributeScopedUpdate } from "./dynamodb-update";
import { type FunctionBaseArns, sharedFunctionStatements } from "./lambda-shared";

/** Resource ARNs record-outcome touches. */
interface RecordOutcomeArns extends FunctionBaseArns {
  readonly tableArn: string;
  readonly merchantRiskTableArn: string;
}

/**
 * record-outcome reads the transaction item, then one TransactWriteItems updates it and, for a
 * fraud, adds to the merchant's bucket. IAM authorises a TransactWriteItems by the actions it
 * contains (here UpdateItem on each table), so `dynamodb:TransactWriteItems` itself is not
 * granted. The updates may touch only the outcome attributes and the merchant's buckets. Both
 * tables are encrypted with the pipeline key.
 *
 * @example
 * const doc = recordOutcomePolicy({ tableArn, merchantRiskTableArn, keyArn, logGroupArn });
 */
function recordOutcomePolicy(arns: RecordOutcomeArns): PolicyDocument {
  return policyDocument([
    ...sharedFunctionStatements(arns),
    {
      Sid: "ReadTransaction",
      Effect: "Allow",
      Action: ["dynamodb:GetItem"],
      Resource: arns.tableArn,
    },
    attributeScopedUpdate("RecordOutcome", arns.tableArn, UPDATE_ACCESS.outcome),
    attributeScopedUpdate("CountMerchantFrauds", arns.merchantRiskTableArn, UPDATE_ACCESS.merchantBuckets),
    {
      Sid: "UseKeyForTables",
      Effect: "Allow",
      Action: ["kms:Decrypt", "kms:GenerateDataKey"],
      Resource: arns.keyArn,
    },
  ]);
}

export type { RecordOutcomeArns };
export { recordOutcomePolicy };
