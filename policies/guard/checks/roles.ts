/**
 * Judgements on how roles are given to functions (constraint 15: one role per function, no
 * AWS-managed policies whose grants cannot be read from the stack, but the one AWS documents for
 * API Gateway's account-level CloudWatch role).
 */
import { asList, parseStatements } from "./document";
import { type GraphResource, refersTo } from "./graph";
import { isKnownString, peek, violation } from "./values";

/** A violation found by a stack-wide check, pinned to the resource it is about. */
interface StackViolation {
  readonly urn: string;
  readonly message: string;
}

const AWS_MANAGED_POLICY = /^arn:[^:]+:iam::aws:policy\//;

/**
 * The one AWS-managed policy a role may carry: API Gateway's CloudWatch role is an account-wide
 * setting that serves every REST API of the region, so its grant cannot be scoped to one stack,
 * and AWS documents this policy for it. Allowed only on a role no one but API Gateway can assume.
 */
const API_GATEWAY_LOGS_EXCEPTION = {
  policyArn: "arn:aws:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs",
  service: "apigateway.amazonaws.com",
} as const;

const MANAGED_POLICY_RULE =
  "only policies defined in this stack (no arn:aws:iam::aws:policy/...; AmazonAPIGatewayPushToCloudWatchLogs only on a role that only API Gateway can assume)";

/**
 * True when the role's trust policy lets `service`, and nothing else, assume it.
 *
 * @example
 * trustsOnly(apiGatewayLogsRole, "apigateway.amazonaws.com"); // true
 */
function trustsOnly(role: GraphResource, service: string): boolean {
  const statements = parseStatements(peek(role.props, "assumeRolePolicy"))?.filter(
    (s) => s.effect === "Allow",
  );
  if (statements === undefined || statements.length === 0) return false;
  return statements.every((statement) => {
    const principal = statement.principal as Record<string, unknown> | undefined;
    if (principal === null || typeof principal !== "object") return false;
    const keys = Object.keys(principal);
    const services = asList(principal.Service);
    return (
      keys.length === 1 &&
      keys[0] === "Service" &&
      services.length > 0 &&
      services.every((s) => s === service)
    );
  });
}

/**
 * Constraint 15: no AWS-managed policy is attached (they grant `*` actions or resources, and
 * their content is not in the stack to review), except {@link API_GATEWAY_LOGS_EXCEPTION} on a
 * role only API Gateway can assume. Judges role policy attachments (their role found through the
 * graph) and roles' own `managedPolicyArns`.
 *
 * @example
 * checkManagedPoliciesInStack([fullAccessAttachment], [notifyRole]); // one violation at the attachment
 */
function checkManagedPoliciesInStack(
  attachments: readonly GraphResource[],
  roles: readonly GraphResource[],
): StackViolation[] {
  const judge = (
    subject: GraphResource,
    property: string,
    arns: unknown,
    role: GraphResource | undefined,
  ) => {
    const refused = asList(arns).filter(
      (arn) =>
        AWS_MANAGED_POLICY.test(arn) &&
        !(
          arn === API_GATEWAY_LOGS_EXCEPTION.policyArn &&
          role !== undefined &&
          trustsOnly(role, API_GATEWAY_LOGS_EXCEPTION.service)
        ),
    );
    return refused.length === 0
      ? []
      : [{ urn: subject.urn, message: violation(subject, property, refused, MANAGED_POLICY_RULE) }];
  };
  return [
    ...attachments.flatMap((attachment) =>
      judge(
        attachment,
        "policyArn",
        peek(attachment.props, "policyArn"),
        roles.find((role) => refersTo(attachment, "role", role, ["name", "id"])),
      ),
    ),
    ...roles.flatMap((role) => judge(role, "managedPolicyArns", peek(role.props, "managedPolicyArns"), role)),
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
export { API_GATEWAY_LOGS_EXCEPTION, checkManagedPoliciesInStack, checkOneRolePerFunction };
