/** The customer-managed KMS key that encrypts the table, queues, topic, log groups and function environments. */
import * as aws from "@pulumi/aws";
import { keyPolicy } from "../../policies/iam/key-policy";
import { everyAlarmName, everyLogGroupName } from "./naming";
import { REGION, type Scope } from "./scope";

/** The key and its alias. */
interface Encryption {
  readonly key: aws.kms.Key;
  readonly alias: aws.kms.Alias;
}

/**
 * Creates the pipeline key (yearly rotation, 7-day deletion window so a destroyed stack does not
 * hold a key for the default 30 days) and its alias. The key policy names the stack's log groups
 * (WAF's when `waf` is on) and alarms by their physical names, which exist before the resources.
 *
 * @example
 * const { key } = createEncryption(scope, { waf: true });
 */
function createEncryption(scope: Scope, { waf }: { waf: boolean }): Encryption {
  const logGroupNames = everyLogGroupName(scope.names, { waf });
  const alarmNames = everyAlarmName(scope.names);
  const key = new aws.kms.Key(
    "fraud-pipeline",
    {
      description: `${scope.names.keyAlias}: table, queues, topic, log groups and Lambda environments`,
      enableKeyRotation: true,
      deletionWindowInDays: 7,
      policy: scope.accountId.apply((accountId) =>
        JSON.stringify(keyPolicy({ accountId, region: REGION, logGroupNames, alarmNames })),
      ),
      tags: scope.tags,
    },
    scope.opts,
  );
  const alias = new aws.kms.Alias(
    "fraud-pipeline",
    { name: scope.names.keyAlias, targetKeyId: key.keyId },
    scope.opts,
  );
  return { key, alias };
}

export type { Encryption };
export { createEncryption };
