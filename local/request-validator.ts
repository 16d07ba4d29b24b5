/**
 * The API Gateway request validator, locally: the same draft-04 model object a route's API Gateway
 * model is made of (TRANSACTION_MODEL_SCHEMA, OUTCOME_MODEL_SCHEMA) checked with ajv-draft-04
 * before the request reaches the handler. Local-only: ajv is a devDependency and must never be
 * required by Lambda code.
 */
import Ajv, { type ErrorObject, type SchemaObject } from "ajv-draft-04";

export type ValidationResult = { readonly ok: true } | { readonly ok: false; readonly message: string };

/** Wording of keywords whose ajv message repeats the field name. */
const DETAILS: Record<string, string> = {
  required: "is required",
  additionalProperties: "is not an accepted property",
};

/** Dotted field of an ajv error (`location.latitude`), `body` for the root. */
function fieldOf(error: ErrorObject): string {
  const pointer = error.instancePath.split("/").filter((part) => part !== "");
  if (error.keyword === "required") pointer.push(String(error.params.missingProperty));
  if (error.keyword === "additionalProperties") pointer.push(String(error.params.additionalProperty));
  return pointer.length === 0 ? "body" : pointer.join(".");
}

/**
 * One string listing every violation, in the spirit of API Gateway's
 * `$context.error.validationErrorString` (`[field: problem, ...]`).
 */
function validationErrorString(errors: readonly ErrorObject[]): string {
  const parts = errors.map((error) => {
    const allowed =
      error.keyword === "enum"
        ? `must be one of ${(error.params.allowedValues as string[]).join(", ")}`
        : undefined;
    const detail = allowed ?? DETAILS[error.keyword] ?? error.message;
    // Quoted, so a property named "" or containing ", " still reads as one name.
    return `${JSON.stringify(fieldOf(error))}: ${detail}`;
  });
  return `[${parts.join(", ")}]`;
}

/**
 * Builds the validator of request bodies (raw text, as received) against one route's model.
 *
 * @example
 * const validate = makeRequestValidator(TRANSACTION_MODEL_SCHEMA);
 * validate('{"amount": 0}'); // { ok: false, message: '["transaction_id": is required, ...]' }
 */
function makeRequestValidator(schema: SchemaObject): (body: string) => ValidationResult {
  const ajv = new Ajv({ allErrors: true, strict: false });
  const validate = ajv.compile(schema);
  return (body) => {
    let value: unknown;
    try {
      value = JSON.parse(body);
    } catch {
      return { ok: false, message: '["body": must be valid JSON]' };
    }
    if (validate(value)) return { ok: true };
    return { ok: false, message: validationErrorString(validate.errors ?? []) };
  };
}

export { makeRequestValidator };
