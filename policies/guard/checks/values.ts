/**
 * Reading resource inputs safely and wording violations.
 *
 * The engine hands policies their inputs wrapped in a proxy that throws when a value that is
 * unknown during preview (an ARN of a resource not yet created) is read. A "must be set" rule
 * does not need the value, only its presence, so `peek` reads the own property descriptor, which
 * the proxy does not intercept: presence checks then work during preview too, and rules that need
 * the value read it normally (the engine reports those as "can't run during preview" and enforces
 * them at `pulumi up`).
 */

import type { Unwrap } from "@pulumi/pulumi";

/** The plain (resolved) inputs of a resource whose constructor takes `TArgs`. */
type Inputs<TArgs> = Unwrap<NonNullable<TArgs>>;

/** What a check needs to know about the resource it judges, to name it in a message. */
interface Subject {
  /** Pulumi type token, e.g. `aws:lambda/function:Function`. */
  readonly type: string;
  /** Logical (Pulumi) name of the resource. */
  readonly name: string;
}

/** A check's verdict: one message per broken rule instance, empty when the resource complies. */
type Violations = string[];

/**
 * The raw own value of `key`, without triggering the engine's unknown-value proxy.
 *
 * @example
 * peek({ kmsKeyArn: "arn:aws:kms:us-east-1:1:key/k" }, "kmsKeyArn"); // "arn:aws:kms:us-east-1:1:key/k"
 */
function peek(object: unknown, key: string): unknown {
  if (object === null || typeof object !== "object") {
    return undefined;
  }
  return Object.getOwnPropertyDescriptor(object, key)?.value;
}

/**
 * True when `key` holds something other than undefined, null or an empty string (an unknown
 * preview value counts as set).
 *
 * @example
 * isSet({ kmsKeyId: "" }, "kmsKeyId"); // false
 */
function isSet(object: unknown, key: string): boolean {
  const value = peek(object, key);
  return value !== undefined && value !== null && value !== "";
}

/** The shape of the engine's placeholders for values unknown during preview (UUID strings). */
const UNKNOWN_SENTINEL = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * True when `value` is a non-empty string that is not a preview placeholder, so it can be
 * compared with another resource's value (an ARN, a URL).
 *
 * @example
 * isKnownString("04da6b54-80e4-46f7-96ec-b56ff0331ba9"); // false
 */
function isKnownString(value: unknown): value is string {
  return typeof value === "string" && value !== "" && !UNKNOWN_SENTINEL.test(value);
}

/**
 * Renders a value for a message: strings quoted, absent values as "not set".
 *
 * @example
 * show(undefined); // "not set"
 */
function show(value: unknown): string {
  if (value === undefined || value === null) {
    return "not set";
  }
  return JSON.stringify(value);
}

/**
 * The one message shape every policy uses: the resource, the property, what it is, what it must be.
 *
 * @example
 * violation({ type: "aws:lambda/function:Function", name: "notify" }, "memorySize", 128, "512");
 * // 'aws:lambda/function:Function "notify": memorySize is 128; it must be 512.'
 */
function violation(subject: Subject, property: string, actual: unknown, expected: string): string {
  return `${subject.type} "${subject.name}": ${property} is ${show(actual)}; it must be ${expected}.`;
}

export type { Inputs, Subject, Violations };
export { isKnownString, isSet, peek, show, violation };
