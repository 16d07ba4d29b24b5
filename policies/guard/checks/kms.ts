/**
 * Judgements on the customer-managed KMS key (constraint 11's 7-day window, yearly rotation).
 */
import type * as aws from "@pulumi/aws";
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

export type { KeyInputs };
export { checkDeletionWindow, checkKeyRotation };
