/**
 * Validates a partial settings object against a spec of the same shape and deep-merges it onto
 * the defaults. Collects every problem instead of stopping at the first, so one deploy shows all.
 */

/** Valid range of one numeric setting. */
interface NumberSpec {
  readonly min: number;
  readonly max: number;
  readonly integer: boolean;
}

/** A map with free keys (e.g. per-currency limits): every key matches `keyPattern`, every value `each`. */
interface RecordSpec {
  readonly keyPattern: string;
  readonly keyDescription: string;
  readonly each: NumberSpec;
}

type SpecNode = NumberSpec | RecordSpec | { readonly [key: string]: SpecNode };

type Plain = Record<string, unknown>;

function isNumberSpec(spec: SpecNode): spec is NumberSpec {
  return typeof (spec as NumberSpec).min === "number" && typeof (spec as NumberSpec).max === "number";
}

function isRecordSpec(spec: SpecNode): spec is RecordSpec {
  return typeof (spec as RecordSpec).keyPattern === "string";
}

function isPlainObject(value: unknown): value is Plain {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return "an array";
  if (value === null) return "null";
  return typeof value === "string" ? `"${value}"` : String(value);
}

function label(path: string): string {
  return path === "" ? "the top level" : path;
}

function join(path: string, key: string): string {
  return path === "" ? key : `${path}.${key}`;
}

function numberError(path: string, value: unknown, spec: NumberSpec): string | undefined {
  const inRange =
    typeof value === "number" &&
    Number.isFinite(value) &&
    value >= spec.min &&
    value <= spec.max &&
    (!spec.integer || Number.isInteger(value));
  if (inRange) return undefined;
  const kind = spec.integer ? "an integer" : "a number";
  return `${path} must be ${kind} between ${spec.min} and ${spec.max}, got ${describe(value)}`;
}

function mergeRecord(
  path: string,
  override: unknown,
  defaults: Plain,
  spec: RecordSpec,
  errors: string[],
): Plain {
  if (!isPlainObject(override)) {
    errors.push(`${path} must be an object keyed by ${spec.keyDescription}, got ${describe(override)}`);
    return defaults;
  }
  const merged: Plain = { ...defaults };
  const keyPattern = new RegExp(spec.keyPattern);
  for (const [key, value] of Object.entries(override)) {
    const keyPath = join(path, key);
    if (!keyPattern.test(key)) {
      errors.push(
        `${keyPath} is not a valid key: keys of ${path} must be ${spec.keyDescription} (${spec.keyPattern})`,
      );
      continue;
    }
    const error = numberError(keyPath, value, spec.each);
    if (error === undefined) merged[key] = value;
    else errors.push(error);
  }
  return merged;
}

function mergeNode(
  path: string,
  override: unknown,
  defaults: unknown,
  spec: SpecNode,
  errors: string[],
): unknown {
  if (isNumberSpec(spec)) {
    const error = numberError(path, override, spec);
    if (error === undefined) return override;
    errors.push(error);
    return defaults;
  }
  if (isRecordSpec(spec)) return mergeRecord(path, override, defaults as Plain, spec, errors);
  if (!isPlainObject(override)) {
    errors.push(`${label(path)} must be a JSON object, got ${describe(override)}`);
    return defaults;
  }
  const merged: Plain = { ...(defaults as Plain) };
  const validKeys = Object.keys(spec);
  for (const [key, value] of Object.entries(override)) {
    const keyPath = join(path, key);
    const child = Object.hasOwn(spec, key) ? spec[key] : undefined;
    if (child === undefined) {
      errors.push(`unknown setting ${keyPath}; valid keys at ${label(path)}: ${validKeys.join(", ")}`);
      continue;
    }
    merged[key] = mergeNode(keyPath, value, (defaults as Plain)[key], child, errors);
  }
  return merged;
}

/**
 * Deep-merges `override` onto `defaults`, checking every key and number against `spec`.
 * `merged` is only meaningful when `errors` is empty.
 *
 * @example
 * const { merged, errors } = validateOverride({ threshold: 80 }, DEFAULT_RULES_CONFIG, CONFIG_SPEC);
 */
function validateOverride(
  override: unknown,
  defaults: unknown,
  spec: SpecNode,
): { merged: unknown; errors: string[] } {
  const errors: string[] = [];
  const merged = mergeNode("", override, defaults, spec, errors);
  return { merged, errors };
}

export type { NumberSpec, RecordSpec, SpecNode };
export { validateOverride };
