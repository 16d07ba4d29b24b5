/**
 * Judgements on the alert queue and topic: constraint 9, customer-managed-key encryption, and
 * TLS-only access.
 */
import type * as aws from "@pulumi/aws";
import { parseStatements } from "./document";
import { type GraphResource, refersTo } from "./graph";
import type { StackViolation } from "./roles";
import { type Inputs, isSet, peek, type Subject, type Violations, violation } from "./values";

type QueueInputs = Partial<
  Pick<
    Inputs<aws.sqs.QueueArgs>,
    "name" | "visibilityTimeoutSeconds" | "kmsMasterKeyId" | "sqsManagedSseEnabled"
  >
>;
type TopicInputs = Partial<Pick<Inputs<aws.sns.TopicArgs>, "kmsMasterKeyId">>;

/** Which queue is "the fraud-alerts queue": its name contains `includes` and not `excludes`. */
interface AlertsQueueMatcher {
  readonly includes: string;
  readonly excludes: string;
}

/** The AWS-managed keys, which encrypt but are not ours to control, per service. */
const AWS_MANAGED_KEYS = { sqs: "alias/aws/sqs", sns: "alias/aws/sns" } as const;

/**
 * True when `queueName` names the fraud-alerts queue (and not its dead-letter queue).
 *
 * @example
 * isAlertsQueue("sqs-fraud-alerts-dlq-dev", { includes: "fraud-alerts", excludes: "dlq" }); // false
 */
function isAlertsQueue(queueName: string, matcher: AlertsQueueMatcher): boolean {
  const name = queueName.toLowerCase();
  const excluded = matcher.excludes !== "" && name.includes(matcher.excludes.toLowerCase());
  return name.includes(matcher.includes.toLowerCase()) && !excluded;
}

/**
 * Constraint 9: the fraud-alerts queue hides a received message for 300 s. Other queues pass.
 *
 * @example
 * checkAlertsVisibility({ type, name: "alerts" }, { name: "sqs-fraud-alerts-dev", visibilityTimeoutSeconds: 30 }, matcher);
 * // one violation
 */
function checkAlertsVisibility(
  subject: Subject,
  props: QueueInputs,
  matcher: AlertsQueueMatcher,
): Violations {
  const queueName = typeof props.name === "string" ? props.name : subject.name;
  if (!isAlertsQueue(queueName, matcher)) {
    return [];
  }
  const actual = props.visibilityTimeoutSeconds;
  return actual === 300 ? [] : [violation(subject, "visibilityTimeoutSeconds", actual, "300")];
}

function checkCustomerKey(subject: Subject, props: object, managedAlias: string): Violations {
  const keyId = peek(props, "kmsMasterKeyId");
  if (!isSet(props, "kmsMasterKeyId") || keyId === managedAlias) {
    return [
      violation(
        subject,
        "kmsMasterKeyId",
        keyId,
        `the stack's customer-managed KMS key (not unset, not ${managedAlias})`,
      ),
    ];
  }
  return [];
}

/**
 * Queues are encrypted with our customer-managed key (not SQS-managed SSE, not `alias/aws/sqs`).
 *
 * @example
 * checkQueueKey({ type, name }, { kmsMasterKeyId: "alias/aws/sqs" }); // one violation
 */
function checkQueueKey(subject: Subject, props: QueueInputs): Violations {
  const found = checkCustomerKey(subject, props, AWS_MANAGED_KEYS.sqs);
  if (props.sqsManagedSseEnabled === true) {
    found.push(
      violation(subject, "sqsManagedSseEnabled", true, "false or unset (encryption uses our KMS key)"),
    );
  }
  return found;
}

/**
 * Topics are encrypted with our customer-managed key (not `alias/aws/sns`).
 *
 * @example
 * checkTopicKey({ type, name }, {}); // one violation
 */
function checkTopicKey(subject: Subject, props: TopicInputs): Violations {
  return checkCustomerKey(subject, props, AWS_MANAGED_KEYS.sns);
}

/**
 * True when the resource policy document denies every principal any request made without TLS
 * (`Deny` with `Condition.Bool["aws:SecureTransport"] = "false"`).
 *
 * @example
 * deniesInsecureTransport({ Statement: [{ Effect: "Deny", Principal: "*", Action: "sqs:*", Resource: "arn",
 *   Condition: { Bool: { "aws:SecureTransport": "false" } } }] }); // true
 */
function deniesInsecureTransport(document: unknown): boolean {
  const statements = parseStatements(document) ?? [];
  return statements.some((statement) => {
    const everyone =
      statement.principal === "*" ||
      (statement.principal !== null &&
        typeof statement.principal === "object" &&
        (statement.principal as Record<string, unknown>).AWS === "*");
    const secureTransport = statement.condition.Bool?.["aws:SecureTransport"];
    return statement.effect === "Deny" && everyone && String(secureTransport) === "false";
  });
}

/**
 * TLS-only access: at least one of the policy documents attached to the queue or topic denies
 * non-TLS requests.
 *
 * @example
 * checkTlsOnly({ type: "aws:sqs/queue:Queue", name: "alerts" }, []); // one violation
 */
function checkTlsOnly(subject: Subject, attachedDocuments: readonly unknown[]): Violations {
  return attachedDocuments.some(deniesInsecureTransport)
    ? []
    : [
        violation(
          subject,
          "attached resource policy",
          attachedDocuments.length === 0
            ? undefined
            : `${attachedDocuments.length} document(s) without such a Deny`,
          'a queue/topic policy with a Deny for every principal when "aws:SecureTransport" is "false"',
        ),
      ];
}

/** Resource types that must deny non-TLS access, and how their access policies attach to them. */
const TLS_TARGETS = [
  {
    type: "aws:sqs/queue:Queue",
    attachment: "aws:sqs/queuePolicy:QueuePolicy",
    property: "queueUrl",
    keys: ["url", "id"],
  },
  {
    type: "aws:sns/topic:Topic",
    attachment: "aws:sns/topicPolicy:TopicPolicy",
    property: "arn",
    keys: ["arn", "id"],
  },
] as const;

function policyDocument(resource: GraphResource): unknown {
  // Read through the engine's proxy: a document unknown at preview is judged at `pulumi up`.
  return (resource.props as Record<string, unknown>).policy;
}

/**
 * TLS-only access across the stack: each queue and topic has, inline or in an attached
 * queue/topic policy, a Deny of non-TLS requests.
 *
 * @example
 * checkTlsOnlyInStack([queue]); // one violation: no policy attached to the queue
 */
function checkTlsOnlyInStack(resources: readonly GraphResource[]): StackViolation[] {
  return TLS_TARGETS.flatMap((target) => {
    const attachments = resources.filter((resource) => resource.type === target.attachment);
    return resources
      .filter((resource) => resource.type === target.type)
      .flatMap((resource) => {
        const attached = attachments.filter((attachment) =>
          refersTo(attachment, target.property, resource, target.keys),
        );
        const documents = [...(isSet(resource.props, "policy") ? [resource] : []), ...attached].map(
          policyDocument,
        );
        return checkTlsOnly(resource, documents).map((message) => ({ urn: resource.urn, message }));
      });
  });
}

export type { AlertsQueueMatcher, QueueInputs, TopicInputs };
export {
  AWS_MANAGED_KEYS,
  checkAlertsVisibility,
  checkQueueKey,
  checkTlsOnly,
  checkTlsOnlyInStack,
  checkTopicKey,
  deniesInsecureTransport,
  isAlertsQueue,
  TLS_TARGETS,
};
