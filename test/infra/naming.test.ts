/** Physical names and the suffix length they allow. */
import { expect } from "chai";
import { limitedNames, MAX_SUFFIX_LENGTH, physicalNames, TAGS } from "../../pipeline/infra/naming";
import { acceptsInput, isTaggableType } from "../helpers/stack";

describe("Function: physicalNames", () => {
  it("names resources {resource-type}-{purpose}-{suffix}", () => {
    // Act
    const names = physicalNames("dev");
    // Assess
    expect(names.table).to.equal("dynamodb-transactions-dev");
    expect(names.merchantRiskTable).to.equal("dynamodb-merchant-risk-dev");
    expect(names.alertQueue).to.equal("sqs-fraud-alerts-dev");
    expect(names.alertDlq).to.equal("sqs-fraud-alerts-dlq-dev");
    expect(names.streamFailureQueue).to.equal("sqs-stream-failures-dev");
    expect(names.topic).to.equal("sns-fraud-notifications-dev");
    expect(names.api).to.equal("apigw-fraud-api-dev");
    expect(names.keyAlias).to.equal("alias/kms-fraud-pipeline-dev");
    expect(names.functions.process).to.deep.equal({
      function: "lambda-process-transaction-dev",
      role: "role-process-transaction-dev",
      rolePolicy: "policy-process-transaction-dev",
      logGroup: "/aws/lambda/lambda-process-transaction-dev",
    });
    expect(names.functions.detect.function).to.equal("lambda-detect-fraud-dev");
    expect(names.functions.notify.function).to.equal("lambda-notify-team-dev");
    expect(names.functions.record).to.deep.equal({
      function: "lambda-record-outcome-dev",
      role: "role-record-outcome-dev",
      rolePolicy: "policy-record-outcome-dev",
      logGroup: "/aws/lambda/lambda-record-outcome-dev",
    });
    expect(names.functionAlarms.record).to.deep.equal({
      errors: "cw-alarm-record-outcome-errors-dev",
      throttles: "cw-alarm-record-outcome-throttles-dev",
    });
    expect(names.apiInvokePermission).to.equal("permission-apigateway-invoke-dev");
    expect(names.outcomesInvokePermission).to.equal("permission-apigateway-invoke-outcomes-dev");
    expect(names.apiAccessLogGroup).to.equal("/aws/apigateway/apigw-fraud-api-dev");
    expect(names.apiLogsRole).to.equal("role-apigateway-logs-dev");
    expect(names.apiStage).to.equal("dev");
  });

  it("gives every limited name a distinct value", () => {
    const names = limitedNames(physicalNames("dev")).map(({ name }) => name);
    expect(new Set(names).size).to.equal(names.length);
  });
});

describe("Constant: MAX_SUFFIX_LENGTH", () => {
  it("is bound by the longest name: lambda-process-transaction- (27) + 37 = 64", () => {
    expect(MAX_SUFFIX_LENGTH).to.equal(37);
  });

  it("is the largest suffix length for which every limited name fits", () => {
    // Act
    const fits = (length: number) =>
      limitedNames(physicalNames("x".repeat(length))).every(({ name, limit }) => name.length <= limit);
    // Assess
    expect(fits(MAX_SUFFIX_LENGTH)).to.equal(true);
    expect(fits(MAX_SUFFIX_LENGTH + 1)).to.equal(false);
  });
});

describe("Constant: TAGS", () => {
  it("holds the two mandatory tags", () => {
    expect(TAGS).to.deep.equal({ Environment: "production", CostCenter: "fraud-detection" });
  });
});

describe("Function: acceptsInput (test harness)", () => {
  it("tells taggable and nameable resource types apart", () => {
    expect(isTaggableType("aws:sqs/queue:Queue")).to.equal(true);
    expect(isTaggableType("aws:sqs/queuePolicy:QueuePolicy")).to.equal(false);
    expect(acceptsInput("aws:apigateway/deployment:Deployment", "name")).to.equal(false);
    expect(acceptsInput("aws:lambda/function:Function", "name")).to.equal(true);
    expect(isTaggableType("pulumi:providers:aws")).to.equal(false);
  });
});
