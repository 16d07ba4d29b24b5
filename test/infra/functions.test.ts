/** The functions as registered: own role and log group, settings, environment, grants, code, triggers. */
import assert from "node:assert/strict";
import { ACCOUNT_INDEX } from "../../pipeline/runtime/contract/item";
import { ENV } from "../../pipeline/runtime/env";
import { allowedActions, functionGraph, PURPOSES, T } from "../helpers/infra-graph";
import {
  DEFAULT_STACK_CONFIG,
  fraudModelJson,
  type LoadedStack,
  loadStack,
  ofType,
  serializedHandler,
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
      assert.equal(role.inputs.name, `role-${purpose}-dev`);
      assert.deepEqual(JSON.parse(role.inputs.assumeRolePolicy).Statement[0].Principal, {
        Service: "lambda.amazonaws.com",
      });
      assert.equal(logGroup.inputs.name, `/aws/lambda/${fn.inputs.name}`);
      assert.ok(
        fn.dependencies.some((d) => d.type === T.logGroup && d.name === logGroup.name),
        `${purpose} does not wait for its log group`,
      );
    }
  });

  it("sets timeouts 10 s (process, record), 60 s (detect) and 50 s (notify), never the 180 s default", () => {
    assert.equal(graph("process-transaction").fn.inputs.timeout, 10);
    assert.equal(graph("detect-fraud").fn.inputs.timeout, 60);
    assert.equal(graph("notify-team").fn.inputs.timeout, 50);
    assert.equal(graph("record-outcome").fn.inputs.timeout, 10);
  });

  it("keeps both functions behind API Gateway well inside its 29 s integration timeout", () => {
    for (const purpose of ["process-transaction", "record-outcome"]) {
      assert.ok(graph(purpose).fn.inputs.timeout < 29, purpose);
    }
  });

  it("keeps the alert queue's visibility timeout at least 6x notify-team's timeout", () => {
    // Prepare
    const queue = single(stack.resources, T.queue, "fraud-alerts");
    const notify = graph("notify-team").fn;
    // Assess
    assert.ok(queue.inputs.visibilityTimeoutSeconds >= 6 * notify.inputs.timeout);
  });

  it("traces with X-Ray and logs JSON to its own log group", () => {
    for (const purpose of PURPOSES) {
      const { fn, logGroup } = graph(purpose);
      assert.deepEqual(fn.inputs.tracingConfig, { mode: "Active" }, purpose);
      assert.deepEqual(
        fn.inputs.loggingConfig,
        { logFormat: "JSON", logGroup: logGroup.inputs.name },
        purpose,
      );
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
    assert.deepEqual(env("process-transaction"), {
      [ENV.tableName]: "dynamodb-transactions-dev",
      ...powertools("process-transaction"),
    });
    assert.deepEqual(env("detect-fraud"), {
      [ENV.tableName]: "dynamodb-transactions-dev",
      [ENV.accountIndexName]: ACCOUNT_INDEX,
      [ENV.merchantRiskTableName]: "dynamodb-merchant-risk-dev",
      [ENV.alertQueueUrl]: stack.outputs.alertQueueUrl,
      ...powertools("detect-fraud"),
    });
    assert.deepEqual(env("notify-team"), {
      [ENV.tableName]: "dynamodb-transactions-dev",
      [ENV.topicArn]: TOPIC_ARN,
      ...powertools("notify-team"),
    });
    assert.deepEqual(env("record-outcome"), {
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
    assert.equal(variables[ENV.rulesConfig], '{"threshold":80}');
  });

  it("grants process-transaction only PutItem on the table", () => {
    // Prepare
    const { policy } = graph("process-transaction");
    // Assess
    assert.deepEqual(allowedActions(policy, TABLE_ARN), ["dynamodb:PutItem"]);
  });

  it("grants detect-fraud stream reads, index queries, merchant-risk reads and counts, verdict updates and sends to its two queues", () => {
    // Prepare
    const { policy } = graph("detect-fraud");
    // Assess
    assert.deepEqual(allowedActions(policy, `${TABLE_ARN}/stream/2025-01-01T00:00:00.000`), [
      "dynamodb:DescribeStream",
      "dynamodb:GetRecords",
      "dynamodb:GetShardIterator",
      "dynamodb:ListStreams",
    ]);
    assert.deepEqual(allowedActions(policy, `${TABLE_ARN}/index/${ACCOUNT_INDEX}`), ["dynamodb:Query"]);
    assert.deepEqual(allowedActions(policy, MERCHANT_RISK_TABLE_ARN), [
      "dynamodb:BatchGetItem",
      "dynamodb:UpdateItem",
    ]);
    assert.deepEqual(allowedActions(policy, TABLE_ARN), ["dynamodb:UpdateItem"]);
    assert.deepEqual(allowedActions(policy, ALERT_QUEUE_ARN), ["sqs:SendMessage"]);
    assert.deepEqual(allowedActions(policy, STREAM_FAILURE_QUEUE_ARN), ["sqs:SendMessage"]);
    assert.deepEqual(allowedActions(policy, stack.outputs.kmsKeyArn as string).sort(), [
      "kms:Decrypt",
      "kms:Decrypt",
      "kms:GenerateDataKey",
    ]);
  });

  it("grants notify-team queue consumption, publish on the topic and item updates", () => {
    // Prepare
    const { policy } = graph("notify-team");
    // Assess
    assert.deepEqual(allowedActions(policy, ALERT_QUEUE_ARN), [
      "sqs:ReceiveMessage",
      "sqs:DeleteMessage",
      "sqs:GetQueueAttributes",
      "sqs:ChangeMessageVisibility",
    ]);
    assert.deepEqual(allowedActions(policy, TOPIC_ARN), ["sns:Publish"]);
    assert.deepEqual(allowedActions(policy, TABLE_ARN), ["dynamodb:UpdateItem"]);
  });

  it("grants record-outcome item reads and updates, merchant-risk updates and use of the key, nothing else on data", () => {
    // Prepare
    const { policy } = graph("record-outcome");
    // Assess
    assert.deepEqual(allowedActions(policy, TABLE_ARN), ["dynamodb:GetItem", "dynamodb:UpdateItem"]);
    assert.deepEqual(allowedActions(policy, MERCHANT_RISK_TABLE_ARN), ["dynamodb:UpdateItem"]);
    assert.deepEqual(allowedActions(policy, stack.outputs.kmsKeyArn as string).sort(), [
      "kms:Decrypt",
      "kms:Decrypt",
      "kms:GenerateDataKey",
    ]);
    assert.deepEqual(
      policy.Statement.flatMap((s) => s.Action).filter((a) =>
        /^(sqs|sns|dynamodb:(?!GetItem|UpdateItem))/.test(a),
      ),
      [],
    );
  });

  it("gives only detect-fraud and record-outcome access to the merchant-risk table", () => {
    for (const purpose of PURPOSES) {
      const granted = allowedActions(graph(purpose).policy, MERCHANT_RISK_TABLE_ARN).length > 0;
      assert.equal(granted, ["detect-fraud", "record-outcome"].includes(purpose), purpose);
    }
  });

  it("lets every function write only to its own log group", () => {
    for (const purpose of PURPOSES) {
      const { policy, logGroup } = graph(purpose);
      const groupArn = `arn:aws:logs:us-east-1:123456789012:log-group:${logGroup.inputs.name}`;
      assert.deepEqual(allowedActions(policy, `${groupArn}:*`), [
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
      serializedHandler(single(loaded.resources, T.fn, purpose));

    before(async () => {
      stacks = [];
      for (const fraudModel of [first, second])
        stacks.push(await loadStack({ ...DEFAULT_STACK_CONFIG, fraudModel }));
    });

    it("ships the model inside detect-fraud's code, not in its environment", async () => {
      // Act
      const text = await handlerOf(stacks[0] as LoadedStack, "detect-fraud");
      // Assess
      assert.ok(text.includes("-3.125"), "the model's intercept is not in the serialized handler");
      const variables = functionGraph((stacks[0] as LoadedStack).resources, "detect-fraud").fn.inputs
        .environment.variables;
      assert.ok(!JSON.stringify(variables).includes("-3.125"));
    });

    it("changes detect-fraud's code with the model, and no other function's", async () => {
      for (const purpose of PURPOSES) {
        // Act
        const [a, b] = await Promise.all(stacks.map((loaded) => handlerOf(loaded, purpose)));
        // Assess
        assert.equal(a === b, purpose !== "detect-fraud", purpose);
      }
    });

    it("changes nothing else a function is built from", () => {
      for (const purpose of PURPOSES) {
        const [a, b] = stacks.map((loaded) => {
          const { code, ...inputs } = single(loaded.resources, T.fn, purpose).inputs;
          return inputs;
        });
        assert.deepEqual(a, b, purpose);
      }
    });

    it("ships detect-fraud without a model when fraudModel is unset", async () => {
      // Act
      const text = await handlerOf(stack, "detect-fraud");
      // Assess
      assert.ok(!text.includes("-3.125") && !text.includes("-4.375"));
    });
  });

  it("feeds detect-fraud INSERT records from the stream with partial failures, bisection and a failure DLQ", () => {
    // Prepare
    const mapping = single(stack.resources, T.mapping, "detect-fraud-stream");
    // Assess
    assert.equal(mapping.inputs.eventSourceArn, stack.outputs.tableStreamArn);
    assert.match(mapping.inputs.functionName, /:function:lambda-detect-fraud-dev$/);
    // INSERTs of items with an account_id: transactions, not verdict write-backs or id guards.
    assert.deepEqual(mapping.inputs.filterCriteria, {
      filters: [
        {
          pattern: '{"eventName":["INSERT"],"dynamodb":{"NewImage":{"account_id":{"S":[{"exists":true}]}}}}',
        },
      ],
    });
    assert.deepEqual(mapping.inputs.functionResponseTypes, ["ReportBatchItemFailures"]);
    assert.equal(mapping.inputs.bisectBatchOnFunctionError, true);
    assert.equal(mapping.inputs.maximumRetryAttempts, 5);
    assert.equal(mapping.inputs.maximumRecordAgeInSeconds, 3600);
    assert.equal(mapping.inputs.batchSize, 100);
    assert.equal(mapping.inputs.startingPosition, "LATEST");
    assert.equal(mapping.inputs.destinationConfig.onFailure.destinationArn, STREAM_FAILURE_QUEUE_ARN);
    assert.ok(mapping.dependencies.some((d) => d.type === T.rolePolicy && d.name === "detect-fraud"));
  });

  it("feeds notify-team from the alert queue in batches of 10 with partial failures", () => {
    // Prepare
    const mapping = single(stack.resources, T.mapping, "notify-team-alerts");
    // Assess
    assert.equal(mapping.inputs.eventSourceArn, ALERT_QUEUE_ARN);
    assert.match(mapping.inputs.functionName, /:function:lambda-notify-team-dev$/);
    assert.equal(mapping.inputs.batchSize, 10);
    assert.deepEqual(mapping.inputs.functionResponseTypes, ["ReportBatchItemFailures"]);
    // Pollers capped at the reserved concurrency, so throttled batches do not drift to the DLQ.
    assert.deepEqual(mapping.inputs.scalingConfig, { maximumConcurrency: 50 });
    assert.equal(ofType(stack.resources, T.mapping).length, 2);
  });
});
