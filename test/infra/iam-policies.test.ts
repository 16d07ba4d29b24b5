/** The IAM documents of policies/iam, as pure functions of resource ARNs. */
import { assert, expect } from "chai";
import { detectFraudPolicy } from "../../policies/iam/detect-fraud";
import type { PolicyDocument } from "../../policies/iam/document";
import { KEY_ADMIN_ACTIONS, keyPolicy } from "../../policies/iam/key-policy";
import { notifyTeamPolicy } from "../../policies/iam/notify-team";
import { processTransactionPolicy } from "../../policies/iam/process-transaction";
import { recordOutcomePolicy } from "../../policies/iam/record-outcome";
import { queueTlsOnlyPolicy, topicTlsOnlyPolicy } from "../../policies/iam/transport";
import { serviceTrustPolicy } from "../../policies/iam/trust";
import { FUNCTION_ARNS as ARNS, allowedActions, resources } from "../helpers/infra-graph";

const FUNCTION_POLICIES: [string, PolicyDocument][] = [
  ["processTransactionPolicy", processTransactionPolicy(ARNS)],
  ["detectFraudPolicy", detectFraudPolicy(ARNS)],
  ["notifyTeamPolicy", notifyTeamPolicy(ARNS)],
  ["recordOutcomePolicy", recordOutcomePolicy(ARNS)],
];

/** Every (action, resource) pair a document allows. */
function grants(document: PolicyDocument): string[] {
  return document.Statement.filter((s) => s.Effect === "Allow").flatMap((s) =>
    s.Action.flatMap((action) => resources(s).map((resource) => `${action} ${resource}`)),
  );
}

describe("Function: processTransactionPolicy", () => {
  it("allows PutItem on the table (the item and its id guard, both Puts of one TransactWriteItems) and nothing else on data", () => {
    // Act
    const document = processTransactionPolicy(ARNS);
    // Assess
    expect(allowedActions(document, ARNS.tableArn)).to.deep.equal(["dynamodb:PutItem"]);
    expect(grants(document).filter((g) => !/^(logs|xray|kms):/.test(g))).to.deep.equal([
      `dynamodb:PutItem ${ARNS.tableArn}`,
    ]);
  });
});

describe("Function: detectFraudPolicy", () => {
  it("allows exactly stream reads, index queries, merchant-risk reads and counts, verdict updates, two queue sends and key use", () => {
    // Act
    const document = detectFraudPolicy(ARNS);
    // Assess
    expect(grants(document).filter((g) => !/^(logs|xray):/.test(g))).to.deep.equal([
      `kms:Decrypt ${ARNS.keyArn}`,
      `dynamodb:DescribeStream ${ARNS.streamArn}`,
      `dynamodb:GetRecords ${ARNS.streamArn}`,
      `dynamodb:GetShardIterator ${ARNS.streamArn}`,
      `dynamodb:ListStreams ${ARNS.streamArn}`,
      `dynamodb:Query ${ARNS.indexArn}`,
      `dynamodb:BatchGetItem ${ARNS.merchantRiskTableArn}`,
      `dynamodb:UpdateItem ${ARNS.merchantRiskTableArn}`,
      `dynamodb:UpdateItem ${ARNS.tableArn}`,
      `sqs:SendMessage ${ARNS.alertQueueArn}`,
      `sqs:SendMessage ${ARNS.streamFailureQueueArn}`,
      `kms:Decrypt ${ARNS.keyArn}`,
      `kms:GenerateDataKey ${ARNS.keyArn}`,
    ]);
  });
});

