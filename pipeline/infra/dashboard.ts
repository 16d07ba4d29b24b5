/**
 * The operations dashboard. The body is built by pure functions over plain names (so a test can
 * read every widget), then rendered once the resource names and alarm ARNs are known.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ALARM_THRESHOLDS } from "./alarms";
import {
  alertsPublishedMetric,
  apiMetric,
  BATCH_FUNCTIONS,
  failedRecordsMetric,
  flaggedTransactionsMetric,
  lambdaMetric,
  type Metric,
  type Monitored,
  queueMetric,
} from "./metrics";
import { FUNCTION_KEYS, FUNCTION_PURPOSES } from "./naming";
import { REGION, type Scope } from "./scope";

/** Widget titles, in dashboard order. */
const WIDGET_TITLES = {
  alarms: "Alarms",
  apiRequests: "API requests",
  apiErrors: "API 4xx / 5xx",
  apiLatency: "API latency p50 / p99 (ms)",
  invocations: "Lambda invocations",
  errors: "Lambda errors",
  throttles: "Lambda throttles",
  duration: "Lambda duration p99 (ms)",
  iteratorAge: "detect-fraud stream iterator age (ms)",
  queueDepth: "Alert queue depth",
  dlqDepth: "Dead-letter queue depth",
  flagged: "Flagged transactions and alerts emailed",
  failedRecords: "Failed records (retried, then dead-lettered)",
} as const;

/** Resolution of every graph: one minute, the finest the AWS metrics here are published at. */
const PERIOD_SECONDS = 60;
const GRID = { columns: 24, width: 8, height: 6, alarmsHeight: 4 } as const;

/** What a metric line may add to its metric: how to aggregate, what to call it, which axis. */
interface LineOptions {
  readonly stat: string;
  readonly label: string;
  readonly yAxis?: "left" | "right";
}

/** A metric line as the dashboard body writes it: namespace, name, dimension pairs, options. */
type MetricLine = readonly (string | LineOptions)[];

interface Annotation {
  readonly label: string;
  readonly value: number;
  readonly yAxis?: "left" | "right";
}

/** The `properties` of a metric widget, less the region (added by {@link dashboardBody}). */
interface MetricWidgetProperties {
  readonly title: string;
  readonly metrics: readonly MetricLine[];
  readonly annotations?: { readonly horizontal: readonly Annotation[] };
}

interface Widget {
  readonly type: "metric" | "alarm";
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
  readonly properties: Readonly<Record<string, unknown>>;
}

/** What {@link dashboardBody} needs besides the monitored names. */
interface DashboardContext {
  readonly region: string;
  readonly alarmArns: readonly string[];
}

function line(metric: Metric, options: LineOptions): MetricLine {
  const dimensions = Object.entries(metric.dimensions).flat();
  return [metric.namespace, metric.metricName, ...dimensions, options];
}

function alarmLine(label: string, value: number, yAxis?: "right"): Annotation {
  return { label: `alarm: ${label}`, value, ...(yAxis === undefined ? {} : { yAxis }) };
}

function perFunction(monitored: Monitored, metricName: string, stat: string): MetricLine[] {
  return FUNCTION_KEYS.map((key) =>
    line(lambdaMetric(metricName, monitored.functions[key]), { stat, label: FUNCTION_PURPOSES[key] }),
  );
}

function apiWidgets({ api, stage }: Monitored): MetricWidgetProperties[] {
  return [
    {
      title: WIDGET_TITLES.apiRequests,
      metrics: [line(apiMetric("Count", api, stage), { stat: "Sum", label: "requests" })],
    },
    {
      title: WIDGET_TITLES.apiErrors,
      metrics: [
        line(apiMetric("4XXError", api, stage), { stat: "Sum", label: "4xx" }),
        line(apiMetric("5XXError", api, stage), { stat: "Sum", label: "5xx" }),
      ],
    },
    {
      title: WIDGET_TITLES.apiLatency,
      metrics: [
        line(apiMetric("Latency", api, stage), { stat: "p50", label: "p50" }),
        line(apiMetric("Latency", api, stage), { stat: "p99", label: "p99" }),
      ],
      annotations: { horizontal: [alarmLine("p99 latency", ALARM_THRESHOLDS.apiP99LatencyMs)] },
    },
  ];
}

function functionWidgets(monitored: Monitored): MetricWidgetProperties[] {
  return [
    { title: WIDGET_TITLES.invocations, metrics: perFunction(monitored, "Invocations", "Sum") },
    { title: WIDGET_TITLES.errors, metrics: perFunction(monitored, "Errors", "Sum") },
    { title: WIDGET_TITLES.throttles, metrics: perFunction(monitored, "Throttles", "Sum") },
    { title: WIDGET_TITLES.duration, metrics: perFunction(monitored, "Duration", "p99") },
    {
      title: WIDGET_TITLES.iteratorAge,
      metrics: [
        line(lambdaMetric("IteratorAge", monitored.functions.detect), { stat: "Maximum", label: "max age" }),
      ],
      annotations: { horizontal: [alarmLine("iterator age", ALARM_THRESHOLDS.streamIteratorAgeMs)] },
    },
  ];
}

