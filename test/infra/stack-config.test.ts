/** The program's contract with the operator: stack config in, stack outputs out. */
import assert from "node:assert/strict";
import * as path from "node:path";
import { FEATURE_NAMES } from "../../pipeline/runtime/detect/features/registry";
import { T } from "../helpers/infra-graph";
import {
  DEFAULT_STACK_CONFIG,
  fraudModelJson,
  loadStack,
  ofType,
  serializedHandler,
  single,
  useTempFile,
} from "../helpers/stack";

/** Where Pulumi.yaml is: a relative fraudModel path is read from here. */
const PROJECT_DIR = path.resolve(__dirname, "..", "..");

/** The message's start for a fraudModel value: the setting's full name, the value, the file read. */
const modelError = (value: string, file = path.resolve(PROJECT_DIR, value)) =>
  `Invalid config fraud-pipeline:fraudModel=${JSON.stringify(value)} (${file}): `;

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

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

  describe("fraudModel", () => {
    const malformed = useTempFile("MODEL.json", '{"format": "fraud-model",');
    const mismatched = useTempFile(
      "MODEL.json",
      JSON.stringify(fraudModelJson({ features: [...FEATURE_NAMES.slice(1), "shoe_size"] })),
    );
    const valid = useTempFile("MODEL.json", JSON.stringify(fraudModelJson({ intercept: -2.875 })));

    it("stops on a path with no file, naming the setting, the path and the problem", async () => {
      // Prepare
      const value = "models/MODEL.json";
      // Assess
      await assert.rejects(loadStack({ ...DEFAULT_STACK_CONFIG, fraudModel: value }), {
        message: new RegExp(`^${escapeRegExp(`${modelError(value)}no such file. `)}`),
      });
    });

    it("stops on a file that is not JSON, naming the setting, the path and the problem", async () => {
      await assert.rejects(loadStack({ ...DEFAULT_STACK_CONFIG, fraudModel: malformed }), {
        message: new RegExp(`^${escapeRegExp(`${modelError(malformed)}Fraud model is not valid JSON: `)}`),
      });
    });

    it("stops on a model trained on other features, naming the setting, the path and the features", async () => {
      await assert.rejects(loadStack({ ...DEFAULT_STACK_CONFIG, fraudModel: mismatched }), {
        message: new RegExp(
          `^${escapeRegExp(
            `${modelError(mismatched)}Fraud model features do not match this version's features (missing ${FEATURE_NAMES[0]}; unknown shoe_size): retrain with npm run train. `,
          )}`,
        ),
      });
    });

    it("reads a valid model from a path relative to the project directory and ships it to detect-fraud", async () => {
      // Prepare
      const relative = path.relative(PROJECT_DIR, valid);
      // Act
      const { resources } = await loadStack({ ...DEFAULT_STACK_CONFIG, fraudModel: relative });
      // Assess
      assert.ok(!path.isAbsolute(relative));
      assert.ok((await serializedHandler(single(resources, T.fn, "detect-fraud"))).includes("-2.875"));
    });
  });
});
