/**
 * Reading IAM-style policy documents (role policies, queue and topic policies) as the engine
 * hands them over: a JSON string, or an already parsed object.
 */

/** One statement, with the single-or-list fields normalised to lists. */
interface Statement {
  readonly effect: string;
  readonly actions: string[];
  readonly notActions: string[];
  readonly resources: string[];
  readonly notResources: string[];
  readonly principal: unknown;
  readonly condition: Record<string, Record<string, unknown>>;
  /** The `Sid`, when the author gave one, to point at the statement in messages. */
  readonly sid?: string;
}

/**
 * A list from an IAM field that may hold one value or a list.
 *
 * @example
 * asList("s3:GetObject"); // ["s3:GetObject"]
 */
function asList(value: unknown): string[] {
  if (value === undefined || value === null) {
    return [];
  }
  return (Array.isArray(value) ? value : [value]).map((entry) => String(entry));
}

function readStatement(raw: Record<string, unknown>): Statement {
  const condition = raw.Condition;
  return {
    effect: String(raw.Effect ?? ""),
    actions: asList(raw.Action),
    notActions: asList(raw.NotAction),
    resources: asList(raw.Resource),
    notResources: asList(raw.NotResource),
    principal: raw.Principal,
    condition:
      condition !== null && typeof condition === "object"
        ? (condition as Record<string, Record<string, unknown>>)
        : {},
    ...(typeof raw.Sid === "string" ? { sid: raw.Sid } : {}),
  };
}

/**
 * The statements of a policy document, or `undefined` when the document is not valid JSON or has
 * no `Statement`.
 *
 * @example
 * parseStatements('{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"sqs:SendMessage","Resource":"arn"}}');
 * // [{ effect: "Allow", actions: ["sqs:SendMessage"], resources: ["arn"], ... }]
 */
function parseStatements(document: unknown): Statement[] | undefined {
  let parsed: unknown = document;
  if (typeof document === "string") {
    try {
      parsed = JSON.parse(document);
    } catch {
      return undefined;
    }
  }
  if (parsed === null || typeof parsed !== "object") {
    return undefined;
  }
  const raw = (parsed as Record<string, unknown>).Statement;
  if (raw === undefined || raw === null) {
    return undefined;
  }
  const list = Array.isArray(raw) ? raw : [raw];
  return list
    .filter((entry): entry is Record<string, unknown> => entry !== null && typeof entry === "object")
    .map(readStatement);
}

/**
 * How a statement is named in a message: its Sid, or its position.
 *
 * @example
 * statementLabel({ sid: "ReadTable" } as Statement, 0); // 'Statement "ReadTable"'
 */
function statementLabel(statement: Statement, index: number): string {
  return statement.sid === undefined ? `Statement[${index}]` : `Statement "${statement.sid}"`;
}

export type { Statement };
export { asList, parseStatements, statementLabel };
