/**
 * AWS WAF in front of the API stage: a regional web ACL that blocks a source IP above its rate
 * limit and requests matched by AWS's managed common and known-bad-inputs rule groups, associated
 * with the stage, logging to its own KMS-encrypted log group.
 */
import * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";
import { WAF_RATE_LIMIT } from "./api-limits";
import { encryptedLogGroup } from "./logs";
import type { Scope } from "./scope";

/** The AWS managed rule groups the web ACL runs, after the rate rule, in this order. */
const MANAGED_RULE_GROUPS = ["AWSManagedRulesCommonRuleSet", "AWSManagedRulesKnownBadInputsRuleSet"] as const;

/** Name of the rate-based rule (also its metric's suffix). */
const RATE_RULE = "rate-per-source-ip";

/**
 * Rules of the common rule set that only count instead of block. SizeRestrictions_BODY blocks
 * bodies over 8 KB, but the API accepts up to 16 KiB and answers larger ones with its own 413;
 * counting keeps that contract while the metric still shows such requests.
 */
const COUNT_ONLY_RULES: Readonly<Record<string, readonly string[]>> = {
  AWSManagedRulesCommonRuleSet: ["SizeRestrictions_BODY"],
};

/**
 * Headers WAF must not write to its log: the API key, the SigV4 signature and the session token
 * of temporary credentials are secrets. WAF logs never carry the body.
 */
const REDACTED_HEADERS = ["x-api-key", "authorization", "x-amz-security-token"] as const;

interface WafDeps {
  readonly stage: aws.apigateway.Stage;
  readonly keyArn: pulumi.Input<string>;
  /** Requests one source IP may send per 5 minutes before the rate rule blocks it. */
  readonly rateLimit: number;
}

interface Waf {
  readonly webAcl: aws.wafv2.WebAcl;
  readonly association: aws.wafv2.WebAclAssociation;
  readonly logGroup: aws.cloudwatch.LogGroup;
}

/** CloudWatch metrics and sampled requests for a rule (or the ACL), under `metricName`. */
function visibility(metricName: string): aws.types.input.wafv2.WebAclVisibilityConfig {
  return { cloudwatchMetricsEnabled: true, metricName, sampledRequestsEnabled: true };
}

/**
 * The web ACL's rules, in priority order: the per-IP rate rule first (cheapest, and a flood
 * should not reach the rule groups), then the managed groups with their own actions.
 *
 * @example
 * wafRules("waf-fraud-api-dev", 60_000).map((rule) => rule.name);
 * // ["rate-per-source-ip", "AWSManagedRulesCommonRuleSet", "AWSManagedRulesKnownBadInputsRuleSet"]
 */
function wafRules(webAclName: string, rateLimit: number): aws.types.input.wafv2.WebAclRule[] {
  const rateRule: aws.types.input.wafv2.WebAclRule = {
    name: RATE_RULE,
    priority: 0,
    action: { block: {} },
    statement: {
      rateBasedStatement: {
        limit: rateLimit,
        aggregateKeyType: "IP",
        evaluationWindowSec: WAF_RATE_LIMIT.windowSeconds,
      },
    },
    visibilityConfig: visibility(`${webAclName}-${RATE_RULE}`),
  };
  const managed = MANAGED_RULE_GROUPS.map(
    (group, index): aws.types.input.wafv2.WebAclRule => ({
      name: group,
      priority: index + 1,
      overrideAction: { none: {} },
      statement: {
        managedRuleGroupStatement: {
          vendorName: "AWS",
          name: group,
          ruleActionOverrides: (COUNT_ONLY_RULES[group] ?? []).map((name) => ({
            name,
            actionToUse: { count: {} },
          })),
        },
      },
      visibilityConfig: visibility(`${webAclName}-${group}`),
    }),
  );
  return [rateRule, ...managed];
}

/**
 * Creates the web ACL, associates it with the stage, and sends its logs (secret headers redacted)
 * to a 7-day, KMS-encrypted log group named as WAF requires (`aws-waf-logs-...`).
 *
 * @example
 * createWaf(scope, { stage: api.stage, keyArn: key.arn, rateLimit: 60_000 });
 */
function createWaf(scope: Scope, { stage, keyArn, rateLimit }: WafDeps): Waf {
  const { names, opts, tags } = scope;
  const webAcl = new aws.wafv2.WebAcl(
    "fraud-api",
    {
      name: names.webAcl,
      description: `Rate limit per source IP and AWS managed rules in front of ${names.api}`,
      scope: "REGIONAL",
      defaultAction: { allow: {} },
      rules: wafRules(names.webAcl, rateLimit),
      visibilityConfig: visibility(names.webAcl),
      tags,
    },
    opts,
  );
  const association = new aws.wafv2.WebAclAssociation(
    "fraud-api",
    { resourceArn: stage.arn, webAclArn: webAcl.arn },
    opts,
  );
  const logGroup = encryptedLogGroup(scope, "fraud-api-waf", names.wafLogGroup, keyArn);
  new aws.wafv2.WebAclLoggingConfiguration(
    "fraud-api",
    {
      resourceArn: webAcl.arn,
      logDestinationConfigs: [logGroup.arn],
      redactedFields: REDACTED_HEADERS.map((name) => ({ singleHeader: { name } })),
    },
    opts,
  );
  return { webAcl, association, logGroup };
}

export type { Waf };
export { createWaf };
