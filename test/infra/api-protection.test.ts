/** Who may call the API and what stands in front of it: apiAuth, the IAM invoke policy, AWS WAF. */
import { expect } from "chai";
import { WAF_RATE_LIMIT } from "../../pipeline/infra/api-limits";
import { validateApiAuth, validateWaf, validateWafRateLimit } from "../../pipeline/infra/config";
import { apiDefinition, SIGV4_SCHEME } from "../../pipeline/infra/openapi";
import { T } from "../helpers/infra-graph";
import { DEFAULT_STACK_CONFIG, type LoadedStack, loadStack, ofType, single } from "../helpers/stack";

const EXECUTION_ARN = "arn:aws:execute-api:us-east-1:123456789012:a1b2c3d4e5";
const STAGE_ARN = "arn:aws:apigateway:us-east-1::/restapis/a1b2c3d4e5/stages/dev";
const KEY_ARN = "arn:aws:kms:us-east-1:123456789012:key/mock-key-fraud-pipeline";
const WAF_LOG_GROUP = "aws-waf-logs-fraud-api-dev";
const WAF_LOG_GROUP_ARN = `arn:aws:logs:us-east-1:123456789012:log-group:${WAF_LOG_GROUP}`;
const INVOKE_ARNS = { transactions: "arn:process", outcomes: "arn:record" };
const PATHS = ["/transactions", "/transactions/outcomes"] as const;

function keyPolicyOf(stack: LoadedStack) {
  return JSON.parse(single(stack.resources, T.key, "fraud-pipeline").inputs.policy);
}

describe("Function: validateApiAuth", () => {
  it("defaults to apiKey and accepts exactly apiKey and iam", () => {
    expect(validateApiAuth(undefined)).to.equal("apiKey");
    expect(validateApiAuth(" ")).to.equal("apiKey");
    expect(validateApiAuth("apiKey")).to.equal("apiKey");
    expect(validateApiAuth("iam")).to.equal("iam");
  });

  for (const value of ["IAM", "apikey", "sigv4", "cognito"]) {
    it(`refuses ${JSON.stringify(value)}, naming the setting and the valid values`, () => {
      expect(() => validateApiAuth(value)).to.throw(
        `Invalid config apiAuth=${JSON.stringify(value)}: must be one of "apiKey", "iam"`,
      );
      expect(() => validateApiAuth(value)).to.throw("Set it with: pulumi config set apiAuth <value>");
    });
  }
});

describe("Function: validateWaf", () => {
  it("is on unless set to false", () => {
    expect(validateWaf(undefined)).to.equal(true);
    expect(validateWaf("true")).to.equal(true);
    expect(validateWaf("false")).to.equal(false);
  });

  it("refuses anything but true or false, naming the setting", () => {
    expect(() => validateWaf("off")).to.throw('Invalid config waf="off": must be true or false');
  });
});

describe("Function: validateWafRateLimit", () => {
  it("defaults to a fifth of the stage throttle over WAF's 5-minute window: 60,000", () => {
    expect(validateWafRateLimit(undefined)).to.equal(60_000);
    expect(WAF_RATE_LIMIT.default).to.equal((1000 * 300) / 5);
  });

  it("accepts whole numbers from 10 to 2,000,000,000", () => {
    expect(validateWafRateLimit("10")).to.equal(10);
    expect(validateWafRateLimit("2000000000")).to.equal(2_000_000_000);
  });

  for (const value of ["9", "2000000001", "1.5", "-100", "1e5", "many"]) {
    it(`refuses ${JSON.stringify(value)} with the valid range and the default`, () => {
      expect(() => validateWafRateLimit(value)).to.throw(
        `Invalid config wafRateLimit=${JSON.stringify(value)}: must be a whole number from 10 to 2000000000: ` +
          "requests per source IP per 5 minutes (default 60000)",
      );
    });
  }
});

