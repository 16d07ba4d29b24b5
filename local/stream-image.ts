/**
 * Marshals table items into the DynamoDB JSON of stream images, byte for byte what
 * `marshall(item, { removeUndefinedValues: true })` from @aws-sdk/util-dynamodb returns. Items
 * are JSON data (strings, numbers, booleans, null, arrays, plain objects), which this converts
 * directly; the SDK's general converter, which asks every value's constructor name several times,
 * was the change feed's largest cost under load. Anything else (a Set, binary, a number the SDK
 * refuses) goes to the SDK's converter, so it is marshalled, or refused, exactly as before.
 */
import { marshall } from "@aws-sdk/util-dynamodb";

/** One DynamoDB attribute value, as the SDK's `marshall` produces it. */
type AttributeValue = Record<string, unknown>;

/** What the SDK marshals with: undefined attributes and list elements are left out. */
const SDK_OPTIONS = { removeUndefinedValues: true, convertTopLevelContainer: true } as const;

function isPlainRecord(value: object): value is Record<string, unknown> {
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

function mapOf(object: Record<string, unknown>): Record<string, AttributeValue> {
  const map: Record<string, AttributeValue> = {};
  for (const key in object) {
    const value = object[key];
    if (value !== undefined && typeof value !== "function") map[key] = attributeOf(value);
  }
  return map;
}

function attributeOf(value: unknown): AttributeValue {
  switch (typeof value) {
    case "string":
      return { S: value };
    case "number":
      // The SDK refuses NaN, infinities and unsafe integers: its converter says so.
      if (Number.isFinite(value) && Math.abs(value) <= Number.MAX_SAFE_INTEGER) return { N: String(value) };
      break;
    case "boolean":
      return { BOOL: value };
    case "object":
      if (value === null) return { NULL: true };
      if (Array.isArray(value)) {
        const list: AttributeValue[] = [];
        for (const element of value)
          if (element !== undefined && typeof element !== "function") list.push(attributeOf(element));
        return { L: list };
      }
      if (isPlainRecord(value)) return { M: mapOf(value) };
      break;
  }
  return marshall(value, SDK_OPTIONS) as AttributeValue;
}

/**
 * The stream image of a table item: its attributes as DynamoDB JSON, undefined ones left out.
 *
 * @example
 * streamImage({ transaction_id: "t1", timestamp: 1, rules: ["velocity"] });
 * // { transaction_id: { S: "t1" }, timestamp: { N: "1" }, rules: { L: [{ S: "velocity" }] } }
 */
function streamImage(item: object): Record<string, AttributeValue> {
  return mapOf(item as Record<string, unknown>);
}

function valueSize(value: AttributeValue): number {
  if (typeof value.S === "string") return value.S.length;
  // A number takes about one byte per two significant digits, plus one.
  if (typeof value.N === "string") return Math.ceil(value.N.length / 2) + 1;
  if (Array.isArray(value.L)) {
    let size = 3;
    for (const element of value.L as AttributeValue[]) size += 1 + valueSize(element);
    return size;
  }
  if (typeof value.M === "object" && value.M !== null)
    return 3 + imageSize(value.M as Record<string, AttributeValue>);
  return 1;
}

/**
 * The size DynamoDB counts for a marshalled image, near enough for a stream record's `SizeBytes`:
 * attribute names plus values (strings by length, numbers by digits, lists and maps with their
 * overhead); unlike a JSON text of the image, it builds nothing.
 *
 * @example
 * imageSize(streamImage({ transaction_id: "t1", timestamp: 1 })); // 27: 14 + 2 for the id, 9 + 2 for the timestamp
 */
function imageSize(image: Readonly<Record<string, AttributeValue>>): number {
  let size = 0;
  for (const name in image) size += name.length + valueSize(image[name]);
  return size;
}

export { imageSize, streamImage };
