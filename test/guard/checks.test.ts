import { unknownCheckingProxy } from "@pulumi/policy";
import { expect } from "chai";
import { checkValidatedRoutes } from "../../policies/guard/checks/apigateway";
import { checkStream, isStreamTable } from "../../policies/guard/checks/dynamodb";
import { checkNamedActions, checkNamedResources } from "../../policies/guard/checks/iam";
import {
  checkTlsOnlyInStack,
  deniesInsecureTransport,
  isAlertsQueue,
} from "../../policies/guard/checks/messaging";
import { checkPhysicalName, stackOfUrn } from "../../policies/guard/checks/naming";
import { effectiveTags } from "../../policies/guard/checks/tags";
import { isSet } from "../../policies/guard/checks/values";
import { thrownBy } from "../helpers/expect";
import { tlsOnlyDocument } from "../helpers/guard-stack";

const POLICY = { type: "aws:iam/rolePolicy:RolePolicy", name: "p" };
const API = { type: "aws:apigateway/restApi:RestApi", name: "api" };
const document = (statement: Record<string, unknown>) => JSON.stringify({ Statement: statement });

describe("Function: checkNamedActions", () => {
  it("flags partial wildcards and NotAction in Allow statements, and ignores Deny", () => {
    // Prepare
    const cases = [
      document({ Effect: "Allow", Action: "dynamodb:Get*", Resource: "arn" }),
      document({ Effect: "Allow", NotAction: "iam:*", Resource: "arn" }),
      document({ Effect: "Deny", Action: "*", Resource: "*" }),
      "not json",
    ];

    // Act
    const counts = cases.map((c) => checkNamedActions(POLICY, "policy", c).length);

    // Assess
    expect(counts).to.deep.equal([1, 1, 0, 1]);
  });
});

describe("Function: checkNamedResources", () => {
  it('allows "*" for X-Ray actions only', () => {
    // Prepare
    const xrayOnly = document({ Effect: "Allow", Action: ["xray:PutTraceSegments"], Resource: "*" });
    const mixed = document({
      Effect: "Allow",
      Action: ["xray:PutTraceSegments", "s3:GetObject"],
      Resource: "*",
    });
    const notResource = document({ Effect: "Allow", Action: "s3:GetObject", NotResource: "arn" });

    // Act
    const counts = [xrayOnly, mixed, notResource].map((d) => checkNamedResources(POLICY, "policy", d).length);

    // Assess
    expect(counts).to.deep.equal([0, 1, 1]);
  });
});

describe("Function: checkValidatedRoutes", () => {
  it("accepts an OpenAPI 3 request body model and the document-level default validator", () => {
    // Prepare
    const body = {
      openapi: "3.0.1",
      "x-amazon-apigateway-request-validator": "all",
      "x-amazon-apigateway-request-validators": {
        all: { validateRequestBody: true, validateRequestParameters: true },
      },
      paths: {
        "/transactions": {
          post: {
            requestBody: { content: { "application/json": { schema: { $ref: "#/components/schemas/T" } } } },
          },
        },
      },
    };

    // Act
    const violations = checkValidatedRoutes(API, JSON.stringify(body));

    // Assess
    expect(violations).to.deep.equal([]);
  });

  it("names a missing route, a missing model and a validator that skips the body", () => {
    // Prepare
    const noRoute = JSON.stringify({ paths: {} });
    const weak = JSON.stringify({
      "x-amazon-apigateway-request-validators": {
        v: { validateRequestBody: false, validateRequestParameters: true },
      },
      paths: { "/transactions": { post: { "x-amazon-apigateway-request-validator": "v" } } },
    });

    // Act
    const missingRoute = checkValidatedRoutes(API, noRoute);
    const weakRoute = checkValidatedRoutes(API, weak);

    // Assess
    expect(missingRoute).to.deep.equal([
      'aws:apigateway/restApi:RestApi "api": body paths["/transactions"].post is not set; it must be defined (POST /transactions is the ingestion route).',
    ]);
    expect(weakRoute).to.deep.equal([
      'aws:apigateway/restApi:RestApi "api": body x-amazon-apigateway-request-validators["v"].validateRequestBody is false; it must be true.',
      'aws:apigateway/restApi:RestApi "api": body paths["/transactions"].post request body model is not set; it must be a JSON Schema model for "application/json".',
    ]);
  });

  it("holds every route to the rule, judging a validator the routes share once", () => {
    // Prepare
    const model = { parameters: [{ in: "body", schema: { $ref: "#/definitions/M" } }] };
    const body = JSON.stringify({
      "x-amazon-apigateway-request-validator": "v",
      "x-amazon-apigateway-request-validators": {
        v: { validateRequestBody: true, validateRequestParameters: false },
      },
      paths: {
        "/transactions": { post: model },
        "/transactions/outcomes": { post: {} },
        "/transactions/{id}": {
          parameters: [],
          get: { "x-amazon-apigateway-request-validator": "missing" },
          "x-amazon-apigateway-any-method": {},
        },
      },
    });

    // Act
    const violations = checkValidatedRoutes(API, body);

    // Assess
    expect(violations).to.deep.equal([
      'aws:apigateway/restApi:RestApi "api": body x-amazon-apigateway-request-validators["v"].validateRequestParameters is false; it must be true.',
      'aws:apigateway/restApi:RestApi "api": body paths["/transactions/outcomes"].post request body model is not set; it must be a JSON Schema model for "application/json".',
      'aws:apigateway/restApi:RestApi "api": body paths["/transactions/{id}"].get x-amazon-apigateway-request-validator is "missing"; it must be the name of a validator defined in x-amazon-apigateway-request-validators.',
      'aws:apigateway/restApi:RestApi "api": body paths["/transactions/{id}"].x-amazon-apigateway-any-method request body model is not set; it must be a JSON Schema model for "application/json".',
    ]);
  });
});

