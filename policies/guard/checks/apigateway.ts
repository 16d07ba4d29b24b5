/**
 * Judgements on API Gateway (constraints 7 and 8).
 */
import type * as aws from "@pulumi/aws";
import { type GraphResource, refersTo } from "./graph";
import type { StackViolation } from "./roles";
import { type Inputs, peek, type Subject, type Violations, violation } from "./values";

type ValidatorInputs = Partial<
  Pick<Inputs<aws.apigateway.RequestValidatorArgs>, "validateRequestBody" | "validateRequestParameters">
>;

/** The ingestion route constraint 8 names: it must exist. Every route of the body is validated alike. */
const INGESTION_ROUTE = { path: "/transactions", method: "post" } as const;

/** The operation keys of an OpenAPI path item (its other keys are parameters and extensions). */
const OPERATION_KEYS = [
  "get",
  "put",
  "post",
  "delete",
  "options",
  "head",
  "patch",
  "x-amazon-apigateway-any-method",
] as const;

/** Operations whose request carries a body, so the body needs a model to be validated against. */
const BODY_OPERATION_KEYS: readonly string[] = ["put", "post", "patch", "x-amazon-apigateway-any-method"];

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

interface Operation {
  readonly path: string;
  readonly method: string;
  readonly operation: Json;
}

function operationsOf(document: Json): Operation[] {
  const paths = objectAt(document, "paths") ?? {};
  return Object.keys(paths).flatMap((path) =>
    OPERATION_KEYS.flatMap((method) => {
      const operation = objectAt(objectAt(paths, path), method);
      return operation === undefined ? [] : [{ path, method, operation }];
    }),
  );
}

function routeLabel(path: string, method: string): string {
  return `body paths["${path}"].${method}`;
}

/**
 * Constraint 8: the REST API's OpenAPI `body` defines POST /transactions, and every route in it
 * names a request validator (its own or the document default) that validates body and
 * parameters; every route that takes a body declares a JSON Schema model for `application/json`.
 * A validator shared by several routes is judged once.
 *
 * @example
 * checkValidatedRoutes({ type, name }, JSON.stringify({ paths: { "/transactions": { post: {} } } }));
 * // violations for the missing validator and the missing model
 */
function checkValidatedRoutes(subject: Subject, body: unknown): Violations {
  const document = parseBody(body);
  if (document === undefined) {
    const shown = typeof body === "string" ? body.slice(0, 80) : body;
    return [violation(subject, "body", shown, `an OpenAPI document defining POST ${INGESTION_ROUTE.path}`)];
  }
  const operations = operationsOf(document);
  const found: Violations = [];
  if (
    !operations.some(({ path, method }) => path === INGESTION_ROUTE.path && method === INGESTION_ROUTE.method)
  ) {
    found.push(
      violation(
        subject,
        routeLabel(INGESTION_ROUTE.path, INGESTION_ROUTE.method),
        undefined,
        `defined (POST ${INGESTION_ROUTE.path} is the ingestion route)`,
      ),
    );
  }
  const judged = new Set<string>();
  for (const { path, method, operation } of operations) {
    const route = routeLabel(path, method);
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
    } else if (!judged.has(String(validatorName))) {
      judged.add(String(validatorName));
      const where = `body ${EXTENSIONS.validators}["${String(validatorName)}"].`;
      found.push(...checkValidator(subject, validator as ValidatorInputs, where));
    }
    if (BODY_OPERATION_KEYS.includes(method) && !hasBodyModel(operation)) {
      found.push(
        violation(
          subject,
          `${route} request body model`,
          undefined,
          'a JSON Schema model for "application/json"',
        ),
      );
    }
  }
  return found;
}

/** The stage type and the resource that puts a WAF web ACL in front of it. */
const WAF_TARGET = {
  stage: "aws:apigateway/stage:Stage",
  association: "aws:wafv2/webAclAssociation:WebAclAssociation",
} as const;

/**
 * Every REST API stage has an AWS WAF web ACL: a web ACL association whose `resourceArn` refers
 * to the stage (the engine's dependency, or the stage's known ARN).
 *
 * @example
 * checkStagesHaveWaf([stage]); // one violation: nothing associates a web ACL with the stage
 */
function checkStagesHaveWaf(resources: readonly GraphResource[]): StackViolation[] {
  const associations = resources.filter((resource) => resource.type === WAF_TARGET.association);
  return resources
    .filter((resource) => resource.type === WAF_TARGET.stage)
    .filter(
      (stage) => !associations.some((association) => refersTo(association, "resourceArn", stage, ["arn"])),
    )
    .map((stage) => ({
      urn: stage.urn,
      message: violation(
        stage,
        "web ACL",
        undefined,
        "an AWS WAF web ACL associated with the stage (an aws.wafv2.WebAclAssociation whose resourceArn is the stage's ARN)",
      ),
    }));
}

export type { ValidatorInputs };
export {
  checkNotHttpApi,
  checkStagesHaveWaf,
  checkValidatedRoutes,
  checkValidator,
  INGESTION_ROUTE,
  WAF_TARGET,
};
