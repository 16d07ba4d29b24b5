/** Least-privilege identity policy of the process-transaction function. */
import { type PolicyDocument, policyDocument } from "./document";
import { type FunctionBaseArns, sharedFunctionStatements } from "./lambda-shared";

/** Resource ARNs process-transaction touches. */
interface ProcessTransactionArns extends FunctionBaseArns {
  readonly tableArn: string;
}

/**
 * process-transaction only writes new items: the transaction and its id guard, as two conditional
 * Puts of one TransactWriteItems. IAM has no action of its own for TransactWriteItems: each Put is
 * authorised as `dynamodb:PutItem` on its table, so PutItem covers both items and the duplicate check.
 *
 * @example
 * const doc = processTransactionPolicy({ tableArn, keyArn, logGroupArn });
 */
function processTransactionPolicy(arns: ProcessTransactionArns): PolicyDocument {
  return policyDocument([
    ...sharedFunctionStatements(arns),
    {
      Sid: "StoreTransactions",
      Effect: "Allow",
      Action: ["dynamodb:PutItem"],
      Resource: arns.tableArn,
    },
  ]);
}

export type { ProcessTransactionArns };
export { processTransactionPolicy };
