/**
 * Creates the pipeline's tables on a DynamoDB endpoint (DynamoDB Local) from the same definitions
 * as the stack's Pulumi tables (pipeline/runtime/table-definitions.ts): keys, account index,
 * stream view type and TTL. Used by the local runner's `--dynamodb-endpoint` mode and the
 * DynamoDB Local tests.
 */
import {
  CreateTableCommand,
  type CreateTableCommandInput,
  type DynamoDBClient,
  ResourceInUseException,
  UpdateTimeToLiveCommand,
} from "@aws-sdk/client-dynamodb";
import type { TableDefinition } from "../pipeline/runtime/table-definitions";

/**
 * The CreateTable input of `definition` under `tableName`: on-demand, keys and indexes as in the
 * stack, the stream enabled with its view type when the definition has one.
 *
 * @example
 * await client.send(new CreateTableCommand(createTableInput(TRANSACTION_TABLE, "dynamodb-transactions-local")));
 */
function createTableInput(definition: TableDefinition, tableName: string): CreateTableCommandInput {
  const keySchema = (hashKey: string, rangeKey?: string) => [
    { AttributeName: hashKey, KeyType: "HASH" as const },
    ...(rangeKey === undefined ? [] : [{ AttributeName: rangeKey, KeyType: "RANGE" as const }]),
  ];
  const indexes = definition.globalSecondaryIndexes.map((index) => ({
    IndexName: index.name,
    KeySchema: keySchema(index.hashKey, index.rangeKey),
    Projection: { ProjectionType: index.projectionType },
  }));
  return {
    TableName: tableName,
    BillingMode: "PAY_PER_REQUEST",
    KeySchema: keySchema(definition.hashKey, definition.rangeKey),
    AttributeDefinitions: definition.attributes.map((a) => ({
      AttributeName: a.name,
      AttributeType: a.type,
    })),
    ...(indexes.length > 0 && { GlobalSecondaryIndexes: indexes }),
    ...(definition.streamViewType !== undefined && {
      StreamSpecification: { StreamEnabled: true, StreamViewType: definition.streamViewType },
    }),
  };
}

/**
 * Creates the table unless it exists (an existing table is used as it is), then enables its TTL.
 * Resolves with `true` when it created the table.
 *
 * @example
 * await ensureTable(client, TRANSACTION_TABLE, "dynamodb-transactions-local");
 */
async function ensureTable(
  client: DynamoDBClient,
  definition: TableDefinition,
  tableName: string,
): Promise<boolean> {
  try {
    await client.send(new CreateTableCommand(createTableInput(definition, tableName)));
  } catch (error) {
    if (error instanceof Error && error.name === ResourceInUseException.name) return false;
    throw error;
  }
  if (definition.ttlAttribute !== undefined) {
    await client.send(
      new UpdateTimeToLiveCommand({
        TableName: tableName,
        TimeToLiveSpecification: { Enabled: true, AttributeName: definition.ttlAttribute },
      }),
    );
  }
  return true;
}

export { createTableInput, ensureTable };
