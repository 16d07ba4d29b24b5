/**
 * Operations: the ops topic the alarms notify (encrypted with the pipeline key, TLS-only, open to
 * this account's CloudWatch alarms), the alarms, and the dashboard.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { opsTopicPolicy } from "../../policies/iam/ops-topic";
import { alarmSpecs, createAlarms } from "./alarms";
import type { Alerts } from "./alerts";
import type { Api } from "./api";
import { createDashboard } from "./dashboard";
import type { PipelineFunction } from "./functions";
import type { Monitored } from "./metrics";
import { byFunction, type FunctionKey } from "./naming";
import { REGION, type Scope } from "./scope";

/** The monitored resources and where alarms go. */
interface OperationsDeps {
  readonly keyArn: pulumi.Output<string>;
  readonly alerts: Alerts;
  readonly functions: Readonly<Record<FunctionKey, PipelineFunction>>;
  readonly api: Api;
  /** Subscribed to the ops topic when set (AWS emails a confirmation link). */
  readonly opsEmail?: string;
}

interface Operations {
  readonly opsTopic: aws.sns.Topic;
  readonly alarms: readonly aws.cloudwatch.MetricAlarm[];
  readonly dashboard: aws.cloudwatch.Dashboard;
}

function createOpsTopic(scope: Scope, keyArn: pulumi.Output<string>, opsEmail?: string): aws.sns.Topic {
  const topic = new aws.sns.Topic(
    "ops-alarms",
    { name: scope.names.opsTopic, kmsMasterKeyId: keyArn, tags: scope.tags },
    scope.opts,
  );
  new aws.sns.TopicPolicy(
    "ops-alarms",
    {
      arn: topic.arn,
      policy: pulumi
        .all([topic.arn, scope.accountId])
        .apply(([topicArn, accountId]) =>
          JSON.stringify(opsTopicPolicy({ topicArn, accountId, region: REGION })),
        ),
    },
    scope.opts,
  );
  if (opsEmail !== undefined) {
    new aws.sns.TopicSubscription(
      "ops-alarms-email",
      { topic: topic.arn, protocol: "email", endpoint: opsEmail },
      scope.opts,
    );
  }
  return topic;
}

/**
 * Creates the ops topic, one alarm per {@link alarmSpecs} entry on it, and the dashboard, all
 * reading the names of the resources as created.
 *
 * @example
 * const { opsTopic } = createOperations(scope, { keyArn: key.arn, alerts, functions, api, opsEmail });
 */
function createOperations(scope: Scope, deps: OperationsDeps): Operations {
  const { alerts, functions, api } = deps;
  const opsTopic = createOpsTopic(scope, deps.keyArn, deps.opsEmail);
  const monitored: Monitored<pulumi.Output<string>> = {
    functions: byFunction((key) => functions[key].fn.name),
    alertQueue: alerts.alertQueue.name,
    alertDlq: alerts.alertDlq.name,
    streamFailureQueue: alerts.streamFailureQueue.name,
    api: api.restApi.name,
    stage: api.stage.stageName,
  };
  const alarms = createAlarms(scope, alarmSpecs(scope.names, monitored), opsTopic.arn);
  const dashboard = createDashboard(scope, monitored, alarms);
  return { opsTopic, alarms, dashboard };
}

export type { Operations };
export { createOperations };