describe("Function: notifyTeamPolicy", () => {
  it("allows exactly queue consumption, topic publish, item updates and key use", () => {
    // Act
    const document = notifyTeamPolicy(ARNS);
    // Assess
    expect(grants(document).filter((g) => !/^(logs|xray):/.test(g))).to.deep.equal([
      `kms:Decrypt ${ARNS.keyArn}`,
      `sqs:ReceiveMessage ${ARNS.alertQueueArn}`,
      `sqs:DeleteMessage ${ARNS.alertQueueArn}`,
      `sqs:GetQueueAttributes ${ARNS.alertQueueArn}`,
      `sqs:ChangeMessageVisibility ${ARNS.alertQueueArn}`,
      `sns:Publish ${ARNS.topicArn}`,
      `dynamodb:UpdateItem ${ARNS.tableArn}`,
      `kms:Decrypt ${ARNS.keyArn}`,
      `kms:GenerateDataKey ${ARNS.keyArn}`,
    ]);
  });
});

describe("Function: recordOutcomePolicy", () => {
  it("allows exactly item reads and updates, merchant-risk updates and key use", () => {
    // Act
    const document = recordOutcomePolicy(ARNS);
    // Assess
    expect(grants(document).filter((g) => !/^(logs|xray):/.test(g))).to.deep.equal([
      `kms:Decrypt ${ARNS.keyArn}`,
      `dynamodb:GetItem ${ARNS.tableArn}`,
      `dynamodb:UpdateItem ${ARNS.tableArn}`,
      `dynamodb:UpdateItem ${ARNS.merchantRiskTableArn}`,
      `kms:Decrypt ${ARNS.keyArn}`,
      `kms:GenerateDataKey ${ARNS.keyArn}`,
    ]);
  });

  it("grants no TransactWriteItems: IAM authorises a transaction by the UpdateItem actions it contains", () => {
    expect(!recordOutcomePolicy(ARNS).Statement.some((s) => s.Action.includes("dynamodb:TransactWriteItems")))
      .to.be.ok;
  });
});

describe("Function policies: shared statements", () => {
  for (const [name, document] of FUNCTION_POLICIES) {
    it(`${name}: writes only its own log group, traces to X-Ray, decrypts its environment`, () => {
      expect(allowedActions(document, `${ARNS.logGroupArn}:*`)).to.deep.equal([
        "logs:CreateLogStream",
        "logs:PutLogEvents",
      ]);
      expect(allowedActions(document, "*")).to.deep.equal([
        "xray:PutTraceSegments",
        "xray:PutTelemetryRecords",
      ]);
      expect(allowedActions(document, ARNS.keyArn).includes("kms:Decrypt")).to.be.ok;
    });

    it(`${name}: no wildcard action, and "*" as a resource only for X-Ray`, () => {
      for (const statement of document.Statement) {
        expect(
          statement.Action.every((action) => !action.includes("*")),
          statement.Sid,
        ).to.be.ok;
        if (resources(statement).includes("*")) {
          expect(
            statement.Action.every((action) => action.startsWith("xray:")),
            statement.Sid,
          ).to.be.ok;
        }
      }
    });
  }
});

