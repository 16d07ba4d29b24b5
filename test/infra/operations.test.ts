/** Operations: the ops topic, the alarms on it, and the dashboard, as pure builders and as registered. */

import {
  BatchGetItemCommand,
  DynamoDBClient,
  QueryCommand,
  UpdateItemCommand,
} from "@aws-sdk/client-dynamodb";
import { PublishCommand, SNSClient } from "@aws-sdk/client-sns";
import { SendMessageBatchCommand, SQSClient } from "@aws-sdk/client-sqs";
import type { DynamoDBBatchResponse, DynamoDBStreamEvent, SQSBatchResponse, SQSEvent } from "aws-lambda";
import { assert, expect } from "chai";
import { alarmSpecs } from "../../pipeline/infra/alarms";
import { dashboardBody, WIDGET_TITLES, type Widget } from "../../pipeline/infra/dashboard";
import {
  alertsPublishedMetric,
  failedRecordsMetric,
  flaggedTransactionsMetric,
} from "../../pipeline/infra/metrics";
import { MAX_SUFFIX_LENGTH, physicalNames } from "../../pipeline/infra/naming";
import { ACCOUNT_INDEX } from "../../pipeline/runtime/contract/item";
import { detectFraudFactory } from "../../pipeline/runtime/lambda/detect-fraud";
import { notifyTeamFactory } from "../../pipeline/runtime/lambda/notify-team";
import { opsTopicPolicy } from "../../policies/iam/ops-topic";
import { fraudAlert, sqsEvent } from "../helpers/alerts";
import { useEnv } from "../helpers/artifact";
import { useClientMock } from "../helpers/aws-mocks";
import { rejectionOf } from "../helpers/expect";
import { PURPOSES, T } from "../helpers/infra-graph";
import { captureEmf, monitoredNames } from "../helpers/operations";
import {
  DEFAULT_STACK_CONFIG,
  type LoadedStack,
  loadStack,
  MOCK_ACCOUNT_ID,
  ofType,
  type RecordedResource,
  single,
} from "../helpers/stack";
import { insertRecord, streamEvent } from "../helpers/streams";
import { lambdaContext, validTransaction } from "../helpers/transactions";

const OPS_TOPIC_ARN = `arn:aws:sns:us-east-1:${MOCK_ACCOUNT_ID}:sns-ops-alarms-dev`;
const TAGS = { Environment: "production", CostCenter: "fraud-detection" };

/** Physical names of our resources, read from what the program registered. */
interface Ours {
  fn(purpose: string): string;
  queue(logicalName: string): string;
  readonly api: string;
  readonly stage: string;
}

/** One row of the runbook's alarm table (README.md, "Operations"). */
interface ExpectedAlarm {
  readonly name: string;
  readonly namespace: string;
  readonly metricName: string;
  readonly dimensions: (ours: Ours) => Record<string, string>;
  readonly statistic: { statistic: string } | { extendedStatistic: string };
  readonly threshold: number;
  readonly period: number;
  readonly evaluationPeriods: number;
  readonly datapointsToAlarm: number;
}

const ONE_MINUTE = { period: 60, evaluationPeriods: 1, datapointsToAlarm: 1 };
const FIVE_MINUTES = { period: 300, evaluationPeriods: 1, datapointsToAlarm: 1 };
const THREE_OF_FIVE_MINUTES = { period: 60, evaluationPeriods: 5, datapointsToAlarm: 3 };

