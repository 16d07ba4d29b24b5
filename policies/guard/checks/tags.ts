/**
 * Judgements on tags (constraint 10).
 */
import { peek, type Subject, type Violations, violation } from "./values";

/** The taggable resource types the pipeline deploys; any other resource with a `tags` input is checked too. */
const TAGGABLE_TYPES = [
  "aws:kms/key:Key",
  "aws:dynamodb/table:Table",
  "aws:lambda/function:Function",
  "aws:iam/role:Role",
  "aws:cloudwatch/logGroup:LogGroup",
  "aws:sqs/queue:Queue",
  "aws:sns/topic:Topic",
  "aws:apigateway/restApi:RestApi",
  "aws:apigateway/stage:Stage",
  "aws:apigateway/apiKey:ApiKey",
  "aws:apigateway/usagePlan:UsagePlan",
] as const;

/**
 * True when constraint 10 applies: a known taggable type, or any resource whose inputs carry `tags`.
 *
 * @example
 * isTaggable("aws:sqs/queuePolicy:QueuePolicy", { policy: "{}" }); // false
 */
function isTaggable(type: string, props: object): boolean {
  return (TAGGABLE_TYPES as readonly string[]).includes(type) || Object.hasOwn(props, "tags");
}

function tagMap(value: unknown): Record<string, unknown> {
  let parsed = value;
  if (typeof value === "string") {
    try {
      parsed = JSON.parse(value);
    } catch {
      return {};
    }
  }
  return parsed !== null && typeof parsed === "object" ? { ...(parsed as Record<string, unknown>) } : {};
}

/**
 * The tags a resource ends up with: the provider's `defaultTags.tags` overlaid by its own `tags`.
 * The provider's properties may carry `defaultTags` as an object or as a JSON string.
 *
 * @example
 * effectiveTags({ Environment: "production" }, { defaultTags: '{"tags":{"CostCenter":"fraud-detection"}}' });
 * // { CostCenter: "fraud-detection", Environment: "production" }
 */
function effectiveTags(resourceTags: unknown, providerProps?: object): Record<string, unknown> {
  const providerTags = tagMap(peek(tagMap(peek(providerProps, "defaultTags")), "tags"));
  return { ...providerTags, ...tagMap(resourceTags) };
}

/**
 * Constraint 10: every required tag is present with its required value.
 *
 * @example
 * checkRequiredTags({ type, name }, { Environment: "dev" }, { Environment: "production" }); // one violation
 */
function checkRequiredTags(
  subject: Subject,
  tags: Record<string, unknown>,
  required: Readonly<Record<string, string>>,
): Violations {
  return Object.entries(required)
    .filter(([key, value]) => peek(tags, key) !== value)
    .map(([key, value]) => violation(subject, `tags.${key}`, peek(tags, key), JSON.stringify(value)));
}

export { checkRequiredTags, effectiveTags, isTaggable, TAGGABLE_TYPES };
