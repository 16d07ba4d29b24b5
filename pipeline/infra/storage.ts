/**
 * The tables: transactions (the pipeline's system of record and, through its stream, its event
 * bus) and merchant risk (per-merchant daily counts of transactions and confirmed frauds).
 */
import * as aws from "@pulumi/aws";
import { MERCHANT_RISK_TABLE, type TableDefinition, TRANSACTION_TABLE } from "../runtime/table-definitions";
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

/** The Pulumi table arguments of a shared table definition: keys, indexes, stream and TTL. */
function tableShape(definition: TableDefinition) {
  return {
    hashKey: definition.hashKey,
    rangeKey: definition.rangeKey,
    attributes: definition.attributes.map((attribute) => ({ ...attribute })),
    globalSecondaryIndexes:
      definition.globalSecondaryIndexes.length === 0
        ? undefined
        : definition.globalSecondaryIndexes.map((index) => ({
            name: index.name,
            keySchemas: [
              { attributeName: index.hashKey, keyType: "HASH" },
              ...(index.rangeKey === undefined ? [] : [{ attributeName: index.rangeKey, keyType: "RANGE" }]),
            ],
            projectionType: index.projectionType,
          })),
    streamEnabled: definition.streamViewType === undefined ? undefined : true,
    streamViewType: definition.streamViewType,
    ttl:
      definition.ttlAttribute === undefined
        ? undefined
        : { enabled: true, attributeName: definition.ttlAttribute },
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
      ...tableShape(TRANSACTION_TABLE),
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
      ...tableShape(MERCHANT_RISK_TABLE),
    },
    scope.opts,
  );
}

export { createMerchantRiskTable, createTransactionTable };
