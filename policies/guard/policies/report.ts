/**
 * The glue between the engine's callback arguments and the pure checks.
 */
import type { ReportViolation } from "@pulumi/policy";
import type { StackViolation } from "../checks/roles";
import type { Subject, Violations } from "../checks/values";

/**
 * The subject of a resource policy's messages.
 *
 * @example
 * subjectOf(args); // { type: "aws:lambda/function:Function", name: "process-transaction" }
 */
function subjectOf(args: { readonly type: string; readonly name: string }): Subject {
  return { type: args.type, name: args.name };
}

/**
 * Reports each message of a resource check (the engine attaches the resource's URN).
 *
 * @example
 * reportEach(checkMemorySize(subjectOf(args), fn), reportViolation);
 */
function reportEach(violations: Violations, reportViolation: ReportViolation): void {
  for (const message of violations) {
    reportViolation(message);
  }
}

/**
 * Reports each message of a stack check against the URN of the resource it is about.
 *
 * @example
 * reportEachAt(checkTlsOnlyInStack(args.resources), reportViolation);
 */
function reportEachAt(violations: readonly StackViolation[], reportViolation: ReportViolation): void {
  for (const { message, urn } of violations) {
    reportViolation(message, urn);
  }
}

export { reportEach, reportEachAt, subjectOf };
