/**
 * Judgement on physical names (constraint 12): `{resource-type}-{purpose}-{environmentSuffix}`.
 */
import { type Subject, type Violations, violation } from "./values";

/** Where a type keeps its physical name and which `{resource-type}` words (and path) it uses. */
interface NamingRule {
  readonly property: string;
  /** Accepted `path` + `{resource-type}` pairs, e.g. Lambda's log groups live under `/aws/lambda/`. */
  readonly forms: readonly { readonly path: string; readonly typeWord: string }[];
}

/** The named resource types of the stack and the `{resource-type}` word each name starts with. */
const NAMING_RULES: Readonly<Record<string, NamingRule>> = {
  "aws:lambda/function:Function": { property: "name", forms: [{ path: "", typeWord: "lambda" }] },
  "aws:dynamodb/table:Table": { property: "name", forms: [{ path: "", typeWord: "dynamodb" }] },
  "aws:sqs/queue:Queue": { property: "name", forms: [{ path: "", typeWord: "sqs" }] },
  "aws:sns/topic:Topic": { property: "name", forms: [{ path: "", typeWord: "sns" }] },
  "aws:iam/role:Role": { property: "name", forms: [{ path: "", typeWord: "role" }] },
  "aws:iam/rolePolicy:RolePolicy": { property: "name", forms: [{ path: "", typeWord: "policy" }] },
  "aws:kms/alias:Alias": { property: "name", forms: [{ path: "alias/", typeWord: "kms" }] },
  "aws:apigateway/restApi:RestApi": { property: "name", forms: [{ path: "", typeWord: "apigw" }] },
  "aws:apigateway/apiKey:ApiKey": { property: "name", forms: [{ path: "", typeWord: "apikey" }] },
  "aws:apigateway/usagePlan:UsagePlan": { property: "name", forms: [{ path: "", typeWord: "usageplan" }] },
  "aws:cloudwatch/metricAlarm:MetricAlarm": { property: "name", forms: [{ path: "", typeWord: "cw-alarm" }] },
  "aws:wafv2/webAcl:WebAcl": { property: "name", forms: [{ path: "", typeWord: "waf" }] },
  "aws:cloudwatch/dashboard:Dashboard": {
    property: "dashboardName",
    forms: [{ path: "", typeWord: "cw-dashboard" }],
  },
  "aws:cloudwatch/logGroup:LogGroup": {
    property: "name",
    forms: [
      { path: "/aws/lambda/", typeWord: "lambda" },
      { path: "/aws/apigateway/", typeWord: "apigw" },
      // WAF delivers logs only to groups named aws-waf-logs-...
      { path: "", typeWord: "aws-waf-logs" },
    ],
  },
};

/** Placeholder in the configured suffix pattern that stands for the stack name. */
const STACK_PLACEHOLDER = "{stack}";

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/**
 * The stack name inside a URN (`urn:pulumi:<stack>::<project>::<type>::<name>`).
 *
 * @example
 * stackOfUrn("urn:pulumi:dev::fraud-pipeline::aws:sqs/queue:Queue::alerts"); // "dev"
 */
function stackOfUrn(urn: string): string {
  const match = /^urn:pulumi:([^:]+)::/.exec(urn);
  return match?.[1] ?? "";
}

/**
 * The regular expression a name must match, the suffix pattern's `{stack}` replaced by the stack name.
 *
 * @example
 * namePattern({ path: "", typeWord: "sqs" }, "{stack}", "dev").test("sqs-fraud-alerts-dev"); // true
 */
function namePattern(form: NamingRule["forms"][number], suffixPattern: string, stack: string): RegExp {
  const suffix = suffixPattern.split(STACK_PLACEHOLDER).join(escapeRegExp(stack));
  return new RegExp(
    `^${escapeRegExp(form.path)}${escapeRegExp(form.typeWord)}-[a-z0-9]+(?:-[a-z0-9]+)*-(?:${suffix})$`,
  );
}

/**
 * Constraint 12: a named type's physical name is set and reads `{resource-type}-{purpose}-{suffix}`.
 * Types without a naming rule pass.
 *
 * @example
 * checkPhysicalName({ type: "aws:sqs/queue:Queue", name: "alerts" }, { name: "alerts" }, "{stack}", "dev");
 * // one violation: name must match ^sqs-[a-z0-9]+(?:-[a-z0-9]+)*-(?:dev)$
 */
function checkPhysicalName(
  subject: Subject,
  props: object,
  suffixPattern: string,
  stack: string,
): Violations {
  const rule = NAMING_RULES[subject.type];
  if (rule === undefined) {
    return [];
  }
  // Read through the engine's proxy: a name unknown at preview cannot be judged until `pulumi up`.
  const name = (props as Record<string, unknown>)[rule.property];
  const patterns = rule.forms.map((form) => namePattern(form, suffixPattern, stack));
  if (typeof name === "string" && patterns.some((pattern) => pattern.test(name))) {
    return [];
  }
  const expected = `set explicitly and match ${patterns.map((pattern) => pattern.source).join(" or ")} ({resource-type}-{purpose}-{environmentSuffix})`;
  return [violation(subject, rule.property, name, expected)];
}

export type { NamingRule };
export { checkPhysicalName, NAMING_RULES, namePattern, STACK_PLACEHOLDER, stackOfUrn };
