/** The program's contract with the operator: stack config in, stack outputs out. */
import assert from "node:assert/strict";
import { T } from "../helpers/infra-graph";
import { DEFAULT_STACK_CONFIG, loadStack, ofType } from "../helpers/stack";

const OUTPUTS = [
  "apiUrl",
  "outcomesUrl",
  "apiKey",
  "tableName",
  "tableStreamArn",
  "merchantRiskTableName",
  "alertQueueUrl",
  "alertDlqUrl",
  "topicArn",
  "kmsKeyArn",
  "processFunctionName",
  "detectFunctionName",
  "notifyFunctionName",
  "recordFunctionName",
  "opsTopicArn",
];

describe("Stack: config and outputs", () => {
  it("exports every output, with the API key as a secret", async () => {
    // Act
    const { outputs, secretOutputs } = await loadStack();
    // Assess
    assert.deepEqual(Object.keys(outputs).sort(), [...OUTPUTS].sort());
    for (const name of OUTPUTS) assert.equal(typeof outputs[name], "string", name);
    assert.deepEqual([...secretOutputs], ["apiKey"]);
    assert.equal(outputs.apiUrl, "https://a1b2c3d4e5.execute-api.us-east-1.amazonaws.com/dev/transactions");
    assert.equal(outputs.processFunctionName, "lambda-process-transaction-dev");
    assert.equal(
      outputs.outcomesUrl,
      "https://a1b2c3d4e5.execute-api.us-east-1.amazonaws.com/dev/transactions/outcomes",
    );
    assert.equal(outputs.merchantRiskTableName, "dynamodb-merchant-risk-dev");
    assert.equal(outputs.recordFunctionName, "lambda-record-outcome-dev");
  });

  it("defaults environmentSuffix to the stack name", async () => {
    // Act
    const { resources } = await loadStack({ alertEmail: DEFAULT_STACK_CONFIG.alertEmail as string });
    // Assess
    assert.deepEqual(
      ofType(resources, T.table)
        .map((t) => t.inputs.name)
        .sort(),
      ["dynamodb-merchant-risk-dev", "dynamodb-transactions-dev"],
    );
  });

  it("derives every name from environmentSuffix", async () => {
    // Act
    const { outputs } = await loadStack({ ...DEFAULT_STACK_CONFIG, environmentSuffix: "pr-42" });
    // Assess
    assert.equal(outputs.tableName, "dynamodb-transactions-pr-42");
    assert.equal(outputs.merchantRiskTableName, "dynamodb-merchant-risk-pr-42");
    assert.equal(outputs.notifyFunctionName, "lambda-notify-team-pr-42");
  });

  it("stops on an invalid environmentSuffix, naming the setting and the value", async () => {
    await assert.rejects(
      loadStack({ ...DEFAULT_STACK_CONFIG, environmentSuffix: "Dev_1" }),
      /environmentSuffix="Dev_1"/,
    );
  });

  it("stops on an environmentSuffix too long for the Lambda names, naming the limit", async () => {
    await assert.rejects(
      loadStack({ ...DEFAULT_STACK_CONFIG, environmentSuffix: "a".repeat(38) }),
      /environmentSuffix=.*1 to 37/,
    );
  });

  it("stops when alertEmail is missing, naming the setting", async () => {
    await assert.rejects(loadStack({ environmentSuffix: "dev" }), /Missing required config alertEmail/);
  });

  it("stops on an alertEmail that is not an address, naming the setting and the value", async () => {
    await assert.rejects(
      loadStack({ ...DEFAULT_STACK_CONFIG, alertEmail: "fraud-team" }),
      /alertEmail="fraud-team"/,
    );
  });

  it("stops on a fraudRules key the detector does not know, naming fraudRules and the key", async () => {
    await assert.rejects(
      loadStack({ ...DEFAULT_STACK_CONFIG, fraudRules: '{"treshold": 80}' }),
      /config fraudRules=.*treshold/,
    );
  });
});