describe("Function: apiDefinition (apiAuth)", () => {
  it("requires only the API key by default", () => {
    // biome-ignore lint/suspicious/noExplicitAny: the OpenAPI document is untyped JSON.
    const definition: any = apiDefinition({ title: "t", invokeArns: INVOKE_ARNS });
    expect(Object.keys(definition.securityDefinitions)).to.deep.equal(["api_key"]);
    for (const path of PATHS) expect(definition.paths[path].post.security).to.deep.equal([{ api_key: [] }]);
  });

  it("with iam, requires the API key and a SigV4 signature together on every route", () => {
    // biome-ignore lint/suspicious/noExplicitAny: the OpenAPI document is untyped JSON.
    const definition: any = apiDefinition({ title: "t", invokeArns: INVOKE_ARNS, auth: "iam" });
    expect(definition.securityDefinitions[SIGV4_SCHEME]).to.deep.equal({
      type: "apiKey",
      name: "Authorization",
      in: "header",
      "x-amazon-apigateway-authtype": "awsSigv4",
    });
    for (const path of PATHS) {
      expect(definition.paths[path].post.security).to.deep.equal([{ api_key: [], [SIGV4_SCHEME]: [] }]);
      expect(definition.paths[path].post.responses["403"].description).to.include("SigV4");
    }
  });
});

describe("Stack: apiAuth iam", () => {
  let stack: LoadedStack;

  before(async () => {
    stack = await loadStack({ ...DEFAULT_STACK_CONFIG, apiAuth: "iam" });
  });

  it("authorizes every route with AWS_IAM (SigV4) in the API body", () => {
    const body = JSON.parse(single(stack.resources, T.restApi, "fraud-api").inputs.body);
    expect(Object.keys(body.paths)).to.deep.equal([...PATHS]);
    for (const path of PATHS) {
      expect(body.paths[path].post.security).to.deep.equal([{ api_key: [], [SIGV4_SCHEME]: [] }]);
    }
    expect(body.securityDefinitions[SIGV4_SCHEME]["x-amazon-apigateway-authtype"]).to.equal("awsSigv4");
  });

  it("keeps the API key and its usage plan", () => {
    expect(single(stack.resources, T.usagePlan, "fraud-api").inputs.apiStages).to.deep.equal([
      { apiId: "a1b2c3d4e5", stage: "dev" },
    ]);
    expect(single(stack.resources, T.usagePlanKey, "fraud-api").inputs.keyType).to.equal("API_KEY");
    expect(stack.secretOutputs.has("apiKey")).to.equal(true);
  });

  it("exports a policy a caller's role attaches: execute-api:Invoke on exactly the two methods of this stage", () => {
    const document = JSON.parse(stack.outputs.apiInvokePolicy as string);
    expect(document).to.deep.equal({
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "InvokeFraudApiRoutes",
          Effect: "Allow",
          Action: ["execute-api:Invoke"],
          Resource: [
            `${EXECUTION_ARN}/dev/POST/transactions`,
            `${EXECUTION_ARN}/dev/POST/transactions/outcomes`,
          ],
        },
      ],
    });
  });
});

describe("Stack: apiAuth apiKey (default)", () => {
  it("requires only the API key and exports no invoke policy", async () => {
    const stack = await loadStack();
    const body = JSON.parse(single(stack.resources, T.restApi, "fraud-api").inputs.body);
    for (const path of PATHS) expect(body.paths[path].post.security).to.deep.equal([{ api_key: [] }]);
    expect(stack.outputs).not.to.have.property("apiInvokePolicy");
  });

  it("refuses an unknown apiAuth before creating anything", async () => {
    let failure: unknown;
    try {
      await loadStack({ ...DEFAULT_STACK_CONFIG, apiAuth: "oauth" });
    } catch (error) {
      failure = error;
    }
    expect(String(failure)).to.include('Invalid config apiAuth="oauth": must be one of "apiKey", "iam"');
  });
});

