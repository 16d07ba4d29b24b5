/** Physical names and the suffix length they allow. */
import assert from "node:assert/strict";
import { limitedNames, MAX_SUFFIX_LENGTH, physicalNames, TAGS } from "../../pipeline/infra/naming";
import { acceptsInput, isTaggableType } from "../helpers/stack";

describe("Function: physicalNames", () => {
  it("names resources {resource-type}-{purpose}-{suffix}", () => {
    // Act
    const names = physicalNames("dev");
    // Assess
    assert.equal(names.table, "dynamodb-transactions-dev");
    assert.equal(names.merchantRiskTable, "dynamodb-merchant-risk-dev");
    assert.equal(names.alertQueue, "sqs-fraud-alerts-dev");
    assert.equal(names.alertDlq, "sqs-fraud-alerts-dlq-dev");
    assert.equal(names.streamFailureQueue, "sqs-stream-failures-dev");
    assert.equal(names.topic, "sns-fraud-notifications-dev");
    assert.equal(names.api, "apigw-fraud-api-dev");
    assert.equal(names.keyAlias, "alias/kms-fraud-pipeline-dev");
    assert.deepEqual(names.functions.process, {
      function: "lambda-process-transaction-dev",
      role: "role-process-transaction-dev",
      rolePolicy: "policy-process-transaction-dev",
      logGroup: "/aws/lambda/lambda-process-transaction-dev",
    });
    assert.equal(names.functions.detect.function, "lambda-detect-fraud-dev");
    assert.equal(names.functions.notify.function, "lambda-notify-team-dev");
    assert.deepEqual(names.functions.record, {
      function: "lambda-record-outcome-dev",
      role: "role-record-outcome-dev",
      rolePolicy: "policy-record-outcome-dev",
      logGroup: "/aws/lambda/lambda-record-outcome-dev",
    });
    assert.deepEqual(names.functionAlarms.record, {
      errors: "cw-alarm-record-outcome-errors-dev",
      throttles: "cw-alarm-record-outcome-throttles-dev",
    });
    assert.equal(names.apiInvokePermission, "permission-apigateway-invoke-dev");
    assert.equal(names.outcomesInvokePermission, "permission-apigateway-invoke-outcomes-dev");
    assert.equal(names.apiAccessLogGroup, "/aws/apigateway/apigw-fraud-api-dev");
    assert.equal(names.apiLogsRole, "role-apigateway-logs-dev");
    assert.equal(names.apiStage, "dev");
  });

  it("gives every limited name a distinct value", () => {
    const names = limitedNames(physicalNames("dev")).map(({ name }) => name);
    assert.equal(new Set(names).size, names.length);
  });
});

describe("Constant: MAX_SUFFIX_LENGTH", () => {
  it("is bound by the longest name: lambda-process-transaction- (27) + 37 = 64", () => {
    assert.equal(MAX_SUFFIX_LENGTH, 37);
  });

  it("is the largest suffix length for which every limited name fits", () => {
    // Act
    const fits = (length: number) =>
      limitedNames(physicalNames("x".repeat(length))).every(({ name, limit }) => name.length <= limit);
    // Assess
    assert.equal(fits(MAX_SUFFIX_LENGTH), true);
    assert.equal(fits(MAX_SUFFIX_LENGTH + 1), false);
  });
});

describe("Constant: TAGS", () => {
  it("holds the two mandatory tags", () => {
    assert.deepEqual(TAGS, { Environment: "production", CostCenter: "fraud-detection" });
  });
});

describe("Function: acceptsInput (test harness)", () => {
  it("tells taggable and nameable resource types apart", () => {
    assert.equal(isTaggableType("aws:sqs/queue:Queue"), true);
    assert.equal(isTaggableType("aws:sqs/queuePolicy:QueuePolicy"), false);
    assert.equal(acceptsInput("aws:apigateway/deployment:Deployment", "name"), false);
    assert.equal(acceptsInput("aws:lambda/function:Function", "name"), true);
    assert.equal(isTaggableType("pulumi:providers:aws"), false);
  });
});
