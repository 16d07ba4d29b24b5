/**
 * Statements every function's role carries: write its own logs, send X-Ray traces, and decrypt
 * its own KMS-encrypted environment variables.
 */
import type { Statement } from "./document";

/** ARNs every function statement set needs. */
interface FunctionBaseArns {
  /** ARN of the function's own log group, without the `:*` suffix. */
  readonly logGroupArn: string;
  /** ARN of the customer-managed key encrypting the environment (and the data stores). */
  readonly keyArn: string;
}

/**
 * The statements shared by every function role.
 *
 * @example
 * const statements = [...sharedFunctionStatements({ logGroupArn, keyArn }), ownStatement];
 */
function sharedFunctionStatements({ logGroupArn, keyArn }: FunctionBaseArns): Statement[] {
  return [
    {
      Sid: "WriteOwnLogGroup",
      Effect: "Allow",
      Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
      // Log streams live under the group: `<group arn>:log-stream:<name>`.
      Resource: `${logGroupArn}:*`,
    },
    {
      Sid: "WriteTraces",
      Effect: "Allow",
      Action: ["xray:PutTraceSegments", "xray:PutTelemetryRecords"],
      // X-Ray's trace actions support no resource-level permissions: "*" is the only valid value.
      Resource: "*",
    },
    {
      Sid: "DecryptEnvironment",
      Effect: "Allow",
      Action: ["kms:Decrypt"],
      Resource: keyArn,
    },
  ];
}

export type { FunctionBaseArns };
export { sharedFunctionStatements };
