/**
 * Judgements on API Gateway (constraints 7 and 8).
 */
import type * as aws from "@pulumi/aws";
import { type Inputs, peek, type Subject, type Violations, violation } from "./values";

type ValidatorInputs = Partial<
  Pick<Inputs<aws.apigateway.RequestValidatorArgs>, "validateRequestBody" | "validateRequestParameters">
>;

/** The route whose request constraint 8 puts behind a validator and a JSON Schema model. */
const VALIDATED_ROUTE = { path: "/transactions", method: "post" } as const;

/** OpenAPI extensions API Gateway reads validators from. */
const EXTENSIONS = {
  validator: "x-amazon-apigateway-request-validator",
  validators: "x-amazon-apigateway-request-validators",
} as const;

type Json = Record<string, unknown>;

function objectAt(value: unknown, key: string): Json | undefined {
  const found = peek(value, key);
  return found !== null && typeof found === "object" && !Array.isArray(found) ? (found as Json) : undefined;
}

/**
 * Constraint 7: an HTTP API (API Gateway v2) is never deployed.
 *
 * @example
 * checkNotHttpApi({ type: "aws:apigatewayv2/api:Api", name: "api" }); // one violation
 */
function checkNotHttpApi(subject: Subject): Violations {
  return subject.type.startsWith("aws:apigatewayv2/")
    ? [
        violation(
          subject,
          "type",
          subject.type,
          "an API Gateway REST API resource (aws:apigateway/*), never API Gateway v2",
        ),
      ]
    : [];
}

/**
 * Constraint 8: a request validator validates the body and the parameters. `where` prefixes the
 * property names when the validator sits inside an OpenAPI document.
 *
 * @example
 * checkValidator({ type, name }, { validateRequestBody: true, validateRequestParameters: true }); // []
 */
function checkValidator(subject: Subject, props: ValidatorInputs, where = ""): Violations {
  const found: Violations = [];
  if (props.validateRequestBody !== true) {
    found.push(violation(subject, `${where}validateRequestBody`, props.validateRequestBody, "true"));
  }
  if (props.validateRequestParameters !== true) {
    found.push(
      violation(subject, `${where}validateRequestParameters`, props.validateRequestParameters, "true"),
    );
  }
  return found;
}

function parseBody(body: unknown): Json | undefined {
  if (typeof body !== "string") {
    return objectAt({ body }, "body");
  }
  try {
    return objectAt({ body: JSON.parse(body) }, "body");
  } catch {
    return undefined;
  }
}

function hasBodyModel(operation: Json): boolean {
  const oas3Schema = objectAt(objectAt(objectAt(operation, "requestBody"), "content"), "application/json");
  if (peek(oas3Schema, "schema") !== undefined) {
    return true;
  }
  const parameters = peek(operation, "parameters");
  return (
    Array.isArray(parameters) &&
    parameters.some((p) => peek(p, "in") === "body" && peek(p, "schema") !== undefined)
  );
}

/**
 * Constraint 8: in the REST API's OpenAPI `body`, POST /transactions names a request validator
 * (its own or the document default) that validates body and parameters, and declares a JSON
 * Schema model for `application/json`.
 *
 * @example
 * checkValidatedRoute({ type, name }, JSON.stringify({ paths: { "/transactions": { post: {} } } }));
 * // violations for the missing validator and the missing model
 */
function checkValidatedRoute(subject: Subject, body: unknown): Violations {
  const route = `body paths["${VALIDATED_ROUTE.path}"].${VALIDATED_ROUTE.method}`;
  const document = parseBody(body);
  if (document === undefined) {
    const shown = typeof body === "string" ? body.slice(0, 80) : body;
    return [violation(subject, "body", shown, `an OpenAPI document defining POST ${VALIDATED_ROUTE.path}`)];
  }
  const operation = objectAt(
    objectAt(objectAt(document, "paths"), VALIDATED_ROUTE.path),
    VALIDATED_ROUTE.method,
  );
  if (operation === undefined) {
    return [
      violation(subject, route, undefined, `defined (POST ${VALIDATED_ROUTE.path} is the ingestion route)`),
    ];
  }
  const found: Violations = [];
  const validatorName = peek(operation, EXTENSIONS.validator) ?? peek(document, EXTENSIONS.validator);
  const validator =
    typeof validatorName === "string"
      ? objectAt(objectAt(document, EXTENSIONS.validators), validatorName)
      : undefined;
  if (validator === undefined) {
    found.push(
      violation(
        subject,
        `${route} ${EXTENSIONS.validator}`,
        validatorName,
        `the name of a validator defined in ${EXTENSIONS.validators}`,
      ),
    );
  } else {
    const where = `body ${EXTENSIONS.validators}["${String(validatorName)}"].`;
    found.push(...checkValidator(subject, validator as ValidatorInputs, where));
  }
  if (!hasBodyModel(operation)) {
    found.push(
      violation(
        subject,
        `${route} request body model`,
        undefined,
        'a JSON Schema model for "application/json"',
      ),
    );
  }
  return found;
}

export type { ValidatorInputs };
export { checkNotHttpApi, checkValidatedRoute, checkValidator, VALIDATED_ROUTE };
