/** The transactions table: the pipeline's system of record and, through its stream, its event bus. */
import * as aws from "@pulumi/aws";
import { ACCOUNT_INDEX } from "../runtime/contract/item";
import type { Scope } from "./scope";

/**
 * Creates the table: keyed by transaction id and event time, on-demand, streaming new and old
 * images, encrypted with the pipeline key, with the account-history index the detector queries.
 *
 * @example
 * const table = createTransactionTable(scope, key.arn);
 */
function createTransactionTable(scope: Scope, keyArn: aws.kms.Key["arn"]): aws.dynamodb.Table {
  return new aws.dynamodb.Table(
    "transactions",
    {
      name: scope.names.table,
      billingMode: "PAY_PER_REQUEST",
      hashKey: "transaction_id",
      rangeKey: "timestamp",
      attributes: [
        { name: "transaction_id", type: "S" },
        { name: "timestamp", type: "N" },
        { name: "account_id", type: "S" },
      ],
      globalSecondaryIndexes: [
        {
          name: ACCOUNT_INDEX,
          keySchemas: [
            { attributeName: "account_id", keyType: "HASH" },
            { attributeName: "timestamp", keyType: "RANGE" },
          ],
          projectionType: "ALL",
        },
      ],
      streamEnabled: true,
      streamViewType: "NEW_AND_OLD_IMAGES",
      serverSideEncryption: { enabled: true, kmsKeyArn: keyArn },
      pointInTimeRecovery: { enabled: true },
      deletionProtectionEnabled: false,
      tags: scope.tags,
    },
    scope.opts,
  );
}

export { createTransactionTable };