describe("Function: keyPolicy", () => {
  const LOG_GROUPS = ["/aws/lambda/lambda-f-dev", "aws-waf-logs-fraud-api-dev"];
  const ALARMS = ["cw-alarm-a-dev", "cw-alarm-b-dev"];
  const document = keyPolicy({
    accountId: "111122223333",
    region: "us-east-1",
    logGroupNames: LOG_GROUPS,
    alarmNames: ALARMS,
  });
  const statement = (sid: string) => {
    const found = document.Statement.find((s) => s.Sid === sid);
    assert.ok(found, sid);
    return found;
  };
  const VIA_SERVICES = {
    "kms:CallerAccount": "111122223333",
    "kms:ViaService": [
      "dynamodb.us-east-1.amazonaws.com",
      "lambda.us-east-1.amazonaws.com",
      "sns.us-east-1.amazonaws.com",
      "sqs.us-east-1.amazonaws.com",
    ],
  };

  it("lets the account administer the key with enumerated actions, never kms:*", () => {
    // Act
    const admin = statement("AccountAdministersKey");
    // Assess
    expect(admin.Principal).to.deep.equal({ AWS: "arn:aws:iam::111122223333:root" });
    expect(admin.Action).to.deep.equal([...KEY_ADMIN_ACTIONS]);
    expect(admin.Action.includes("kms:PutKeyPolicy"), "without PutKeyPolicy the key cannot be updated again")
      .to.be.ok;
    for (const s of document.Statement)
      expect(
        s.Action.every((a) => !a.includes("*")),
        s.Sid,
      ).to.be.ok;
  });

  it("grants CreateGrant (which confers key use) in one statement, only for AWS resources of the pipeline's services", () => {
    const granting = document.Statement.filter((s) => s.Action.includes("kms:CreateGrant"));
    expect(granting.map((s) => s.Sid)).to.deep.equal(["AccountCreatesGrantsForAwsResources"]);
    expect(granting[0]?.Action).to.deep.equal(["kms:CreateGrant"]);
    expect(granting[0]?.Condition).to.deep.equal({
      StringEquals: VIA_SERVICES,
      Bool: { "kms:GrantIsForAWSResource": "true" },
    });
  });

  it("lets account principals use the key only through the pipeline's services", () => {
    const use = statement("AccountUsesKeyThroughDataServices");
    expect(use.Condition).to.deep.equal({ StringEquals: VIA_SERVICES });
  });

  it("lets CloudWatch Logs use the key for exactly the given log groups, by ARN in the encryption context", () => {
    const logs = statement("CloudWatchLogsEncryptsStackLogGroups");
    expect(logs.Principal).to.deep.equal({ Service: "logs.us-east-1.amazonaws.com" });
    expect(logs.Condition).to.deep.equal({
      ArnEquals: {
        "kms:EncryptionContext:aws:logs:arn": [
          "arn:aws:logs:us-east-1:111122223333:log-group:/aws/lambda/lambda-f-dev",
          "arn:aws:logs:us-east-1:111122223333:log-group:aws-waf-logs-fraud-api-dev",
        ],
      },
    });
  });

  it("lets only the given alarms of this account publish to the encrypted topic", () => {
    const alarms = statement("CloudWatchAlarmsPublishToEncryptedTopic");
    expect(alarms.Principal).to.deep.equal({ Service: "cloudwatch.amazonaws.com" });
    expect(alarms.Action).to.deep.equal(["kms:Decrypt", "kms:GenerateDataKey"]);
    expect(alarms.Condition).to.deep.equal({
      StringEquals: { "aws:SourceAccount": "111122223333" },
      ArnEquals: {
        "aws:SourceArn": [
          "arn:aws:cloudwatch:us-east-1:111122223333:alarm:cw-alarm-a-dev",
          "arn:aws:cloudwatch:us-east-1:111122223333:alarm:cw-alarm-b-dev",
        ],
      },
    });
  });
});

describe("Function: queueTlsOnlyPolicy / topicTlsOnlyPolicy", () => {
  it("denies every principal any request over plain HTTP", () => {
    for (const document of [queueTlsOnlyPolicy(ARNS.alertQueueArn), topicTlsOnlyPolicy(ARNS.topicArn)]) {
      const [deny] = document.Statement;
      expect(deny?.Effect).to.equal("Deny");
      expect(deny?.Principal).to.equal("*");
      expect(deny?.Condition).to.deep.equal({ Bool: { "aws:SecureTransport": "false" } });
    }
    expect(queueTlsOnlyPolicy(ARNS.alertQueueArn).Statement[0]?.Resource).to.equal(ARNS.alertQueueArn);
    expect(topicTlsOnlyPolicy(ARNS.topicArn).Statement[0]?.Resource).to.equal(ARNS.topicArn);
  });
});

describe("Function: serviceTrustPolicy", () => {
  it("lets only the named service assume the role", () => {
    expect(serviceTrustPolicy("lambda.amazonaws.com").Statement).to.deep.equal([
      {
        Sid: "ServiceAssumesRole",
        Effect: "Allow",
        Principal: { Service: "lambda.amazonaws.com" },
        Action: ["sts:AssumeRole"],
      },
    ]);
  });
});
