/** The program's contract with the operator: stack config in, stack outputs out. */

import * as path from "node:path";
import { expect } from "chai";
import { FEATURE_NAMES } from "../../pipeline/runtime/detect/features/registry";
import { matchesError, rejectionOf } from "../helpers/expect";
import { T } from "../helpers/infra-graph";
import {
  DEFAULT_STACK_CONFIG,
  fraudModelJson,
  loadStack,
  ofType,
  shippedHandler,
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
    expect(Object.keys(outputs).sort()).to.deep.equal([...OUTPUTS].sort());
    for (const name of OUTPUTS) expect(typeof outputs[name], name).to.equal("string");
    expect([...secretOutputs]).to.deep.equal(["apiKey"]);
    expect(outputs.apiUrl).to.equal(
      "https://a1b2c3d4e5.execute-api.us-east-1.amazonaws.com/dev/transactions",
    );
    expect(outputs.processFunctionName).to.equal("lambda-process-transaction-dev");
    expect(outputs.outcomesUrl).to.equal(
      "https://a1b2c3d4e5.execute-api.us-east-1.amazonaws.com/dev/transactions/outcomes",
    );
    expect(outputs.merchantRiskTableName).to.equal("dynamodb-merchant-risk-dev");
    expect(outputs.recordFunctionName).to.equal("lambda-record-outcome-dev");
  });

  it("defaults environmentSuffix to the stack name", async () => {
    // Act
    const { resources } = await loadStack({ alertEmail: DEFAULT_STACK_CONFIG.alertEmail as string });
    // Assess
    expect(
      ofType(resources, T.table)
        .map((t) => t.inputs.name)
        .sort(),
    ).to.deep.equal(["dynamodb-merchant-risk-dev", "dynamodb-transactions-dev"]);
  });

  it("derives every name from environmentSuffix", async () => {
    // Act
    const { outputs } = await loadStack({ ...DEFAULT_STACK_CONFIG, environmentSuffix: "pr-42" });
    // Assess
    expect(outputs.tableName).to.equal("dynamodb-transactions-pr-42");
    expect(outputs.merchantRiskTableName).to.equal("dynamodb-merchant-risk-pr-42");
    expect(outputs.notifyFunctionName).to.equal("lambda-notify-team-pr-42");
  });

  it("stops on an invalid environmentSuffix, naming the setting and the value", async () => {
    expect(
      String(await rejectionOf(loadStack({ ...DEFAULT_STACK_CONFIG, environmentSuffix: "Dev_1" }))),
    ).to.match(/environmentSuffix="Dev_1"/);
  });

  it("stops on an environmentSuffix too long for the Lambda names, naming the limit", async () => {
    expect(
      String(await rejectionOf(loadStack({ ...DEFAULT_STACK_CONFIG, environmentSuffix: "a".repeat(38) }))),
    ).to.match(/environmentSuffix=.*1 to 37/);
  });

  it("stops when alertEmail is missing, naming the setting", async () => {
    expect(String(await rejectionOf(loadStack({ environmentSuffix: "dev" })))).to.match(
      /Missing required config alertEmail/,
    );
  });

  it("stops on an alertEmail that is not an address, naming the setting and the value", async () => {
    expect(
      String(await rejectionOf(loadStack({ ...DEFAULT_STACK_CONFIG, alertEmail: "fraud-team" }))),
    ).to.match(/alertEmail="fraud-team"/);
  });

  it("stops on a fraudRules key the detector does not know, naming fraudRules and the key", async () => {
    expect(
      String(await rejectionOf(loadStack({ ...DEFAULT_STACK_CONFIG, fraudRules: '{"treshold": 80}' }))),
    ).to.match(/config fraudRules=.*treshold/);
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
      expect(await rejectionOf(loadStack({ ...DEFAULT_STACK_CONFIG, fraudModel: value }))).to.satisfy(
        matchesError({
          message: new RegExp(`^${escapeRegExp(`${modelError(value)}no such file. `)}`),
        }),
      );
    });

    it("stops on a file that is not JSON, naming the setting, the path and the problem", async () => {
      expect(await rejectionOf(loadStack({ ...DEFAULT_STACK_CONFIG, fraudModel: malformed }))).to.satisfy(
        matchesError({
          message: new RegExp(`^${escapeRegExp(`${modelError(malformed)}Fraud model is not valid JSON: `)}`),
        }),
      );
    });

    it("stops on a model trained on other features, naming the setting, the path and the features", async () => {
      expect(await rejectionOf(loadStack({ ...DEFAULT_STACK_CONFIG, fraudModel: mismatched }))).to.satisfy(
        matchesError({
          message: new RegExp(
            `^${escapeRegExp(
              `${modelError(mismatched)}Fraud model features do not match this version's features (missing ${FEATURE_NAMES[0]}; unknown shoe_size): retrain with npm run train. `,
            )}`,
          ),
        }),
      );
    });

    it("reads a valid model from a path relative to the project directory and ships it to detect-fraud", async () => {
      // Prepare
      const relative = path.relative(PROJECT_DIR, valid);
      // Act
      const { resources } = await loadStack({ ...DEFAULT_STACK_CONFIG, fraudModel: relative });
      // Assess
      expect(!path.isAbsolute(relative)).to.be.ok;
      expect((await shippedHandler(single(resources, T.fn, "detect-fraud"))).includes("-2.875")).to.be.ok;
    });
  });
});
