/**
 * Judgements on CloudWatch log groups (constraint 14).
 */
import type * as aws from "@pulumi/aws";
import { type Inputs, isSet, peek, type Subject, type Violations, violation } from "./values";

type LogGroupInputs = Partial<Pick<Inputs<aws.cloudwatch.LogGroupArgs>, "retentionInDays" | "kmsKeyId">>;

/**
 * Constraint 14: logs are kept 7 days.
 *
 * @example
 * checkRetention({ type, name }, { retentionInDays: 7 }); // []
 */
function checkRetention(subject: Subject, props: LogGroupInputs): Violations {
  return props.retentionInDays === 7
    ? []
    : [violation(subject, "retentionInDays", props.retentionInDays, "7")];
}

/**
 * Constraint 14: logs are encrypted with our key (`kmsKeyId` set).
 *
 * @example
 * checkLogGroupKey({ type, name }, {}); // one violation
 */
function checkLogGroupKey(subject: Subject, props: LogGroupInputs): Violations {
  return isSet(props, "kmsKeyId")
    ? []
    : [
        violation(
          subject,
          "kmsKeyId",
          peek(props, "kmsKeyId"),
          "the ARN of the stack's customer-managed KMS key",
        ),
      ];
}

export type { LogGroupInputs };
export { checkLogGroupKey, checkRetention };