const EXPECTED_ALARMS: readonly ExpectedAlarm[] = [
  {
    name: "cw-alarm-fraud-alerts-dlq-not-empty-dev",
    namespace: "AWS/SQS",
    metricName: "ApproximateNumberOfMessagesVisible",
    dimensions: (ours) => ({ QueueName: ours.queue("fraud-alerts-dlq") }),
    statistic: { statistic: "Maximum" },
    threshold: 0,
    ...ONE_MINUTE,
  },
  {
    name: "cw-alarm-stream-failures-dlq-not-empty-dev",
    namespace: "AWS/SQS",
    metricName: "ApproximateNumberOfMessagesVisible",
    dimensions: (ours) => ({ QueueName: ours.queue("stream-failures") }),
    statistic: { statistic: "Maximum" },
    threshold: 0,
    ...ONE_MINUTE,
  },
  {
    name: "cw-alarm-fraud-alerts-oldest-message-dev",
    namespace: "AWS/SQS",
    metricName: "ApproximateAgeOfOldestMessage",
    dimensions: (ours) => ({ QueueName: ours.queue("fraud-alerts") }),
    statistic: { statistic: "Maximum" },
    threshold: 600,
    ...ONE_MINUTE,
  },
  {
    name: "cw-alarm-detect-fraud-iterator-age-dev",
    namespace: "AWS/Lambda",
    metricName: "IteratorAge",
    dimensions: (ours) => ({ FunctionName: ours.fn("detect-fraud") }),
    statistic: { statistic: "Maximum" },
    threshold: 60_000,
    ...THREE_OF_FIVE_MINUTES,
  },
  {
    name: "cw-alarm-api-5xx-rate-dev",
    namespace: "AWS/ApiGateway",
    metricName: "5XXError",
    dimensions: (ours) => ({ ApiName: ours.api, Stage: ours.stage }),
    statistic: { statistic: "Average" },
    threshold: 0.01,
    ...FIVE_MINUTES,
  },
  {
    name: "cw-alarm-api-p99-latency-dev",
    namespace: "AWS/ApiGateway",
    metricName: "Latency",
    dimensions: (ours) => ({ ApiName: ours.api, Stage: ours.stage }),
    statistic: { extendedStatistic: "p99" },
    threshold: 1_000,
    ...THREE_OF_FIVE_MINUTES,
  },
  ...PURPOSES.flatMap((purpose) =>
    ["Errors", "Throttles"].map((metricName) => ({
      name: `cw-alarm-${purpose}-${metricName.toLowerCase()}-dev`,
      namespace: "AWS/Lambda",
      metricName,
      dimensions: (ours: Ours) => ({ FunctionName: ours.fn(purpose) }),
      statistic: { statistic: "Sum" },
      threshold: 0,
      ...FIVE_MINUTES,
    })),
  ),
  ...(["detect-fraud", "notify-team"] as const).map((purpose) => ({
    name: `cw-alarm-${purpose}-failed-records-dev`,
    namespace: "FraudPipeline",
    metricName: "FailedRecords",
    dimensions: () => ({ service: purpose }),
    statistic: { statistic: "Sum" },
    threshold: 0,
    ...FIVE_MINUTES,
  })),
];

/** A widget of a dashboard body by title; throws naming the title when absent. */
function widget(body: { widgets: readonly Widget[] }, title: string): Widget {
  const found = body.widgets.find((w) => w.properties.title === title);
  if (found === undefined) throw new Error(`No widget titled ${title}`);
  return found;
}

/** A metric widget's lines as `namespace metric dim=value ... stat`. */
function lines(w: Widget): string[] {
  return (w.properties.metrics as unknown[][]).map((metricLine) => {
    const options = metricLine.at(-1) as { stat: string };
    const [namespace, metricName, ...dimensions] = metricLine.slice(0, -1) as string[];
    const pairs = dimensions.flatMap((value, i) => (i % 2 === 0 ? [`${value}=${dimensions[i + 1]}`] : []));
    return [namespace, metricName, ...pairs, options.stat].join(" ");
  });
}

function overlaps(a: Widget, b: Widget): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

describe("Function: alarmSpecs", () => {
  it("names every alarm cw-alarm-{purpose}-{suffix}, each distinct and within 255 characters at the longest suffix", () => {
    // Prepare
    const suffix = "a".repeat(MAX_SUFFIX_LENGTH);
    // Act
    const names = alarmSpecs(physicalNames(suffix), monitoredNames(suffix)).map((spec) => spec.name);
    // Assess
    expect(names.length).to.equal(EXPECTED_ALARMS.length);
    expect(new Set(names).size).to.equal(names.length);
    for (const name of names) {
      expect(name).to.match(new RegExp(`^cw-alarm-[a-z0-9]+(?:-[a-z0-9]+)*-${suffix}$`));
      expect(name.length <= 255, name).to.be.ok;
    }
  });

  it("treats a period without data as not breaching for every alarm (each metric is only reported with traffic)", () => {
    const specs = alarmSpecs(physicalNames("dev"), monitoredNames("dev"));
    expect(new Set(specs.map((spec) => spec.treatMissingData))).to.deep.equal(new Set(["notBreaching"]));
  });
});

