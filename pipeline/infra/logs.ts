/** Log groups: 7-day retention, encrypted with the pipeline's key. */
import * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";
import type { Scope } from "./scope";

const LOG_RETENTION_DAYS = 7;

/**
 * A KMS-encrypted log group with the pipeline's retention.
 *
 * @example
 * const group = encryptedLogGroup(scope, "process-transaction", scope.names.functions.process.logGroup, key.arn);
 */
function encryptedLogGroup(
  scope: Scope,
  logicalName: string,
  name: string,
  keyArn: pulumi.Input<string>,
): aws.cloudwatch.LogGroup {
  return new aws.cloudwatch.LogGroup(
    logicalName,
    { name, retentionInDays: LOG_RETENTION_DAYS, kmsKeyId: keyArn, tags: scope.tags },
    scope.opts,
  );
}

export { encryptedLogGroup };
