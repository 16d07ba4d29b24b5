/**
 * The shape of the IAM documents in this folder: identity policies, trust policies, key policies
 * and resource policies. Plain data, so each document can be compared in a unit test and rendered
 * with `JSON.stringify`.
 */

/** A principal as IAM writes it: `"*"` (only in Deny statements here) or a map of principal kinds. */
type Principal =
  | "*"
  | { readonly AWS?: string | readonly string[]; readonly Service?: string | readonly string[] };

/** Condition operator -> condition key -> value(s). */
type Conditions = Readonly<Record<string, Readonly<Record<string, string | readonly string[]>>>>;

/** One statement. `Action` is always a list of named actions. */
interface Statement {
  readonly Sid: string;
  readonly Effect: "Allow" | "Deny";
  readonly Principal?: Principal;
  readonly Action: readonly string[];
  readonly Resource?: string | readonly string[];
  readonly Condition?: Conditions;
}

/** A complete policy document. */
interface PolicyDocument {
  readonly Version: "2012-10-17";
  readonly Statement: readonly Statement[];
}

/**
 * Wraps statements into a policy document with the current policy language version.
 *
 * @example
 * const doc = policyDocument([{ Sid: "ReadTable", Effect: "Allow", Action: ["dynamodb:GetItem"], Resource: tableArn }]);
 */
function policyDocument(statements: readonly Statement[]): PolicyDocument {
  return { Version: "2012-10-17", Statement: statements };
}

export type { Conditions, PolicyDocument, Principal, Statement };
export { policyDocument };
