/**
 * What the mocked AWS provider answers in the stack tests (see stack.ts): plausible computed
 * attributes (ARNs, URLs, invoke ARNs) so Outputs built from them resolve, and the provider
 * functions the program calls.
 */
import type * as pulumi from "@pulumi/pulumi";

const MOCK_ACCOUNT_ID = "123456789012";
const MOCK_REGION = "us-east-1";
/** The Lambda "Concurrent executions" quota the mocked account has: AWS's default for a mature account. */
const MOCK_LAMBDA_CONCURRENCY_QUOTA = 1000;

// biome-ignore lint/suspicious/noExplicitAny: mocked inputs are untyped JSON that tests walk freely.
type Props = Record<string, any>;

/**
 * Id and state of a mocked resource: its inputs plus the attributes AWS would compute.
 *
 * @example
 * mockState({ type: "aws:sqs/queue:Queue", name: "q", inputs: { name: "sqs-q-dev" } }).state.url;
 */
function mockState(args: pulumi.runtime.MockResourceArgs): { id: string; state: Props } {
  const { type, name, inputs } = args;
  const physical: string = inputs.name ?? name;
  const arnBase = `${MOCK_REGION}:${MOCK_ACCOUNT_ID}`;
  switch (type) {
    case "aws:kms/key:Key": {
      const id = `mock-key-${name}`;
      return { id, state: { ...inputs, keyId: id, arn: `arn:aws:kms:${arnBase}:key/${id}` } };
    }
    case "aws:dynamodb/table:Table": {
      const arn = `arn:aws:dynamodb:${arnBase}:table/${physical}`;
      return { id: physical, state: { ...inputs, arn, streamArn: `${arn}/stream/2025-01-01T00:00:00.000` } };
    }
    case "aws:sqs/queue:Queue": {
      const url = `https://sqs.${MOCK_REGION}.amazonaws.com/${MOCK_ACCOUNT_ID}/${physical}`;
      return { id: url, state: { ...inputs, url, arn: `arn:aws:sqs:${arnBase}:${physical}` } };
    }
    case "aws:sns/topic:Topic": {
      const arn = `arn:aws:sns:${arnBase}:${physical}`;
      return { id: arn, state: { ...inputs, arn } };
    }
    case "aws:iam/role:Role":
      return { id: physical, state: { ...inputs, arn: `arn:aws:iam::${MOCK_ACCOUNT_ID}:role/${physical}` } };
    case "aws:cloudwatch/logGroup:LogGroup":
      return { id: physical, state: { ...inputs, arn: `arn:aws:logs:${arnBase}:log-group:${physical}` } };
    case "aws:lambda/function:Function": {
      const arn = `arn:aws:lambda:${arnBase}:function:${physical}`;
      const invokeArn = `arn:aws:apigateway:${MOCK_REGION}:lambda:path/2015-03-31/functions/${arn}/invocations`;
      return { id: physical, state: { ...inputs, arn, invokeArn } };
    }
    case "aws:apigateway/restApi:RestApi": {
      const id = "a1b2c3d4e5";
      return {
        id,
        state: {
          ...inputs,
          rootResourceId: "root123456",
          arn: `arn:aws:apigateway:${MOCK_REGION}::/restapis/${id}`,
          executionArn: `arn:aws:execute-api:${arnBase}:${id}`,
        },
      };
    }
    case "aws:apigateway/stage:Stage": {
      const invokeUrl = `https://${inputs.restApi}.execute-api.${MOCK_REGION}.amazonaws.com/${inputs.stageName}`;
      const arn = `arn:aws:apigateway:${MOCK_REGION}::/restapis/${inputs.restApi}/stages/${inputs.stageName}`;
      return { id: `${inputs.restApi}-${inputs.stageName}`, state: { ...inputs, invokeUrl, arn } };
    }
    case "aws:wafv2/webAcl:WebAcl": {
      const id = `mock-webacl-${name}`;
      return { id, state: { ...inputs, arn: `arn:aws:wafv2:${arnBase}:regional/webacl/${physical}/${id}` } };
    }
    case "aws:apigateway/apiKey:ApiKey":
      return { id: "mockapikeyid", state: { ...inputs, value: "mock-api-key-value" } };
    default:
      return { id: `${name}-id`, state: { ...inputs, arn: `arn:aws:mock:${arnBase}:${name}` } };
  }
}

/**
 * Result of a mocked provider function; throws for a function the program is not expected to call.
 *
 * @example
 * mockCall({ token: "aws:index/getCallerIdentity:getCallerIdentity", inputs: {} }).accountId; // "123456789012"
 */
function mockCall(args: pulumi.runtime.MockCallArgs): Props {
  switch (args.token) {
    case "aws:index/getCallerIdentity:getCallerIdentity":
      return {
        accountId: MOCK_ACCOUNT_ID,
        arn: `arn:aws:iam::${MOCK_ACCOUNT_ID}:user/test`,
        userId: "AIDAMOCK",
        id: MOCK_ACCOUNT_ID,
      };
    case "aws:index/getRegion:getRegion":
      return { name: MOCK_REGION, region: MOCK_REGION, id: MOCK_REGION };
    case "aws:index/getPartition:getPartition":
      return { partition: "aws", dnsSuffix: "amazonaws.com", id: "aws" };
    case "aws:servicequotas/getServiceQuota:getServiceQuota":
      return {
        ...args.inputs,
        quotaName: "Concurrent executions",
        value: MOCK_LAMBDA_CONCURRENCY_QUOTA,
        defaultValue: MOCK_LAMBDA_CONCURRENCY_QUOTA,
        adjustable: true,
        globalQuota: false,
        id: `${args.inputs.serviceCode}/${args.inputs.quotaCode}`,
      };
    default:
      throw new Error(`Unexpected provider function call in the stack under test: ${args.token}`);
  }
}

export type { Props };
export { MOCK_ACCOUNT_ID, MOCK_LAMBDA_CONCURRENCY_QUOTA, MOCK_REGION, mockCall, mockState };
