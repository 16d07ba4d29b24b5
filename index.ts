/** Composition root: read the stack configuration, build the pipeline, export its outputs. */
import { readPipelineConfig } from "./pipeline/infra/config";
import { FraudPipeline } from "./pipeline/infra/fraud-pipeline";

const pipeline = new FraudPipeline("fraud-pipeline", readPipelineConfig());

export const apiUrl = pipeline.apiUrl;
export const outcomesUrl = pipeline.outcomesUrl;
export const apiKey = pipeline.apiKey;
export const apiInvokePolicy = pipeline.apiInvokePolicy;
export const tableName = pipeline.tableName;
export const tableStreamArn = pipeline.tableStreamArn;
export const merchantRiskTableName = pipeline.merchantRiskTableName;
export const alertQueueUrl = pipeline.alertQueueUrl;
export const alertDlqUrl = pipeline.alertDlqUrl;
export const topicArn = pipeline.topicArn;
export const kmsKeyArn = pipeline.kmsKeyArn;
export const processFunctionName = pipeline.processFunctionName;
export const detectFunctionName = pipeline.detectFunctionName;
export const notifyFunctionName = pipeline.notifyFunctionName;
export const recordFunctionName = pipeline.recordFunctionName;
export const opsTopicArn = pipeline.opsTopicArn;