describe("Function: checkStream", () => {
  const TABLE = { type: "aws:dynamodb/table:Table", name: "t" };
  const matcher = { includes: "transactions" };

  it("requires the transactions table to stream and lets another table go without a stream", () => {
    // Act
    const verdicts = [
      checkStream(TABLE, { name: "dynamodb-transactions-dev" }, matcher).length,
      checkStream(TABLE, { name: "dynamodb-merchant-risk-dev" }, matcher).length,
      checkStream(TABLE, { name: "dynamodb-merchant-risk-dev", streamEnabled: false }, matcher).length,
    ];

    // Assess
    expect(verdicts).to.deep.equal([2, 0, 0]);
  });

  it("requires NEW_AND_OLD_IMAGES of any table that streams, and reads the logical name when the name is unset", () => {
    // Act
    const verdicts = [
      checkStream(
        TABLE,
        { name: "dynamodb-audit-dev", streamEnabled: true, streamViewType: "NEW_IMAGE" },
        matcher,
      ),
      checkStream({ ...TABLE, name: "transactions" }, {}, matcher),
    ];

    // Assess
    expect(verdicts).to.deep.equal([
      ['aws:dynamodb/table:Table "t": streamViewType is "NEW_IMAGE"; it must be "NEW_AND_OLD_IMAGES".'],
      [
        'aws:dynamodb/table:Table "transactions": streamEnabled is not set; it must be true.',
        'aws:dynamodb/table:Table "transactions": streamViewType is not set; it must be "NEW_AND_OLD_IMAGES".',
      ],
    ]);
  });
});

describe("Function: isStreamTable", () => {
  it("matches the transactions table by name, ignoring case", () => {
    // Act
    const verdicts = [
      "dynamodb-transactions-dev",
      "DYNAMODB-TRANSACTIONS-PROD",
      "dynamodb-merchant-risk-dev",
    ].map((name) => isStreamTable(name, { includes: "transactions" }));

    // Assess
    expect(verdicts).to.deep.equal([true, true, false]);
  });
});

describe("Function: deniesInsecureTransport", () => {
  it("recognises the Deny for every principal on aws:SecureTransport false, in its spellings", () => {
    // Prepare
    const deny = (principal: unknown, value: unknown) =>
      document({
        Effect: "Deny",
        Principal: principal,
        Action: "sqs:*",
        Condition: { Bool: { "aws:SecureTransport": value } },
      });

    // Act
    const verdicts = [
      deny("*", "false"),
      deny({ AWS: "*" }, false),
      deny({ Service: "sns.amazonaws.com" }, "false"),
      deny("*", "true"),
    ];

    // Assess
    expect(verdicts.map(deniesInsecureTransport)).to.deep.equal([true, true, false, false]);
  });
});