function queueWidgets({ alertQueue, alertDlq, streamFailureQueue }: Monitored): MetricWidgetProperties[] {
  return [
    {
      title: WIDGET_TITLES.queueDepth,
      metrics: [
        line(queueMetric("ApproximateNumberOfMessagesVisible", alertQueue), {
          stat: "Maximum",
          label: "waiting",
        }),
        line(queueMetric("ApproximateNumberOfMessagesNotVisible", alertQueue), {
          stat: "Maximum",
          label: "in flight",
        }),
        line(queueMetric("ApproximateAgeOfOldestMessage", alertQueue), {
          stat: "Maximum",
          label: "oldest (s)",
          yAxis: "right",
        }),
      ],
      annotations: { horizontal: [alarmLine("oldest alert", ALARM_THRESHOLDS.alertAgeSeconds, "right")] },
    },
    {
      title: WIDGET_TITLES.dlqDepth,
      metrics: [
        line(queueMetric("ApproximateNumberOfMessagesVisible", alertDlq), {
          stat: "Maximum",
          label: "fraud-alerts DLQ",
        }),
        line(queueMetric("ApproximateNumberOfMessagesVisible", streamFailureQueue), {
          stat: "Maximum",
          label: "stream failures",
        }),
      ],
    },
  ];
}

/** The pipeline's own counts: what was flagged and emailed, and the records that failed. */
function pipelineWidgets(): MetricWidgetProperties[] {
  return [
    {
      title: WIDGET_TITLES.flagged,
      metrics: [
        line(flaggedTransactionsMetric(), { stat: "Sum", label: "flagged" }),
        line(alertsPublishedMetric(), { stat: "Sum", label: "emailed" }),
      ],
    },
    {
      title: WIDGET_TITLES.failedRecords,
      metrics: BATCH_FUNCTIONS.map((key) =>
        line(failedRecordsMetric(key), { stat: "Sum", label: FUNCTION_PURPOSES[key] }),
      ),
    },
  ];
}

/**
 * The widgets' metric properties in dashboard order: API, functions, stream, queues, flagged
 * transactions and alerts emailed, failed records.
 *
 * @example
 * metricWidgets(monitored).map((w) => w.title); // ["API requests", "API 4xx / 5xx", ...]
 */
function metricWidgets(monitored: Monitored): MetricWidgetProperties[] {
  return [
    ...apiWidgets(monitored),
    ...functionWidgets(monitored),
    ...queueWidgets(monitored),
    ...pipelineWidgets(),
  ];
}

/**
 * The dashboard body: the alarms' states across the top, then the metric widgets three to a row.
 *
 * @example
 * JSON.stringify(dashboardBody(monitored, { region: "us-east-1", alarmArns }));
 */
function dashboardBody(monitored: Monitored, context: DashboardContext): { widgets: Widget[] } {
  const perRow = GRID.columns / GRID.width;
  const alarms: Widget = {
    type: "alarm",
    x: 0,
    y: 0,
    width: GRID.columns,
    height: GRID.alarmsHeight,
    properties: { title: WIDGET_TITLES.alarms, alarms: [...context.alarmArns] },
  };
  const metrics = metricWidgets(monitored).map(
    (properties, index): Widget => ({
      type: "metric",
      x: (index % perRow) * GRID.width,
      y: GRID.alarmsHeight + Math.floor(index / perRow) * GRID.height,
      width: GRID.width,
      height: GRID.height,
      properties: {
        view: "timeSeries",
        stacked: false,
        region: context.region,
        period: PERIOD_SECONDS,
        ...properties,
      },
    }),
  );
  return { widgets: [alarms, ...metrics] };
}

/**
 * Creates the dashboard over the monitored resources' names and the alarms.
 *
 * @example
 * const dashboard = createDashboard(scope, monitored, alarms);
 */
function createDashboard(
  scope: Scope,
  monitored: Monitored<pulumi.Output<string>>,
  alarms: readonly aws.cloudwatch.MetricAlarm[],
): aws.cloudwatch.Dashboard {
  const body = pulumi
    .all([pulumi.output(monitored), pulumi.all(alarms.map((alarm) => alarm.arn))])
    .apply(([names, alarmArns]) => dashboardBody(names, { region: REGION, alarmArns }));
  return new aws.cloudwatch.Dashboard(
    "fraud-pipeline",
    { dashboardName: scope.names.dashboard, dashboardBody: pulumi.jsonStringify(body) },
    scope.opts,
  );
}

export type { DashboardContext, Widget };
export { createDashboard, dashboardBody, WIDGET_TITLES };
