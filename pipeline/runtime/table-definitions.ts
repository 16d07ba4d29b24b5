/**
 * The tables' shapes as plain data: keys, attribute types, indexes, stream settings and the stream
 * mapping's filter. One source for the Pulumi tables (pipeline/infra/storage.ts), the event source
 * mapping (pipeline/infra/triggers.ts), and the tables the local runner and the DynamoDB Local
 * tests create, so none of them can drift from the stack.
 */

/**
 * Lambda event filter of the transactions stream: only inserts of transactions. A verdict
 * write-back (MODIFY) must not re-trigger detection, and an id guard (an INSERT without
 * `account_id`, see `ID_GUARD`) is not a transaction.
 */
export const TRANSACTION_STREAM_FILTER = {
  eventName: ["INSERT"],
  dynamodb: { NewImage: { account_id: { S: [{ exists: true }] } } },
} as const;
