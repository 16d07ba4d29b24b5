/**
 * Judgements on DynamoDB tables (constraints 5, 6, 11 and customer-managed-key encryption).
 */
import type * as aws from "@pulumi/aws";
import { type Inputs, isSet, peek, type Subject, type Violations, violation } from "./values";

type TableInputs = Partial<
  Pick<
    Inputs<aws.dynamodb.TableArgs>,
    "billingMode" | "streamEnabled" | "streamViewType" | "serverSideEncryption" | "deletionProtectionEnabled"
  >
>;

/**
 * Constraint 5: on-demand capacity (`PAY_PER_REQUEST`; the provider default is `PROVISIONED`).
 *
 * @example
 * checkBillingMode({ type, name }, { billingMode: "PAY_PER_REQUEST" }); // []
 */
function checkBillingMode(subject: Subject, props: TableInputs): Violations {
  return props.billingMode === "PAY_PER_REQUEST"
    ? []
    : [violation(subject, "billingMode", props.billingMode, '"PAY_PER_REQUEST"')];
}

/**
 * Constraint 6: the stream is enabled and carries `NEW_AND_OLD_IMAGES`.
 *
 * @example
 * checkStream({ type, name }, { streamEnabled: true, streamViewType: "KEYS_ONLY" }); // one violation
 */
function checkStream(subject: Subject, props: TableInputs): Violations {
  const found: Violations = [];
  if (props.streamEnabled !== true) {
    found.push(violation(subject, "streamEnabled", props.streamEnabled, "true"));
  }
  if (props.streamViewType !== "NEW_AND_OLD_IMAGES") {
    found.push(violation(subject, "streamViewType", props.streamViewType, '"NEW_AND_OLD_IMAGES"'));
  }
  return found;
}

/**
 * Encryption at rest with our customer-managed key (`serverSideEncryption.enabled` and `.kmsKeyArn`).
 *
 * @example
 * checkTableKey({ type, name }, { serverSideEncryption: { enabled: false } }); // two violations
 */
function checkTableKey(subject: Subject, props: TableInputs): Violations {
  const encryption = peek(props, "serverSideEncryption");
  const found: Violations = [];
  if (peek(encryption, "enabled") !== true) {
    found.push(violation(subject, "serverSideEncryption.enabled", peek(encryption, "enabled"), "true"));
  }
  if (!isSet(encryption, "kmsKeyArn")) {
    found.push(
      violation(
        subject,
        "serverSideEncryption.kmsKeyArn",
        peek(encryption, "kmsKeyArn"),
        "the ARN of the stack's customer-managed KMS key",
      ),
    );
  }
  return found;
}

/**
 * Constraint 11: the table can be destroyed (no deletion protection).
 *
 * @example
 * checkTableDestroyable({ type, name }, { deletionProtectionEnabled: true }); // one violation
 */
function checkTableDestroyable(subject: Subject, props: TableInputs): Violations {
  return props.deletionProtectionEnabled === true
    ? [violation(subject, "deletionProtectionEnabled", true, "false or unset")]
    : [];
}

export type { TableInputs };
export { checkBillingMode, checkStream, checkTableDestroyable, checkTableKey };
