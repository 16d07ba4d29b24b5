/** The functions as registered: own role and log group, settings, environment, grants, code, triggers. */
import { expect } from "chai";
import { ACCOUNT_INDEX } from "../../pipeline/runtime/contract/item";
import { ENV } from "../../pipeline/runtime/env";
import { allowedActions, functionGraph, PURPOSES, T } from "../helpers/infra-graph";
import {
  DEFAULT_STACK_CONFIG,
  fraudModelJson,
  type LoadedStack,
  loadStack,
  ofType,
  shippedHandler,
  single,
  useTempFile,
} from "../helpers/stack";

const TABLE_ARN = "arn:aws:dynamodb:us-east-1:123456789012:table/dynamodb-transactions-dev";
const MERCHANT_RISK_TABLE_ARN = "arn:aws:dynamodb:us-east-1:123456789012:table/dynamodb-merchant-risk-dev";
const ALERT_QUEUE_ARN = "arn:aws:sqs:us-east-1:123456789012:sqs-fraud-alerts-dev";
const STREAM_FAILURE_QUEUE_ARN = "arn:aws:sqs:us-east-1:123456789012:sqs-stream-failures-dev";
const TOPIC_ARN = "arn:aws:sns:us-east-1:123456789012:sns-fraud-notifications-dev";

