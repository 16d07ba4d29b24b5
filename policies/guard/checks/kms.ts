/**
 * Judgements on the customer-managed KMS key (constraint 11's 7-day window, yearly rotation) and
 * on who may create grants for it.
 */
import type * as aws from "@pulumi/aws";
import { parseStatements, type Statement, statementLabel } from "./document";
import type { Inputs, Subject, Violations } from "./values";
import { violation } from "./values";

type KeyInputs = Partial<Pick<Inputs<aws.kms.KeyArgs>, "deletionWindowInDays" | "enableKeyRotation">>;

/**
 * Constraint 11: a 7-day deletion window, so a destroyed stack leaves no key behind for 30 days.
 *
 * @example
 * checkDeletionWindow({ type, name }, { deletionWindowInDays: 30 }); // one violation
 */
function checkDeletionWindow(subject: Subject, props: KeyInputs): Violations {
  return props.deletionWindowInDays === 7
    ? []
    : [violation(subject, "deletionWindowInDays", props.deletionWindowInDays, "7")];
}

/**
 * Automatic key rotation is enabled.
 *
 * @example
 * checkKeyRotation({ type, name }, { enableKeyRotation: true }); // []
 */
function checkKeyRotation(subject: Subject, props: KeyInputs): Violations {
  return props.enableKeyRotation === true
    ? []
    : [violation(subject, "enableKeyRotation", props.enableKeyRotation, "true")];
}

/** The condition that limits a grant to an AWS service's own resource (never to a principal). */
const GRANT_CONDITION = { operator: "Bool", key: "kms:GrantIsForAWSResource" } as const;

/** True when an action pattern (`kms:CreateGrant`, `kms:*`, `kms:Create*`, `*`) covers CreateGrant. */
function coversCreateGrant(action: string): boolean {
  const pattern = new RegExp(
    `^${action
      .replace(/[.+^${}()|[\]\\]/g, "\\$&")
      .replace(/\*/g, ".*")
      .replace(/\?/g, ".")}$`,
    "i",
  );
  return pattern.test("kms:CreateGrant");
}

function grantIsForAwsResource(statement: Statement): boolean {
  const value = statement.condition[GRANT_CONDITION.operator]?.[GRANT_CONDITION.key];
  return String(value) === "true";
}

/**
 * `kms:CreateGrant` only for AWS resources: every Allow statement of the document whose actions
 * cover CreateGrant (wildcards included, or a NotAction that leaves it in) carries `Bool: { "kms:GrantIsForAWSResource": "true" }`.
 * `required` (key policies) also refuses an unset document: KMS's default key policy allows the
 * account `kms:*`, an unconditioned CreateGrant.
 *
 * @example
 * checkCreateGrantCondition({ type, name }, "policy", '{"Statement":[{"Effect":"Allow","Action":"kms:CreateGrant","Resource":"*"}]}');
 * // one violation naming Statement[0]
 */
function checkCreateGrantCondition(
  subject: Subject,
  property: string,
  document: unknown,
  { required = false } = {},
): Violations {
  const rule = `"${GRANT_CONDITION.key}": "true" under Condition.${GRANT_CONDITION.operator} on every statement allowing kms:CreateGrant`;
  if (document === undefined || document === null || document === "") {
    return required ? [violation(subject, property, document, `a key policy with ${rule}`)] : [];
  }
  const statements = parseStatements(document);
  if (statements === undefined) {
    const shown = typeof document === "string" ? document.slice(0, 80) : document;
    return [violation(subject, property, shown, "a JSON policy document with a Statement")];
  }
  return statements.flatMap((statement, index) => {
    const grants =
      statement.effect === "Allow" &&
      (statement.actions.some(coversCreateGrant) ||
        (statement.notActions.length > 0 && !statement.notActions.some(coversCreateGrant)));
    if (!grants || grantIsForAwsResource(statement)) return [];
    const where = `${property} ${statementLabel(statement, index)} Condition`;
    return [violation(subject, where, statement.condition, rule)];
  });
}

export type { KeyInputs };
export { checkCreateGrantCondition, checkDeletionWindow, checkKeyRotation };
