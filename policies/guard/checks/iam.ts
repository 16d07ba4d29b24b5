/**
 * Judgements on IAM policy documents (constraint 15: named actions on named resources).
 */
import { parseStatements, type Statement, statementLabel } from "./document";
import { type Subject, type Violations, violation } from "./values";

/**
 * Actions AWS offers no resource-level permission for, so `"Resource": "*"` is the narrowest
 * grant there is (X-Ray trace upload and sampling).
 */
const WILDCARD_RESOURCE_ACTION_PREFIXES = ["xray:"] as const;

function unreadable(subject: Subject, property: string, document: unknown): Violations {
  const shown = typeof document === "string" ? document.slice(0, 80) : document;
  return [violation(subject, property, shown, "a JSON policy document with a Statement")];
}

function allowStatements(document: unknown): Statement[] | undefined {
  return parseStatements(document)?.filter((statement) => statement.effect === "Allow");
}

/**
 * Constraint 15: every Allow statement names its actions: no `*`, no `service:*`, no partial
 * wildcard such as `dynamodb:Get*`, and no `NotAction`.
 *
 * @example
 * checkNamedActions({ type, name }, "policy", '{"Statement":[{"Effect":"Allow","Action":"sqs:*","Resource":"arn"}]}');
 * // one violation naming Statement[0].Action
 */
function checkNamedActions(subject: Subject, property: string, document: unknown): Violations {
  const statements = allowStatements(document);
  if (statements === undefined) {
    return unreadable(subject, property, document);
  }
  return statements.flatMap((statement, index) => {
    const where = `${property} ${statementLabel(statement, index)}`;
    const found: Violations = [];
    const wildcards = statement.actions.filter((action) => action.includes("*"));
    if (wildcards.length > 0) {
      found.push(
        violation(subject, `${where} Action`, wildcards, 'named actions only (no "*", no "service:*")'),
      );
    }
    if (statement.notActions.length > 0) {
      found.push(
        violation(subject, `${where} NotAction`, statement.notActions, "absent (an Allow must list Action)"),
      );
    }
    return found;
  });
}

/**
 * Constraint 15: every Allow statement names its resources; `"*"` only for actions that AWS
 * cannot scope (X-Ray), and no `NotResource`.
 *
 * @example
 * checkNamedResources({ type, name }, "policy", '{"Statement":[{"Effect":"Allow","Action":"xray:PutTraceSegments","Resource":"*"}]}');
 * // []
 */
function checkNamedResources(subject: Subject, property: string, document: unknown): Violations {
  const statements = allowStatements(document);
  if (statements === undefined) {
    return unreadable(subject, property, document);
  }
  return statements.flatMap((statement, index) => {
    const where = `${property} ${statementLabel(statement, index)}`;
    const found: Violations = [];
    const unscopable =
      statement.actions.length > 0 &&
      statement.actions.every((action) =>
        WILDCARD_RESOURCE_ACTION_PREFIXES.some((prefix) => action.startsWith(prefix)),
      );
    if (statement.resources.includes("*") && !unscopable) {
      found.push(
        violation(
          subject,
          `${where} Resource`,
          statement.resources,
          `named resource ARNs ("*" is allowed only for ${WILDCARD_RESOURCE_ACTION_PREFIXES.join(", ")} actions, here ${JSON.stringify(statement.actions)})`,
        ),
      );
    }
    if (statement.notResources.length > 0) {
      found.push(
        violation(
          subject,
          `${where} NotResource`,
          statement.notResources,
          "absent (an Allow must list Resource)",
        ),
      );
    }
    return found;
  });
}

export { checkNamedActions, checkNamedResources, WILDCARD_RESOURCE_ACTION_PREFIXES };