describe("Function: dashboardBody", () => {
  const monitored = monitoredNames("dev");
  const alarmArns = ["arn:aws:cloudwatch:us-east-1:123456789012:alarm:cw-alarm-api-5xx-rate-dev"];
  const body = dashboardBody(monitored, { region: "us-east-1", alarmArns });

  it("has the alarm strip and every graph of the runbook, on a 24-column grid without overlaps", () => {
    // Assess
    expect(body.widgets.map((w) => w.properties.title)).to.deep.equal(Object.values(WIDGET_TITLES));
    for (const [i, a] of body.widgets.entries()) {
      expect(a.x >= 0 && a.x + a.width <= 24, `${a.properties.title} leaves the grid`).to.be.ok;
      for (const b of body.widgets.slice(i + 1)) {
        expect(!overlaps(a, b), `${a.properties.title} overlaps ${b.properties.title}`).to.be.ok;
      }
    }
    expect(widget(body, WIDGET_TITLES.alarms).properties.alarms).to.deep.equal(alarmArns);
    for (const w of body.widgets.filter((w) => w.type === "metric")) {
      expect(w.properties.region, String(w.properties.title)).to.equal("us-east-1");
    }
  });

  it("graphs requests, 4xx/5xx and latency p50/p99 of the API's stage", () => {
    const api = "ApiName=apigw-fraud-api-dev Stage=dev";
    expect(lines(widget(body, WIDGET_TITLES.apiRequests))).to.deep.equal([`AWS/ApiGateway Count ${api} Sum`]);
    expect(lines(widget(body, WIDGET_TITLES.apiErrors))).to.deep.equal([
      `AWS/ApiGateway 4XXError ${api} Sum`,
      `AWS/ApiGateway 5XXError ${api} Sum`,
    ]);
    expect(lines(widget(body, WIDGET_TITLES.apiLatency))).to.deep.equal([
      `AWS/ApiGateway Latency ${api} p50`,
      `AWS/ApiGateway Latency ${api} p99`,
    ]);
  });

  it("graphs invocations, errors, throttles and duration of each function", () => {
    const cases = [
      [WIDGET_TITLES.invocations, "Invocations", "Sum"],
      [WIDGET_TITLES.errors, "Errors", "Sum"],
      [WIDGET_TITLES.throttles, "Throttles", "Sum"],
      [WIDGET_TITLES.duration, "Duration", "p99"],
    ] as const;
    for (const [title, metricName, stat] of cases) {
      expect(lines(widget(body, title)), title).to.deep.equal(
        PURPOSES.map((purpose) => `AWS/Lambda ${metricName} FunctionName=lambda-${purpose}-dev ${stat}`),
      );
    }
  });

  it("graphs iterator age, alert queue depth and both DLQs, with the alarm thresholds drawn", () => {
    // Prepare
    const thresholds = (title: string) =>
      (widget(body, title).properties.annotations as { horizontal: { value: number }[] }).horizontal.map(
        (a) => a.value,
      );
    // Assess
    expect(lines(widget(body, WIDGET_TITLES.iteratorAge))).to.deep.equal([
      "AWS/Lambda IteratorAge FunctionName=lambda-detect-fraud-dev Maximum",
    ]);
    expect(lines(widget(body, WIDGET_TITLES.queueDepth))).to.deep.equal([
      "AWS/SQS ApproximateNumberOfMessagesVisible QueueName=sqs-fraud-alerts-dev Maximum",
      "AWS/SQS ApproximateNumberOfMessagesNotVisible QueueName=sqs-fraud-alerts-dev Maximum",
      "AWS/SQS ApproximateAgeOfOldestMessage QueueName=sqs-fraud-alerts-dev Maximum",
    ]);
    expect(lines(widget(body, WIDGET_TITLES.dlqDepth))).to.deep.equal([
      "AWS/SQS ApproximateNumberOfMessagesVisible QueueName=sqs-fraud-alerts-dlq-dev Maximum",
      "AWS/SQS ApproximateNumberOfMessagesVisible QueueName=sqs-stream-failures-dev Maximum",
    ]);
    expect(thresholds(WIDGET_TITLES.iteratorAge)).to.deep.equal([60_000]);
    expect(thresholds(WIDGET_TITLES.apiLatency)).to.deep.equal([1_000]);
    expect(thresholds(WIDGET_TITLES.queueDepth)).to.deep.equal([600]);
  });

  it("graphs the flagged-transaction count detect-fraud emits", () => {
    expect(lines(widget(body, WIDGET_TITLES.flagged))).to.deep.equal([
      "FraudPipeline FlaggedTransactions service=detect-fraud Sum",
      "FraudPipeline AlertsPublished service=notify-team Sum",
    ]);
  });

  it("graphs the failed records of detect-fraud and notify-team, the metric their alarms judge", () => {
    // Prepare
    const failedRecordAlarms = alarmSpecs(physicalNames("dev"), monitored).filter(
      (spec) => spec.metric.metricName === "FailedRecords",
    );

    // Assess
    expect(lines(widget(body, WIDGET_TITLES.failedRecords))).to.deep.equal([
      "FraudPipeline FailedRecords service=detect-fraud Sum",
      "FraudPipeline FailedRecords service=notify-team Sum",
    ]);
    expect(failedRecordAlarms.map((spec) => spec.metric)).to.deep.equal([
      failedRecordsMetric("detect"),
      failedRecordsMetric("notify"),
    ]);
  });
});

