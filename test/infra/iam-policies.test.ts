/** The IAM documents of policies/iam, as pure functions of resource ARNs. */
import assert from "node:assert/strict";
import { apiGatewayLogsPolicy } from "../../policies/iam/apigateway-logs";
import { detectFraudPolicy } from "../../policies/iam/detect-fraud";
import type { PolicyDocument } from "../../policies/iam/document";
import { KEY_ADMIN_ACTIONS, keyPolicy } from "../../policies/iam/key-policy";
import { notifyTeamPolicy } from "../../policies/iam/notify-team";
import { processTransactionPolicy } from "../../policies/iam/process-transaction";
import { recordOutcomePolicy } from "../../policies/iam/record-outcome";
import { queueTlsOnlyPolicy, topicTlsOnlyPolicy } from "../../policies/iam/transport";
import { serviceTrustPolicy } from "../../policies/iam/trust";
import { allowedActions, resources } from "../helpers/infra-graph";

const ARNS = {
  tableArn: "arn:aws:dynamodb:us-east-1:111122223333:table/t",
  streamArn: "arn:aws:dynamodb:us-east-1:111122223333:table/t/stream/2025",
  indexArn: "arn:aws:dynamodb:us-east-1:111122223333:table/t/index/i",
  merchantRiskTableArn: "arn:aws:dynamodb:us-east-1:111122223333:table/m",
  alertQueueArn: "arn:aws:sqs:us-east-1:111122223333:alerts",
  streamFailureQueueArn: "arn:aws:sqs:us-east-1:111122223333:failures",
  topicArn: "arn:aws:sns:us-east-1:111122223333:topic",
  keyArn: "arn:aws:kms:us-east-1:111122223333:key/k",
  logGroupArn: "arn:aws:logs:us-east-1:111122223333:log-group:/aws/lambda/f",
} as const;

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
    assert.deepEqual(allowedActions(document, ARNS.tableArn), ["dynamodb:PutItem"]);
    assert.deepEqual(
      grants(document).filter((g) => !/^(logs|xray|kms):/.test(g)),
      [`dynamodb:PutItem ${ARNS.tableArn}`],
    );
  });
});

describe("Function: detectFraudPolicy", () => {
  it("allows exactly stream reads, index queries, merchant-risk reads and counts, verdict updates, two queue sends and key use", () => {
    // Act
    const document = detectFraudPolicy(ARNS);
    // Assess
    assert.deepEqual(
      grants(document).filter((g) => !/^(logs|xray):/.test(g)),
      [
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
      ],
    );
  });
});

describe("Function: notifyTeamPolicy", () => {
  it("allows exactly queue consumption, topic publish, item updates and key use", () => {
    // Act
    const document = notifyTeamPolicy(ARNS);
    // Assess
    assert.deepEqual(
      grants(document).filter((g) => !/^(logs|xray):/.test(g)),
      [
        `kms:Decrypt ${ARNS.keyArn}`,
        `sqs:ReceiveMessage ${ARNS.alertQueueArn}`,
        `sqs:DeleteMessage ${ARNS.alertQueueArn}`,
        `sqs:GetQueueAttributes ${ARNS.alertQueueArn}`,
        `sqs:ChangeMessageVisibility ${ARNS.alertQueueArn}`,
        `sns:Publish ${ARNS.topicArn}`,
        `dynamodb:UpdateItem ${ARNS.tableArn}`,
        `kms:Decrypt ${ARNS.keyArn}`,
        `kms:GenerateDataKey ${ARNS.keyArn}`,
      ],
    );
  });
});

describe("Function: recordOutcomePolicy", () => {
  it("allows exactly item reads and updates, merchant-risk updates and key use", () => {
    // Act
    const document = recordOutcomePolicy(ARNS);
    // Assess
    assert.deepEqual(
      grants(document).filter((g) => !/^(logs|xray):/.test(g)),
      [
        `kms:Decrypt ${ARNS.keyArn}`,
        `dynamodb:GetItem ${ARNS.tableArn}`,
        `dynamodb:UpdateItem ${ARNS.tableArn}`,
        `dynamodb:UpdateItem ${ARNS.merchantRiskTableArn}`,
        `kms:Decrypt ${ARNS.keyArn}`,
        `kms:GenerateDataKey ${ARNS.keyArn}`,
      ],
    );
  });

  it("grants no TransactWriteItems: IAM authorises a transaction by the UpdateItem actions it contains", () => {
    assert.ok(
      !recordOutcomePolicy(ARNS).Statement.some((s) => s.Action.includes("dynamodb:TransactWriteItems")),
    );
  });
});

describe("Function policies: shared statements", () => {
  for (const [name, document] of FUNCTION_POLICIES) {
    it(`${name}: writes only its own log group, traces to X-Ray, decrypts its environment`, () => {
      assert.deepEqual(allowedActions(document, `${ARNS.logGroupArn}:*`), [
        "logs:CreateLogStream",
        "logs:PutLogEvents",
      ]);
      assert.deepEqual(allowedActions(document, "*"), ["xray:PutTraceSegments", "xray:PutTelemetryRecords"]);
      assert.ok(allowedActions(document, ARNS.keyArn).includes("kms:Decrypt"));
    });

    it(`${name}: no wildcard action, and "*" as a resource only for X-Ray`, () => {
      for (const statement of document.Statement) {
        assert.ok(
          statement.Action.every((action) => !action.includes("*")),
          statement.Sid,
        );
        if (resources(statement).includes("*")) {
          assert.ok(
            statement.Action.every((action) => action.startsWith("xray:")),
            statement.Sid,
          );
        }
      }
    });
  }
});

