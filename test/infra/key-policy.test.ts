/** The key policy as the stack renders it: it names exactly this stack's log groups and alarms. */
import { expect } from "chai";
import { T } from "../helpers/infra-graph";
import { DEFAULT_STACK_CONFIG, type LoadedStack, loadStack, ofType, single } from "../helpers/stack";

const LOGS = "arn:aws:logs:us-east-1:123456789012:log-group:";
const ALARMS = "arn:aws:cloudwatch:us-east-1:123456789012:alarm:";

interface KeyStatement {
  readonly Sid: string;
  readonly Action: readonly string[];
  readonly Condition?: Record<string, Record<string, unknown>>;
}

function keyStatements(stack: LoadedStack): KeyStatement[] {
  return JSON.parse(single(stack.resources, T.key, "fraud-pipeline").inputs.policy).Statement;
}

function statement(stack: LoadedStack, sid: string): KeyStatement {
  const found = keyStatements(stack).find((s) => s.Sid === sid);
  if (found === undefined) throw new Error(`No key policy statement ${sid}`);
  return found;
}

for (const waf of ["true", "false"]) {
  describe(`Stack: key policy (waf ${waf})`, () => {
    let stack: LoadedStack;

    before(async () => {
      stack = await loadStack({ ...DEFAULT_STACK_CONFIG, waf });
    });

    it("lets CloudWatch Logs use the key for exactly the log groups the stack creates", () => {
      const condition = statement(stack, "CloudWatchLogsEncryptsStackLogGroups").Condition;
      const created = ofType(stack.resources, T.logGroup).map((group) => `${LOGS}${group.inputs.name}`);
      expect(condition?.ArnEquals?.["kms:EncryptionContext:aws:logs:arn"]).to.have.members(created);
      expect(created).to.have.length(waf === "true" ? 6 : 5);
    });

    it("lets exactly the alarms the stack creates publish to the encrypted topic, from this account", () => {
      const condition = statement(stack, "CloudWatchAlarmsPublishToEncryptedTopic").Condition;
      const created = ofType(stack.resources, T.metricAlarm).map((alarm) => `${ALARMS}${alarm.inputs.name}`);
      expect(created.length).to.be.greaterThan(10);
      expect(condition?.ArnEquals?.["aws:SourceArn"]).to.have.members(created);
      expect(condition?.StringEquals).to.deep.equal({ "aws:SourceAccount": "123456789012" });
    });

    it("allows kms:CreateGrant only with kms:GrantIsForAWSResource true", () => {
      const granting = keyStatements(stack).filter((s) => s.Action.includes("kms:CreateGrant"));
      expect(granting).to.have.length(1);
      expect(granting[0]?.Condition?.Bool).to.deep.equal({ "kms:GrantIsForAWSResource": "true" });
    });
  });
}
