/**
 * Linking resources in a stack the way the engine describes them to stack policies.
 */
import { isKnownString, peek } from "./values";

/** The part of the engine's `PolicyResource` the links need. */
interface GraphResource {
  readonly urn: string;
  readonly type: string;
  readonly name: string;
  readonly props: object;
  /** Resources each input property was computed from, as the engine reports them. */
  readonly propertyDependencies?: Readonly<Record<string, readonly { readonly urn: string }[]>>;
}

/**
 * True when `from.props[property]` refers to `to`: the engine says the property depends on `to`,
 * or its known value equals one of `to`'s identifying outputs (`keys`, e.g. `arn`, `url`, `id`).
 *
 * @example
 * refersTo(queuePolicy, "queueUrl", queue, ["url", "id"]); // true when queuePolicy.queueUrl came from queue
 */
function refersTo(
  from: GraphResource,
  property: string,
  to: GraphResource,
  keys: readonly string[],
): boolean {
  const dependencies = from.propertyDependencies?.[property] ?? [];
  if (dependencies.some((dependency) => dependency.urn === to.urn)) {
    return true;
  }
  const value = peek(from.props, property);
  return isKnownString(value) && keys.some((key) => peek(to.props, key) === value);
}

export type { GraphResource };
export { refersTo };
