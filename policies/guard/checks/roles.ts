/**
 * Judgements on how roles are given to functions (constraint 15: one role per function, no
 * AWS-managed policies whose grants cannot be read from the stack).
 */
import { asList } from "./document";
import { type GraphResource, refersTo } from "./graph";
import { isKnownString, peek, type Subject, type Violations, violation } from "./values";

/** A violation found by a stack-wide check, pinned to the resource it is about. */
interface StackViolation {
  readonly urn: string;
  readonly message: string;
}

const AWS_MANAGED_POLICY = /^arn:[^:]+:iam::aws:policy\//;

/**
 * Constraint 15: no AWS-managed policy is attached (they grant `*` actions or resources, and
 * their content is not in the stack to review).
 *
 * @example
 * checkNoAwsManagedPolicies({ type, name }, "policyArn", "arn:aws:iam::aws:policy/AWSLambda_FullAccess");
 * // one violation
 */
function checkNoAwsManagedPolicies(subject: Subject, property: string, arns: unknown): Violations {
  const managed = asList(arns).filter((arn) => AWS_MANAGED_POLICY.test(arn));
  return managed.length === 0
    ? []
    : [
        violation(
          subject,
          property,
          managed,
          "only policies defined in this stack (no arn:aws:iam::aws:policy/...)",
        ),
      ];
}

function roleIdentity(fn: GraphResource, roles: readonly GraphResource[]): string | undefined {
  const role = roles.find((candidate) => refersTo(fn, "role", candidate, ["arn"]));
  if (role !== undefined) {
    return role.urn;
  }
  const value = peek(fn.props, "role");
  return isKnownString(value) ? value : undefined;
}

/**
 * Constraint 15: every function has a role of its own (no role shared between functions).
 * A role that cannot be identified yet (unknown at preview, no dependency recorded) is not judged.
 *
 * @example
 * checkOneRolePerFunction([processFn, detectFn], [sharedRole]); // one violation per function
 */
function checkOneRolePerFunction(
  functions: readonly GraphResource[],
  roles: readonly GraphResource[],
): StackViolation[] {
  const byRole = new Map<string, GraphResource[]>();
  for (const fn of functions) {
    const identity = roleIdentity(fn, roles);
    if (identity !== undefined) {
      byRole.set(identity, [...(byRole.get(identity) ?? []), fn]);
    }
  }
  return [...byRole.entries()]
    .filter(([, sharing]) => sharing.length > 1)
    .flatMap(([identity, sharing]) =>
      sharing.map((fn) => ({
        urn: fn.urn,
        message: violation(
          fn,
          "role",
          isKnownString(peek(fn.props, "role")) ? peek(fn.props, "role") : identity,
          `a role used by no other function (shared with ${sharing
            .filter((other) => other !== fn)
            .map((other) => `"${other.name}"`)
            .join(", ")})`,
        ),
      })),
    );
}

export type { StackViolation };
export { checkNoAwsManagedPolicies, checkOneRolePerFunction };