describe("Function: checkTlsOnlyInStack", () => {
  it("links a queue policy by its queueUrl value when the engine recorded no dependency, and accepts an inline policy", () => {
    // Prepare
    const url = "https://sqs.us-east-1.amazonaws.com/1/sqs-a-dev";
    const queue = { urn: "urn:q", type: "aws:sqs/queue:Queue", name: "a", props: { url } };
    const attached = {
      urn: "urn:qp",
      type: "aws:sqs/queuePolicy:QueuePolicy",
      name: "a",
      props: { queueUrl: url, policy: tlsOnlyDocument("sqs", "arn") },
    };
    const inline = {
      urn: "urn:t",
      type: "aws:sns/topic:Topic",
      name: "t",
      props: { policy: tlsOnlyDocument("sns", "arn") },
    };
    const bare = { urn: "urn:b", type: "aws:sqs/queue:Queue", name: "b", props: { url: `${url}-other` } };

    // Act
    const violations = checkTlsOnlyInStack([queue, attached, inline, bare]);

    // Assess
    expect(violations.map((v) => v.urn)).to.deep.equal(["urn:b"]);
  });
});

describe("Function: isAlertsQueue", () => {
  it("matches the alerts queue and not its dead-letter queue, ignoring case", () => {
    // Prepare
    const matcher = { includes: "fraud-alerts", excludes: "dlq" };

    // Act
    const verdicts = [
      "sqs-fraud-alerts-dev",
      "sqs-fraud-alerts-dlq-dev",
      "SQS-FRAUD-ALERTS-PROD",
      "sqs-stream-failures-dev",
    ].map((name) => isAlertsQueue(name, matcher));

    // Assess
    expect(verdicts).to.deep.equal([true, false, true, false]);
  });
});

describe("Function: effectiveTags", () => {
  it("overlays resource tags on the provider's default tags, given as JSON text or an object", () => {
    // Prepare
    const asText = { defaultTags: '{"tags":{"CostCenter":"fraud-detection","Environment":"production"}}' };
    const asObject = { defaultTags: { tags: { CostCenter: "fraud-detection" } } };

    // Act
    const fromText = effectiveTags({ Environment: "dev" }, asText);
    const fromObject = effectiveTags(undefined, asObject);

    // Assess
    expect(fromText).to.deep.equal({ CostCenter: "fraud-detection", Environment: "dev" });
    expect(fromObject).to.deep.equal({ CostCenter: "fraud-detection" });
  });
});

describe("Function: isSet", () => {
  it("sees an unknown preview value as set without tripping the engine's unknown-value proxy", () => {
    // Prepare
    const props = unknownCheckingProxy({ kmsKeyArn: "04da6b54-80e4-46f7-96ec-b56ff0331ba9", empty: "" });

    // Act
    const verdicts = [isSet(props, "kmsKeyArn"), isSet(props, "empty"), isSet(props, "absent")];

    // Assess
    expect(verdicts).to.deep.equal([true, false, false]);
    expect(String(thrownBy(() => props.kmsKeyArn))).to.match(/can't be known during preview/);
  });
});

describe("Function: stackOfUrn", () => {
  it("reads the stack name from a URN", () => {
    // Prepare
    const urn =
      "urn:pulumi:prod::fraud-pipeline::fraud-pipeline:index:FraudPipeline$aws:sqs/queue:Queue::alerts";

    // Act
    const stack = stackOfUrn(urn);

    // Assess
    expect(stack).to.equal("prod");
  });
});

describe("Function: checkPhysicalName", () => {
  const ALARM = { type: "aws:cloudwatch/metricAlarm:MetricAlarm", name: "api-5xx-rate" };
  const DASHBOARD = { type: "aws:cloudwatch/dashboard:Dashboard", name: "fraud-pipeline" };

  it("accepts cw-alarm-{purpose}-{suffix} alarms and a cw-dashboard-{purpose}-{suffix} dashboard", () => {
    // Act
    const verdicts = [
      checkPhysicalName(ALARM, { name: "cw-alarm-api-5xx-rate-dev" }, "{stack}", "dev"),
      checkPhysicalName(DASHBOARD, { dashboardName: "cw-dashboard-fraud-pipeline-dev" }, "{stack}", "dev"),
    ];

    // Assess
    expect(verdicts).to.deep.equal([[], []]);
  });

  it("flags an alarm without its type word and a dashboard left without a name", () => {
    // Act
    const verdicts = [
      checkPhysicalName(ALARM, { name: "api-5xx-rate-dev" }, "{stack}", "dev"),
      checkPhysicalName(DASHBOARD, { dashboardName: undefined }, "{stack}", "dev"),
    ];

    // Assess
    expect(verdicts[0]?.length).to.equal(1);
    expect(verdicts[0]?.[0] ?? "").to.match(/name is "api-5xx-rate-dev".*\^cw-alarm-/);
    expect(verdicts[1]?.length).to.equal(1);
    expect(verdicts[1]?.[0] ?? "").to.match(/dashboardName is not set.*\^cw-dashboard-/);
  });
});