/** The EMF line that carries `metric` after `act`, checked against its namespace and only dimension set. */
async function expectEmitted(
  metric: ReturnType<typeof flaggedTransactionsMetric>,
  act: () => Promise<unknown>,
) {
  const emitted = await captureEmf(act);
  const line = emitted.find((l) =>
    l._aws.CloudWatchMetrics.some((d) => d.Metrics.some((m) => m.Name === metric.metricName)),
  );
  expect(line, `no EMF line carries ${metric.metricName}`).to.not.equal(undefined);
  const [directive] = line?._aws.CloudWatchMetrics ?? [];
  expect(directive?.Namespace).to.equal(metric.namespace);
  expect(directive?.Dimensions).to.deep.equal([Object.keys(metric.dimensions)]);
  for (const [name, value] of Object.entries(metric.dimensions)) expect(line?.[name], name).to.equal(value);
  return line?.[metric.metricName];
}

describe("Function: flaggedTransactionsMetric, failedRecordsMetric and alertsPublishedMetric", () => {
  useEnv({
    TABLE_NAME: "dynamodb-transactions-dev",
    ACCOUNT_INDEX_NAME: ACCOUNT_INDEX,
    ALERT_QUEUE_URL: `https://sqs.us-east-1.amazonaws.com/${MOCK_ACCOUNT_ID}/sqs-fraud-alerts-dev`,
    MERCHANT_RISK_TABLE_NAME: "dynamodb-merchant-risk-dev",
    TOPIC_ARN: `arn:aws:sns:us-east-1:${MOCK_ACCOUNT_ID}:sns-fraud-notifications-dev`,
    FRAUD_RULES_CONFIG: undefined,
    AWS_REGION: "us-east-1",
    POWERTOOLS_LOG_LEVEL: "SILENT",
    POWERTOOLS_METRICS_DISABLED: undefined,
    POWERTOOLS_DEV: undefined,
  });
  const ddb = useClientMock(DynamoDBClient);
  const sqs = useClientMock(SQSClient);
  const sns = useClientMock(SNSClient);

  it("is the namespace, name and only dimension set detect-fraud writes when it flags a transaction", async () => {
    // Prepare
    ddb().on(QueryCommand).resolves({ Items: [] });
    ddb().on(BatchGetItemCommand).resolves({ Responses: {} });
    ddb().on(UpdateItemCommand).resolves({});
    sqs()
      .on(SendMessageBatchCommand)
      .callsFake((input: { Entries: { Id: string }[] }) => ({
        Successful: input.Entries.map((e) => ({ Id: e.Id, MessageId: `m-${e.Id}`, MD5OfMessageBody: "x" })),
        Failed: [],
      }));
    const handler = detectFraudFactory() as unknown as (
      event: DynamoDBStreamEvent,
      context: unknown,
    ) => Promise<DynamoDBBatchResponse>;
    const large = validTransaction({ transaction_id: "tx-large", amount: 5_000_000 });

    // Act
    const flagged = await expectEmitted(flaggedTransactionsMetric(), () =>
      handler(streamEvent([insertRecord(large)]), lambdaContext({ functionName: "lambda-detect-fraud-dev" })),
    );

    // Assess
    expect(flagged).to.equal(1);
  });

  it("detect-fraud writes FailedRecords under the identity its alarm watches when SQS refuses the alerts", async () => {
    // Prepare
    ddb().on(QueryCommand).resolves({ Items: [] });
    ddb().on(BatchGetItemCommand).resolves({ Responses: {} });
    ddb().on(UpdateItemCommand).resolves({});
    sqs().on(SendMessageBatchCommand).rejects(new Error("AccessDenied"));
    const handler = detectFraudFactory() as unknown as (
      event: DynamoDBStreamEvent,
      context: unknown,
    ) => Promise<DynamoDBBatchResponse>;
    const large = validTransaction({ transaction_id: "tx-large", amount: 5_000_000 });

    // Act
    const failed = await expectEmitted(failedRecordsMetric("detect"), () =>
      handler(streamEvent([insertRecord(large)]), lambdaContext({ functionName: "lambda-detect-fraud-dev" })),
    );

    // Assess
    expect(failed).to.equal(1);
  });

  it("notify-team writes FailedRecords and AlertsPublished under the identities the alarm and dashboard read", async () => {
    // Prepare
    ddb().on(UpdateItemCommand).resolves({});
    sns().on(PublishCommand).rejectsOnce(new Error("AuthorizationError")).resolves({ MessageId: "m-1" });
    const handler = notifyTeamFactory() as unknown as (
      event: SQSEvent,
      context: unknown,
    ) => Promise<SQSBatchResponse>;
    const event = sqsEvent([fraudAlert({ transaction_id: "tx-1" })]);
    const context = lambdaContext({ functionName: "lambda-notify-team-dev" });

    // Act
    const failed = await expectEmitted(failedRecordsMetric("notify"), () => handler(event, context));
    const published = await expectEmitted(alertsPublishedMetric(), () => handler(event, context));

    // Assess
    expect([failed, published]).to.deep.equal([1, 1]);
  });
});

