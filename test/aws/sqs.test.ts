import {
  KmsAccessDenied,
  SendMessageBatchCommand,
  SQSClient,
  SQSServiceException,
} from "@aws-sdk/client-sqs";
import { expect } from "chai";
import { makeSqsAlertQueue } from "../../pipeline/runtime/aws/sqs";
import { errorCode } from "../../pipeline/runtime/errors";
import { fraudAlert } from "../helpers/alerts";
import { useClientMock } from "../helpers/aws-mocks";

const QUEUE_URL = "https://sqs.us-east-1.amazonaws.com/123456789012/sqs-fraud-alerts-dev";

const alerts = (count: number) =>
  Array.from({ length: count }, (_, i) => fraudAlert({ transaction_id: `tx-${i}` }));

describe("Function: makeSqsAlertQueue", () => {
  const sqs = useClientMock(SQSClient);

  it("sends each alert as a JSON message, in batches of at most 10", async () => {
    // Prepare
    sqs()
      .on(SendMessageBatchCommand)
      .callsFake((input: { Entries: { Id: string }[] }) => ({
        Successful: input.Entries.map((entry) => ({
          Id: entry.Id,
          MessageId: `sqs-${entry.Id}`,
          MD5OfMessageBody: "x",
        })),
        Failed: [],
      }));
    const sent = alerts(23);
    const queue = makeSqsAlertQueue({ client: new SQSClient({}), queueUrl: QUEUE_URL });

    // Act
    const result = await queue.sendAlerts(sent);

    // Assess
    expect(result).to.deep.equal({ failed: [] });
    const inputs = sqs()
      .commandCalls(SendMessageBatchCommand)
      .map((call) => call.args[0].input);
    expect(inputs.map((input) => input.Entries?.length)).to.deep.equal([10, 10, 3]);
    expect(inputs.every((input) => input.QueueUrl === QUEUE_URL)).to.be.ok;
    const bodies = inputs.flatMap((input) => input.Entries!.map((entry) => JSON.parse(entry.MessageBody!)));
    expect(bodies).to.deep.equal(sent);
    expect(inputs[2].Entries!.map((entry) => entry.Id)).to.deep.equal(["m0", "m1", "m2"]);
  });

  it("reports the entries SQS lists as failed, with SQS's code for each", async () => {
    // Prepare
    sqs()
      .on(SendMessageBatchCommand)
      .resolves({
        Successful: [
          { Id: "m0", MessageId: "a", MD5OfMessageBody: "x" },
          { Id: "m2", MessageId: "c", MD5OfMessageBody: "x" },
        ],
        Failed: [{ Id: "m1", SenderFault: false, Code: "InternalError", Message: "try again" }],
      });
    const queue = makeSqsAlertQueue({ client: new SQSClient({}), queueUrl: QUEUE_URL });

    // Act
    const result = await queue.sendAlerts(alerts(3));

    // Assess
    expect(result).to.deep.equal({ failed: [{ transactionId: "tx-1", code: "InternalError" }] });
  });

  it("reports an entry missing from both lists as not sent, code NotReported", async () => {
    // Prepare
    sqs()
      .on(SendMessageBatchCommand)
      .resolves({ Successful: [{ Id: "m0", MessageId: "a", MD5OfMessageBody: "x" }], Failed: [] });
    const queue = makeSqsAlertQueue({ client: new SQSClient({}), queueUrl: QUEUE_URL });

    // Act
    const result = await queue.sendAlerts(alerts(2));

    // Assess
    expect(result.failed).to.deep.equal([{ transactionId: "tx-1", code: "NotReported" }]);
  });

  it("rejects when a batch call is refused, with SQS's error as the cause, after every call settled", async () => {
    // Prepare
    sqs()
      .on(SendMessageBatchCommand)
      .rejectsOnce(
        new SQSServiceException({
          name: "RequestThrottled",
          $fault: "client",
          $metadata: {},
          message: "throttled",
        }),
      )
      .callsFake((input: { Entries: { Id: string }[] }) => ({
        Successful: input.Entries.map((entry) => ({ Id: entry.Id, MessageId: "ok", MD5OfMessageBody: "x" })),
        Failed: [],
      }));
    const queue = makeSqsAlertQueue({ client: new SQSClient({}), queueUrl: QUEUE_URL });

    // Act
    const sending = queue.sendAlerts(alerts(12));

    // Assess
    const error: unknown = await sending.then(
      () => undefined,
      (reason: unknown) => reason,
    );
    expect(error).to.be.instanceOf(Error);
    expect((error as Error).message).to.equal(
      `SQS SendMessageBatch refused 1 of 2 calls to ${QUEUE_URL} (RequestThrottled)`,
    );
    expect((error as Error).cause).to.be.instanceOf(SQSServiceException);
    expect(sqs().commandCalls(SendMessageBatchCommand)).to.have.length(2);
  });

  it("keeps a KMS refusal's name and HTTP status reachable through the cause", async () => {
    // Prepare
    sqs()
      .on(SendMessageBatchCommand)
      .rejects(
        new KmsAccessDenied({
          $metadata: { httpStatusCode: 400 },
          message: "The ciphertext refers to a customer master key that does not exist",
        }),
      );
    const queue = makeSqsAlertQueue({ client: new SQSClient({}), queueUrl: QUEUE_URL });

    // Act
    const error: unknown = await queue.sendAlerts(alerts(1)).then(
      () => undefined,
      (reason: unknown) => reason,
    );

    // Assess
    expect(errorCode(error)).to.deep.equal({ errorName: "KmsAccessDenied", httpStatusCode: 400 });
  });

  it("does not call SQS for no alerts", async () => {
    // Prepare
    const queue = makeSqsAlertQueue({ client: new SQSClient({}), queueUrl: QUEUE_URL });

    // Act
    const result = await queue.sendAlerts([]);

    // Assess
    expect(result).to.deep.equal({ failed: [] });
    expect(sqs().commandCalls(SendMessageBatchCommand).length).to.equal(0);
  });
  it("sends only characters SQS allows, and the alert survives the round trip", async () => {
    // Prepare: the contract accepts any merchant_id string, noncharacters and lone surrogates included
    sqs()
      .on(SendMessageBatchCommand)
      .callsFake((input: { Entries: { Id: string }[] }) => ({
        Successful: input.Entries.map((entry) => ({
          Id: entry.Id,
          MessageId: entry.Id,
          MD5OfMessageBody: "x",
        })),
        Failed: [],
      }));
    const alert = fraudAlert({ merchant_id: "shop\uFFFF\uFFFE\ud800\u0001\u{1F600}" });
    const queue = makeSqsAlertQueue({ client: new SQSClient({}), queueUrl: QUEUE_URL });

    // Act
    const result = await queue.sendAlerts([alert]);

    // Assess
    expect(result).to.deep.equal({ failed: [] });
    const body = sqs().commandCalls(SendMessageBatchCommand)[0].args[0].input.Entries![0].MessageBody!;
    const allowed = /^[\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]*$/u;
    expect(body).to.match(allowed);
    expect(JSON.parse(body)).to.deep.equal(alert);
  });
});