describe("Function: keyPolicy", () => {
  const document = keyPolicy({ accountId: "111122223333", region: "us-east-1" });
  const statement = (sid: string) => {
    const found = document.Statement.find((s) => s.Sid === sid);
    assert.ok(found, sid);
    return found;
  };

  it("lets the account administer the key with enumerated actions, never kms:*", () => {
    // Act
    const admin = statement("AccountAdministersKey");
    // Assess
    assert.deepEqual(admin.Principal, { AWS: "arn:aws:iam::111122223333:root" });
    assert.deepEqual(admin.Action, [...KEY_ADMIN_ACTIONS]);
    assert.ok(
      admin.Action.includes("kms:PutKeyPolicy"),
      "without PutKeyPolicy the key cannot be updated again",
    );
    for (const s of document.Statement)
      assert.ok(
        s.Action.every((a) => !a.includes("*")),
        s.Sid,
      );
  });

  it("grants CreateGrant (which confers key use) only through the pipeline's services", () => {
    assert.ok(!statement("AccountAdministersKey").Action.includes("kms:CreateGrant"));
    assert.ok(statement("AccountUsesKeyThroughDataServices").Action.includes("kms:CreateGrant"));
  });

  it("lets account principals use the key only through the pipeline's services", () => {
    const use = statement("AccountUsesKeyThroughDataServices");
    assert.deepEqual(use.Condition?.StringEquals, {
      "kms:CallerAccount": "111122223333",
      "kms:ViaService": [
        "dynamodb.us-east-1.amazonaws.com",
        "lambda.us-east-1.amazonaws.com",
        "sns.us-east-1.amazonaws.com",
        "sqs.us-east-1.amazonaws.com",
      ],
    });
  });

  it("lets CloudWatch Logs use the key for this account's log groups only", () => {
    const logs = statement("CloudWatchLogsEncryptsAccountLogGroups");
    assert.deepEqual(logs.Principal, { Service: "logs.us-east-1.amazonaws.com" });
    assert.deepEqual(logs.Condition, {
      ArnLike: { "kms:EncryptionContext:aws:logs:arn": "arn:aws:logs:us-east-1:111122223333:log-group:*" },
    });
  });

  it("lets CloudWatch alarms of this account publish to the encrypted topic", () => {
    const alarms = statement("CloudWatchAlarmsPublishToEncryptedTopic");
    assert.deepEqual(alarms.Principal, { Service: "cloudwatch.amazonaws.com" });
    assert.deepEqual(alarms.Action, ["kms:Decrypt", "kms:GenerateDataKey"]);
    assert.deepEqual(alarms.Condition, { StringEquals: { "aws:SourceAccount": "111122223333" } });
  });
});

describe("Function: queueTlsOnlyPolicy / topicTlsOnlyPolicy", () => {
  it("denies every principal any request over plain HTTP", () => {
    for (const document of [queueTlsOnlyPolicy(ARNS.alertQueueArn), topicTlsOnlyPolicy(ARNS.topicArn)]) {
      const [deny] = document.Statement;
      assert.equal(deny?.Effect, "Deny");
      assert.equal(deny?.Principal, "*");
      assert.deepEqual(deny?.Condition, { Bool: { "aws:SecureTransport": "false" } });
    }
    assert.equal(queueTlsOnlyPolicy(ARNS.alertQueueArn).Statement[0]?.Resource, ARNS.alertQueueArn);
    assert.equal(topicTlsOnlyPolicy(ARNS.topicArn).Statement[0]?.Resource, ARNS.topicArn);
  });
});

describe("Function: apiGatewayLogsPolicy", () => {
  it("grants named log actions on API Gateway's log groups of the account and region only", () => {
    // Act
    const document = apiGatewayLogsPolicy({ accountId: "111122223333", region: "us-east-1" });
    // Assess
    const apiGatewayGroups = "arn:aws:logs:us-east-1:111122223333:log-group:/aws/apigateway/*";
    assert.deepEqual(grants(document), [
      "logs:DescribeLogGroups arn:aws:logs:us-east-1:111122223333:log-group:*",
      `logs:CreateLogGroup ${apiGatewayGroups}`,
      `logs:CreateLogStream ${apiGatewayGroups}`,
      `logs:DescribeLogStreams ${apiGatewayGroups}`,
      `logs:PutLogEvents ${apiGatewayGroups}`,
    ]);
  });

  it("lets API Gateway write the welcome log group it checks the role with", () => {
    // Act
    const document = apiGatewayLogsPolicy({ accountId: "111122223333", region: "us-east-1" });
    // Assess
    const [, write] = document.Statement;
    const pattern = new RegExp(`^${String(write?.Resource).replaceAll("*", ".*")}$`);
    assert.ok(pattern.test("arn:aws:logs:us-east-1:111122223333:log-group:/aws/apigateway/welcome"));
    assert.ok(
      pattern.test("arn:aws:logs:us-east-1:111122223333:log-group:/aws/apigateway/welcome:log-stream:s"),
    );
    assert.ok(!pattern.test("arn:aws:logs:us-east-1:111122223333:log-group:/aws/lambda/f"));
  });
});

describe("Function: serviceTrustPolicy", () => {
  it("lets only the named service assume the role", () => {
    assert.deepEqual(serviceTrustPolicy("lambda.amazonaws.com").Statement, [
      {
        Sid: "ServiceAssumesRole",
        Effect: "Allow",
        Principal: { Service: "lambda.amazonaws.com" },
        Action: ["sts:AssumeRole"],
      },
    ]);
  });
});