describe("Stack: functions", () => {
  let stack: LoadedStack;
  const graph = (purpose: string) => functionGraph(stack.resources, purpose);

  before(async () => {
    stack = await loadStack();
  });

  it("gives every function its own role and its own /aws/lambda/<name> log group, created first", () => {
    for (const purpose of PURPOSES) {
      // Act
      const { fn, role, logGroup } = graph(purpose);
      // Assess
      expect(role.inputs.name).to.equal(`role-${purpose}-dev`);
      expect(JSON.parse(role.inputs.assumeRolePolicy).Statement[0].Principal).to.deep.equal({
        Service: "lambda.amazonaws.com",
      });
      expect(logGroup.inputs.name).to.equal(`/aws/lambda/${fn.inputs.name}`);
      expect(
        fn.dependencies.some((d) => d.type === T.logGroup && d.name === logGroup.name),
        `${purpose} does not wait for its log group`,
      ).to.be.ok;
    }
  });

  it("sets timeouts 10 s (process, record), 60 s (detect) and 50 s (notify), never the 180 s default", () => {
    expect(graph("process-transaction").fn.inputs.timeout).to.equal(10);
    expect(graph("detect-fraud").fn.inputs.timeout).to.equal(60);
    expect(graph("notify-team").fn.inputs.timeout).to.equal(50);
    expect(graph("record-outcome").fn.inputs.timeout).to.equal(10);
  });

  it("keeps both functions behind API Gateway well inside its 29 s integration timeout", () => {
    for (const purpose of ["process-transaction", "record-outcome"]) {
      expect(graph(purpose).fn.inputs.timeout < 29, purpose).to.be.ok;
    }
  });

  it("keeps the alert queue's visibility timeout at least 6x notify-team's timeout", () => {
    // Prepare
    const queue = single(stack.resources, T.queue, "fraud-alerts");
    const notify = graph("notify-team").fn;
    // Assess
    expect(queue.inputs.visibilityTimeoutSeconds >= 6 * notify.inputs.timeout).to.be.ok;
  });

  it("traces with X-Ray and logs JSON to its own log group", () => {
    for (const purpose of PURPOSES) {
      const { fn, logGroup } = graph(purpose);
      expect(fn.inputs.tracingConfig, purpose).to.deep.equal({ mode: "Active" });
      expect(fn.inputs.loggingConfig, purpose).to.deep.equal({
        logFormat: "JSON",
        logGroup: logGroup.inputs.name,
      });
    }
  });

  it("passes resource names through environment variables, per function", () => {
    // Prepare
    const env = (purpose: string) => graph(purpose).fn.inputs.environment.variables;
    const powertools = (service: string) => ({
      POWERTOOLS_SERVICE_NAME: service,
      POWERTOOLS_METRICS_NAMESPACE: "FraudPipeline",
    });
    // Assess
    expect(env("process-transaction")).to.deep.equal({
      [ENV.tableName]: "dynamodb-transactions-dev",
      ...powertools("process-transaction"),
    });
    expect(env("detect-fraud")).to.deep.equal({
      [ENV.tableName]: "dynamodb-transactions-dev",
      [ENV.accountIndexName]: ACCOUNT_INDEX,
      [ENV.merchantRiskTableName]: "dynamodb-merchant-risk-dev",
      [ENV.alertQueueUrl]: stack.outputs.alertQueueUrl,
      ...powertools("detect-fraud"),
    });
    expect(env("notify-team")).to.deep.equal({
      [ENV.tableName]: "dynamodb-transactions-dev",
      [ENV.topicArn]: TOPIC_ARN,
      ...powertools("notify-team"),
    });
    expect(env("record-outcome")).to.deep.equal({
      [ENV.tableName]: "dynamodb-transactions-dev",
      [ENV.merchantRiskTableName]: "dynamodb-merchant-risk-dev",
      ...powertools("record-outcome"),
    });
  });

  it("passes the fraudRules config to detect-fraud as FRAUD_RULES_CONFIG", async () => {
    // Act
    const tuned = await loadStack({ ...DEFAULT_STACK_CONFIG, fraudRules: '{"threshold": 80}' });
    // Assess
    const variables = functionGraph(tuned.resources, "detect-fraud").fn.inputs.environment.variables;
    expect(variables[ENV.rulesConfig]).to.equal('{"threshold":80}');
  });

  it("grants process-transaction only PutItem on the table", () => {
    // Prepare
    const { policy } = graph("process-transaction");
    // Assess
    expect(allowedActions(policy, TABLE_ARN)).to.deep.equal(["dynamodb:PutItem"]);
  });

  it("grants detect-fraud stream reads, index queries, merchant-risk reads and counts, verdict updates and sends to its two queues", () => {
    // Prepare
    const { policy } = graph("detect-fraud");
    // Assess
    expect(allowedActions(policy, `${TABLE_ARN}/stream/2025-01-01T00:00:00.000`)).to.deep.equal([
      "dynamodb:DescribeStream",
      "dynamodb:GetRecords",
      "dynamodb:GetShardIterator",
      "dynamodb:ListStreams",
    ]);
    expect(allowedActions(policy, `${TABLE_ARN}/index/${ACCOUNT_INDEX}`)).to.deep.equal(["dynamodb:Query"]);
    expect(allowedActions(policy, MERCHANT_RISK_TABLE_ARN)).to.deep.equal([
      "dynamodb:BatchGetItem",
      "dynamodb:UpdateItem",
    ]);
    expect(allowedActions(policy, TABLE_ARN)).to.deep.equal(["dynamodb:UpdateItem"]);
    expect(allowedActions(policy, ALERT_QUEUE_ARN)).to.deep.equal(["sqs:SendMessage"]);
    expect(allowedActions(policy, STREAM_FAILURE_QUEUE_ARN)).to.deep.equal(["sqs:SendMessage"]);
    expect(allowedActions(policy, stack.outputs.kmsKeyArn as string).sort()).to.deep.equal([
      "kms:Decrypt",
      "kms:Decrypt",
      "kms:GenerateDataKey",
    ]);
  });

  it("grants notify-team queue consumption, publish on the topic and item updates", () => {
    // Prepare
    const { policy } = graph("notify-team");
    // Assess
    expect(allowedActions(policy, ALERT_QUEUE_ARN)).to.deep.equal([
      "sqs:ReceiveMessage",
      "sqs:DeleteMessage",
      "sqs:GetQueueAttributes",
      "sqs:ChangeMessageVisibility",
    ]);
    expect(allowedActions(policy, TOPIC_ARN)).to.deep.equal(["sns:Publish"]);
    expect(allowedActions(policy, TABLE_ARN)).to.deep.equal(["dynamodb:UpdateItem"]);
  });

  it("grants record-outcome item reads and updates, merchant-risk updates and use of the key, nothing else on data", () => {
    // Prepare
    const { policy } = graph("record-outcome");
    // Assess
    expect(allowedActions(policy, TABLE_ARN)).to.deep.equal(["dynamodb:GetItem", "dynamodb:UpdateItem"]);
    expect(allowedActions(policy, MERCHANT_RISK_TABLE_ARN)).to.deep.equal(["dynamodb:UpdateItem"]);
    expect(allowedActions(policy, stack.outputs.kmsKeyArn as string).sort()).to.deep.equal([
      "kms:Decrypt",
      "kms:Decrypt",
      "kms:GenerateDataKey",
    ]);
    expect(
      policy.Statement.flatMap((s) => s.Action).filter((a) =>
        /^(sqs|sns|dynamodb:(?!GetItem|UpdateItem))/.test(a),
      ),
    ).to.deep.equal([]);
  });

  it("gives only detect-fraud and record-outcome access to the merchant-risk table", () => {
    for (const purpose of PURPOSES) {
      const granted = allowedActions(graph(purpose).policy, MERCHANT_RISK_TABLE_ARN).length > 0;
      expect(granted, purpose).to.equal(["detect-fraud", "record-outcome"].includes(purpose));
    }
  });

  it("lets every function write only to its own log group", () => {
    for (const purpose of PURPOSES) {
      const { policy, logGroup } = graph(purpose);
      const groupArn = `arn:aws:logs:us-east-1:123456789012:log-group:${logGroup.inputs.name}`;
      expect(allowedActions(policy, `${groupArn}:*`)).to.deep.equal([
        "logs:CreateLogStream",
        "logs:PutLogEvents",
      ]);
    }
  });

  describe("with the fraudModel config", () => {
    const modelPath = (name: string, intercept: number) =>
      useTempFile(name, JSON.stringify(fraudModelJson({ intercept })));
    const first = modelPath("MODEL.json", -3.125);
    const second = modelPath("MODEL.json", -4.375);
    let stacks: LoadedStack[];
    const handlerOf = (loaded: LoadedStack, purpose: string) =>
      shippedHandler(single(loaded.resources, T.fn, purpose));

    before(async () => {
      stacks = [];
      for (const fraudModel of [first, second])
        stacks.push(await loadStack({ ...DEFAULT_STACK_CONFIG, fraudModel }));
    });

    it("ships the model inside detect-fraud's code, not in its environment", async () => {
      // Act
      const text = await handlerOf(stacks[0] as LoadedStack, "detect-fraud");
      // Assess
      expect(text.includes("-3.125"), "the model's intercept is not in the shipped handler").to.be.ok;
      const variables = functionGraph((stacks[0] as LoadedStack).resources, "detect-fraud").fn.inputs
        .environment.variables;
      expect(!JSON.stringify(variables).includes("-3.125")).to.be.ok;
    });

    it("changes detect-fraud's code with the model, and no other function's", async () => {
      for (const purpose of PURPOSES) {
        // Act
        const [a, b] = await Promise.all(stacks.map((loaded) => handlerOf(loaded, purpose)));
        // Assess
        expect(a === b, purpose).to.equal(purpose !== "detect-fraud");
      }
    });

    it("changes nothing else a function is built from", () => {
      for (const purpose of PURPOSES) {
        const [a, b] = stacks.map((loaded) => {
          const { code, ...inputs } = single(loaded.resources, T.fn, purpose).inputs;
          return inputs;
        });
        expect(a, purpose).to.deep.equal(b);
      }
    });

    it("ships detect-fraud without a model when fraudModel is unset", async () => {
      // Act
      const text = await handlerOf(stack, "detect-fraud");
      // Assess
      expect(!text.includes("-3.125") && !text.includes("-4.375")).to.be.ok;
    });
  });

  it("feeds detect-fraud INSERT records from the stream with partial failures, bisection and a failure DLQ", () => {
    // Prepare
    const mapping = single(stack.resources, T.mapping, "detect-fraud-stream");
    // Assess
    expect(mapping.inputs.eventSourceArn).to.equal(stack.outputs.tableStreamArn);
    expect(mapping.inputs.functionName).to.match(/:function:lambda-detect-fraud-dev$/);
    // INSERTs of items with an account_id: transactions, not verdict write-backs or id guards.
    expect(mapping.inputs.filterCriteria).to.deep.equal({
      filters: [
        {
          pattern: '{"eventName":["INSERT"],"dynamodb":{"NewImage":{"account_id":{"S":[{"exists":true}]}}}}',
        },
      ],
    });
    expect(mapping.inputs.functionResponseTypes).to.deep.equal(["ReportBatchItemFailures"]);
    expect(mapping.inputs.bisectBatchOnFunctionError).to.equal(true);
    expect(mapping.inputs.maximumRetryAttempts).to.equal(5);
    expect(mapping.inputs.maximumRecordAgeInSeconds).to.equal(3600);
    expect(mapping.inputs.batchSize).to.equal(100);
    expect(mapping.inputs.startingPosition).to.equal("LATEST");
    expect(mapping.inputs.destinationConfig.onFailure.destinationArn).to.equal(STREAM_FAILURE_QUEUE_ARN);
    expect(mapping.dependencies.some((d) => d.type === T.rolePolicy && d.name === "detect-fraud")).to.be.ok;
  });

  it("feeds notify-team from the alert queue in batches of 10 with partial failures", () => {
    // Prepare
    const mapping = single(stack.resources, T.mapping, "notify-team-alerts");
    // Assess
    expect(mapping.inputs.eventSourceArn).to.equal(ALERT_QUEUE_ARN);
    expect(mapping.inputs.functionName).to.match(/:function:lambda-notify-team-dev$/);
    expect(mapping.inputs.batchSize).to.equal(10);
    expect(mapping.inputs.functionResponseTypes).to.deep.equal(["ReportBatchItemFailures"]);
    // Pollers capped at the reserved concurrency, so throttled batches do not drift to the DLQ.
    expect(mapping.inputs.scalingConfig).to.deep.equal({ maximumConcurrency: 50 });
    expect(ofType(stack.resources, T.mapping).length).to.equal(2);
  });
});
