/** One DynamoDB stream record to a trusted Transaction, or the reason it cannot be one. */
import { unmarshall } from "@aws-sdk/util-dynamodb";
import type { DynamoDBRecord } from "aws-lambda";
import { decodeTransaction, type TransactionCodec } from "../contract/codec";
import { contractFields } from "../contract/item";
import type { Transaction } from "../contract/transaction";

type DecodedRecord =
  | { readonly kind: "skipped" }
  | { readonly kind: "decoded"; readonly transaction: Transaction }
  | { readonly kind: "malformed"; readonly reason: string };

/** aws-lambda's AttributeValue and the SDK's are different types describing the same JSON. */
type SdkImage = Parameters<typeof unmarshall>[0];

/**
 * Decodes the NewImage of an INSERT record. Anything else (MODIFY from the verdict write-back,
 * REMOVE) is skipped: the event source mapping filters to INSERT already, this is defence in depth.
 * Bookkeeping attributes are dropped before decoding; the recency window is not checked because
 * the stream may deliver records late.
 *
 * @example
 * const decoded = decodeRecord(record, codec);
 * if (decoded.kind === "decoded") assess(decoded.transaction);
 */
function decodeRecord(record: DynamoDBRecord, codec: TransactionCodec): DecodedRecord {
  if (record.eventName !== "INSERT") return { kind: "skipped" };
  const image = record.dynamodb?.NewImage;
  if (image === undefined) return { kind: "malformed", reason: "INSERT record has no NewImage" };
  let item: Record<string, unknown>;
  try {
    item = unmarshall(image as SdkImage);
  } catch (error) {
    return { kind: "malformed", reason: `NewImage cannot be unmarshalled: ${errorText(error)}` };
  }
  const result = decodeTransaction(codec, contractFields(item));
  if (result.ok) return { kind: "decoded", transaction: result.value };
  const fields = result.errors.map((e) => `${e.field} ${e.message}`).join("; ");
  return { kind: "malformed", reason: `NewImage is not a valid transaction: ${fields}` };
}

/**
 * The transaction id from the record's key, for logs about a record that could not be decoded.
 *
 * @example
 * log.error("record failed", { transactionId: keyTransactionId(record) });
 */
function keyTransactionId(record: DynamoDBRecord): string | undefined {
  return record.dynamodb?.Keys?.transaction_id?.S;
}

function errorText(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

export type { DecodedRecord };
export { decodeRecord, errorText, keyTransactionId };