describe("Stack: WAF web ACL (waf default true)", () => {
  let stack: LoadedStack;

  before(async () => {
    stack = await loadStack();
  });

  it("is a regional web ACL named like the stack, allowing by default, tagged", () => {
    const acl = single(stack.resources, T.webAcl, "fraud-api");
    expect(acl.inputs.name).to.equal("waf-fraud-api-dev");
    expect(acl.inputs.scope).to.equal("REGIONAL");
    expect(acl.inputs.defaultAction).to.deep.equal({ allow: {} });
    expect(acl.inputs.visibilityConfig.metricName).to.equal("waf-fraud-api-dev");
    expect(acl.inputs.tags).to.deep.equal({ Environment: "production", CostCenter: "fraud-detection" });
  });

  it("blocks a source IP above 60,000 requests per 5 minutes, before the managed rule groups", () => {
    const [rate, common, badInputs] = single(stack.resources, T.webAcl, "fraud-api").inputs.rules;
    expect(rate.priority).to.equal(0);
    expect(rate.action).to.deep.equal({ block: {} });
    expect(rate.statement.rateBasedStatement).to.deep.equal({
      limit: 60_000,
      aggregateKeyType: "IP",
      evaluationWindowSec: 300,
    });
    expect([common.priority, badInputs.priority]).to.deep.equal([1, 2]);
  });

  it("runs AWS's common and known-bad-inputs rule groups with their own actions", () => {
    const [, common, badInputs] = single(stack.resources, T.webAcl, "fraud-api").inputs.rules;
    for (const [rule, name] of [
      [common, "AWSManagedRulesCommonRuleSet"],
      [badInputs, "AWSManagedRulesKnownBadInputsRuleSet"],
    ]) {
      expect(rule.overrideAction).to.deep.equal({ none: {} });
      expect(rule.statement.managedRuleGroupStatement.vendorName).to.equal("AWS");
      expect(rule.statement.managedRuleGroupStatement.name).to.equal(name);
      expect(rule.visibilityConfig.cloudwatchMetricsEnabled).to.equal(true);
    }
    // Bodies up to 16 KiB are valid: the 8 KB body-size rule counts, the function answers 413 above 16 KiB.
    expect(common.statement.managedRuleGroupStatement.ruleActionOverrides).to.deep.equal([
      { name: "SizeRestrictions_BODY", actionToUse: { count: {} } },
    ]);
    expect(badInputs.statement.managedRuleGroupStatement.ruleActionOverrides).to.deep.equal([]);
  });

  it("is associated with the API stage", () => {
    const association = single(stack.resources, T.webAclAssociation, "fraud-api");
    expect(association.inputs.resourceArn).to.equal(STAGE_ARN);
    expect(association.inputs.webAclArn).to.match(/:regional\/webacl\/waf-fraud-api-dev\//);
  });

  it("logs to aws-waf-logs-fraud-api-dev, kept 7 days, encrypted with the pipeline key, secrets redacted", () => {
    const logging = single(stack.resources, T.webAclLogging, "fraud-api");
    const group = single(stack.resources, T.logGroup, "fraud-api-waf");
    expect(group.inputs.name).to.equal(WAF_LOG_GROUP);
    expect(group.inputs.retentionInDays).to.equal(7);
    expect(group.inputs.kmsKeyId).to.equal(KEY_ARN);
    expect(logging.inputs.logDestinationConfigs).to.deep.equal([WAF_LOG_GROUP_ARN]);
    expect(logging.inputs.resourceArn).to.match(/:regional\/webacl\/waf-fraud-api-dev\//);
    expect(logging.inputs.redactedFields).to.deep.equal([
      { singleHeader: { name: "x-api-key" } },
      { singleHeader: { name: "authorization" } },
      { singleHeader: { name: "x-amz-security-token" } },
    ]);
  });

  it("lets CloudWatch Logs use the key for the WAF log group", () => {
    const logs = keyPolicyOf(stack).Statement.find(
      (s: { Sid: string }) => s.Sid === "CloudWatchLogsEncryptsStackLogGroups",
    );
    expect(logs.Condition.ArnEquals["kms:EncryptionContext:aws:logs:arn"]).to.include(WAF_LOG_GROUP_ARN);
  });
});

describe("Stack: waf false and wafRateLimit", () => {
  it("waf false: no web ACL, association, logging or WAF log group, and the key does not name it", async () => {
    const stack = await loadStack({ ...DEFAULT_STACK_CONFIG, waf: "false" });
    expect(stack.resources.filter((r) => r.type.startsWith("aws:wafv2/"))).to.deep.equal([]);
    expect(ofType(stack.resources, T.logGroup).map((g) => g.inputs.name)).not.to.include(WAF_LOG_GROUP);
    expect(JSON.stringify(keyPolicyOf(stack))).not.to.include(WAF_LOG_GROUP);
  });

  it("wafRateLimit sets the rate rule's limit", async () => {
    const stack = await loadStack({ ...DEFAULT_STACK_CONFIG, wafRateLimit: "300000" });
    const [rate] = single(stack.resources, T.webAcl, "fraud-api").inputs.rules;
    expect(rate.statement.rateBasedStatement.limit).to.equal(300_000);
  });
});
