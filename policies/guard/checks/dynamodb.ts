/**
 * Judgements on DynamoDB tables (constraints 5, 6, 11, customer-managed-key encryption and
 * point-in-time recovery).
 */
import type * as aws from "@pulumi/aws";
import { type Inputs, isSet, peek, type Subject, type Violations, violation } from "./values";

type TableInputs = Partial<
  Pick<
    Inputs<aws.dynamodb.TableArgs>,
    | "name"
    | "billingMode"
    | "streamEnabled"
    | "streamViewType"
    | "serverSideEncryption"
    | "pointInTimeRecovery"
    | "deletionProtectionEnabled"
  >
>;

/** Which table is the transactions table, whose stream drives detection: its name contains `includes`. */
interface StreamTableMatcher {
  readonly includes: string;
}

/**
 * True when `tableName` names the transactions table.
 *
 * @example
 * isStreamTable("dynamodb-merchant-risk-dev", { includes: "transactions" }); // false
 */
function isStreamTable(tableName: string, matcher: StreamTableMatcher): boolean {
  return tableName.toLowerCase().includes(matcher.includes.toLowerCase());
}

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
 * Constraint 6: the transactions table's stream is enabled and carries `NEW_AND_OLD_IMAGES`; any
 * other table may go without a stream, but one it enables carries the same view.
 *
 * @example
 * checkStream({ type, name }, { name: "dynamodb-transactions-dev", streamEnabled: true, streamViewType: "KEYS_ONLY" }, matcher);
 * // one violation
 * checkStream({ type, name }, { name: "dynamodb-merchant-risk-dev" }, matcher); // []
 */
function checkStream(subject: Subject, props: TableInputs, matcher: StreamTableMatcher): Violations {
  const tableName = typeof props.name === "string" ? props.name : subject.name;
  if (!isStreamTable(tableName, matcher) && props.streamEnabled !== true) {
    return [];
  }
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
 * Point-in-time recovery is enabled, so a table can be restored to the second before a bad write.
 *
 * @example
 * checkPointInTimeRecovery({ type, name }, {}); // one violation
 */
function checkPointInTimeRecovery(subject: Subject, props: TableInputs): Violations {
  const enabled = peek(peek(props, "pointInTimeRecovery"), "enabled");
  return enabled === true ? [] : [violation(subject, "pointInTimeRecovery.enabled", enabled, "true")];
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

export type { StreamTableMatcher, TableInputs };
export {
  checkBillingMode,
  checkPointInTimeRecovery,
  checkStream,
  checkTableDestroyable,
  checkTableKey,
  isStreamTable,
};
