/**
 * The tables: transactions (the pipeline's system of record and, through its stream, its event
 * bus) and merchant risk (per-merchant daily counts of transactions and confirmed frauds).
 */
import * as aws from "@pulumi/aws";
import { ACCOUNT_INDEX } from "../runtime/contract/item";
import { MERCHANT_RISK_ATTRIBUTES } from "../runtime/detect/merchant-risk";
import type { Scope } from "./scope";

/**
 * What every table shares: on-demand, encrypted with the pipeline key, point-in-time recovery,
 * and destroyable.
 */
function tableDefaults(scope: Scope, keyArn: aws.kms.Key["arn"]) {
  return {
    billingMode: "PAY_PER_REQUEST",
    serverSideEncryption: { enabled: true, kmsKeyArn: keyArn },
    pointInTimeRecovery: { enabled: true },
    deletionProtectionEnabled: false,
    tags: scope.tags,
  } satisfies Partial<aws.dynamodb.TableArgs>;
}

/**
 * Creates the transactions table: keyed by transaction id and event time, streaming new and old
 * images, with the account-history index the detector queries.
 *
 * @example
 * const table = createTransactionTable(scope, key.arn);
 */
function createTransactionTable(scope: Scope, keyArn: aws.kms.Key["arn"]): aws.dynamodb.Table {
  return new aws.dynamodb.Table(
    "transactions",
    {
      ...tableDefaults(scope, keyArn),
      name: scope.names.table,
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
    },
    scope.opts,
  );
}

/**
 * Creates the merchant-risk table: one item per merchant holding its daily buckets, expiring
 * through DynamoDB TTL once its newest bucket is out of every window. No stream: nothing reacts
 * to a count changing, the detector reads the counts when it scores.
 *
 * @example
 * const merchantRisk = createMerchantRiskTable(scope, key.arn);
 */
function createMerchantRiskTable(scope: Scope, keyArn: aws.kms.Key["arn"]): aws.dynamodb.Table {
  return new aws.dynamodb.Table(
    "merchant-risk",
    {
      ...tableDefaults(scope, keyArn),
      name: scope.names.merchantRiskTable,
      hashKey: MERCHANT_RISK_ATTRIBUTES.merchantId,
      attributes: [{ name: MERCHANT_RISK_ATTRIBUTES.merchantId, type: "S" }],
      ttl: { enabled: true, attributeName: MERCHANT_RISK_ATTRIBUTES.expiresAt },
    },
    scope.opts,
  );
}

export { createMerchantRiskTable, createTransactionTable };