describe("Function: opsTopicPolicy", () => {
  it("lets CloudWatch publish only for alarms of the account and region, and denies publish without TLS", () => {
    // Prepare
    const topicArn = "arn:aws:sns:us-east-1:111122223333:sns-ops-alarms-dev";
    // Act
    const [allow, deny] = opsTopicPolicy({
      topicArn,
      accountId: "111122223333",
      region: "us-east-1",
    }).Statement;
    // Assess
    expect(allow).to.deep.equal({
      Sid: "CloudWatchAlarmsPublish",
      Effect: "Allow",
      Principal: { Service: "cloudwatch.amazonaws.com" },
      Action: ["sns:Publish"],
      Resource: topicArn,
      Condition: {
        StringEquals: { "aws:SourceAccount": "111122223333" },
        ArnLike: { "aws:SourceArn": "arn:aws:cloudwatch:us-east-1:111122223333:alarm:*" },
      },
    });
    expect(deny?.Effect).to.equal("Deny");
    expect(deny?.Principal).to.equal("*");
    expect(deny?.Resource).to.equal(topicArn);
    expect(deny?.Condition).to.deep.equal({ Bool: { "aws:SecureTransport": "false" } });
  });
});

describe("Stack: operations", () => {
  let stack: LoadedStack;
  let ours: Ours;
  let alarms: RecordedResource[];

  before(async () => {
    stack = await loadStack();
    alarms = ofType(stack.resources, T.metricAlarm);
    ours = {
      fn: (purpose) => single(stack.resources, T.fn, purpose).inputs.name,
      queue: (logicalName) => single(stack.resources, T.queue, logicalName).inputs.name,
      api: single(stack.resources, T.restApi, "fraud-api").inputs.name,
      stage: single(stack.resources, T.stage, "fraud-api").inputs.stageName,
    };
  });

  it("creates the ops topic sns-ops-alarms-dev, encrypted with the pipeline key, tagged, and exports its ARN", () => {
    // Prepare
    const topic = single(stack.resources, T.topic, "ops-alarms");
    // Assess
    expect(topic.inputs.name).to.equal("sns-ops-alarms-dev");
    expect(topic.inputs.kmsMasterKeyId).to.equal(stack.outputs.kmsKeyArn);
    expect(topic.inputs.tags).to.deep.equal(TAGS);
    expect(stack.outputs.opsTopicArn).to.equal(OPS_TOPIC_ARN);
  });

  it("attaches the TLS-only topic policy that lets this account's alarms publish", () => {
    // Prepare
    const policy = single(stack.resources, T.topicPolicy, "ops-alarms");
    const [allow, deny] = JSON.parse(policy.inputs.policy).Statement;
    // Assess
    expect(policy.inputs.arn).to.equal(OPS_TOPIC_ARN);
    expect(allow.Principal).to.deep.equal({ Service: "cloudwatch.amazonaws.com" });
    expect(allow.Condition.ArnLike).to.deep.equal({
      "aws:SourceArn": `arn:aws:cloudwatch:us-east-1:${MOCK_ACCOUNT_ID}:alarm:*`,
    });
    expect(allow.Condition.StringEquals).to.deep.equal({ "aws:SourceAccount": MOCK_ACCOUNT_ID });
    expect(deny.Effect).to.equal("Deny");
    expect(deny.Condition).to.deep.equal({ Bool: { "aws:SecureTransport": "false" } });
  });

  it("lets CloudWatch use the key to publish to the encrypted topic, for this stack's alarms only", () => {
    // Prepare
    const keyPolicy = JSON.parse(single(stack.resources, T.key, "fraud-pipeline").inputs.policy);
    // Act
    const cloudwatch = keyPolicy.Statement.filter(
      (s: { Principal?: { Service?: string } }) => s.Principal?.Service === "cloudwatch.amazonaws.com",
    );
    // Assess
    expect(cloudwatch.length).to.equal(1);
    expect(cloudwatch[0].Action).to.deep.equal(["kms:Decrypt", "kms:GenerateDataKey"]);
    expect(cloudwatch[0].Condition.StringEquals).to.deep.equal({ "aws:SourceAccount": MOCK_ACCOUNT_ID });
    expect([...cloudwatch[0].Condition.ArnEquals["aws:SourceArn"]].sort()).to.deep.equal(
      alarms.map((a) => `arn:aws:cloudwatch:us-east-1:${MOCK_ACCOUNT_ID}:alarm:${a.inputs.name}`).sort(),
    );
  });

  it("creates exactly the alarms of the runbook", () => {
    expect(alarms.map((a) => a.inputs.name).sort()).to.deep.equal(EXPECTED_ALARMS.map((a) => a.name).sort());
  });

  for (const expected of EXPECTED_ALARMS) {
    it(`${expected.name}: ${expected.metricName} above ${expected.threshold}, notifying the ops topic`, () => {
      // Prepare
      const alarm = alarms.find((a) => a.inputs.name === expected.name);
      assert.ok(alarm, `${expected.name} is missing`);
      const { inputs } = alarm;
      // Assess
      expect(inputs.namespace).to.equal(expected.namespace);
      expect(inputs.metricName).to.equal(expected.metricName);
      expect(inputs.dimensions).to.deep.equal(expected.dimensions(ours));
      expect({ statistic: inputs.statistic, extendedStatistic: inputs.extendedStatistic }).to.deep.equal({
        statistic: undefined,
        extendedStatistic: undefined,
        ...expected.statistic,
      });
      expect(inputs.threshold).to.equal(expected.threshold);
      expect(inputs.comparisonOperator).to.equal("GreaterThanThreshold");
      expect([inputs.period, inputs.evaluationPeriods, inputs.datapointsToAlarm]).to.deep.equal([
        expected.period,
        expected.evaluationPeriods,
        expected.datapointsToAlarm,
      ]);
      expect(inputs.treatMissingData).to.equal("notBreaching");
      expect(inputs.alarmActions).to.deep.equal([OPS_TOPIC_ARN]);
      expect(inputs.okActions).to.deep.equal([OPS_TOPIC_ARN]);
      expect(inputs.tags).to.deep.equal(TAGS);
      expect(inputs.alarmDescription.length > 20 && inputs.alarmDescription.length <= 1024).to.be.ok;
    });
  }

  it("evaluates the p99 latency alarm even on few requests", () => {
    const latency = alarms.find((a) => a.inputs.name === "cw-alarm-api-p99-latency-dev");
    expect(latency?.inputs.evaluateLowSampleCountPercentiles).to.equal("evaluate");
  });

  it("creates the dashboard cw-dashboard-fraud-pipeline-dev over our resources and every alarm", () => {
    // Prepare
    const dashboard = single(stack.resources, T.dashboard, "fraud-pipeline");
    const body = JSON.parse(dashboard.inputs.dashboardBody);
    const text = dashboard.inputs.dashboardBody as string;
    // Assess
    expect(dashboard.inputs.dashboardName).to.equal("cw-dashboard-fraud-pipeline-dev");
    expect(dashboard.inputs.dashboardName).to.match(/^[A-Za-z0-9_-]{1,255}$/);
    expect(body.widgets.map((w: Widget) => w.properties.title)).to.deep.equal(Object.values(WIDGET_TITLES));
    for (const name of [
      ...PURPOSES.map((purpose) => ours.fn(purpose)),
      ours.queue("fraud-alerts"),
      ours.queue("fraud-alerts-dlq"),
      ours.queue("stream-failures"),
      ours.api,
    ]) {
      expect(text.includes(JSON.stringify(name)), `the dashboard does not show ${name}`).to.be.ok;
    }
    const alarmArns: string[] = widget(body, WIDGET_TITLES.alarms).properties.alarms as string[];
    expect(alarmArns.map((arn) => arn.split(":").pop()).sort()).to.deep.equal(
      alarms.map((a) => a.name).sort(),
    );
  });

  it("subscribes no address to the ops topic unless opsEmail is set", () => {
    const subscriptions = ofType(stack.resources, T.subscription).filter(
      (s) => s.inputs.topic === OPS_TOPIC_ARN,
    );
    expect(subscriptions).to.deep.equal([]);
  });

  it("subscribes opsEmail to the ops topic by email", async () => {
    // Act
    const { resources } = await loadStack({ ...DEFAULT_STACK_CONFIG, opsEmail: "oncall@example.com" });
    // Assess
    const subscription = single(resources, T.subscription, "ops-alarms-email");
    expect({
      topic: subscription.inputs.topic,
      protocol: subscription.inputs.protocol,
      endpoint: subscription.inputs.endpoint,
    }).to.deep.equal({ topic: OPS_TOPIC_ARN, protocol: "email", endpoint: "oncall@example.com" });
  });

  it("stops on an opsEmail that is not an address, naming the setting and the value", async () => {
    expect(String(await rejectionOf(loadStack({ ...DEFAULT_STACK_CONFIG, opsEmail: "oncall" })))).to.match(
      /opsEmail="oncall"/,
    );
  });
});
