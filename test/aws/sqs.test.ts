import { SendMessageBatchCommand, SQSClient, SQSServiceException } from "@aws-sdk/client-sqs";
import { expect } from "chai";
import { makeSqsAlertQueue } from "../../pipeline/runtime/aws/sqs";
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

  it("reports the transaction ids of entries SQS lists as failed", async () => {
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
    expect(result).to.deep.equal({ failed: ["tx-1"] });
  });

  it("reports every alert of a batch call that was rejected, and keeps the other batches", async () => {
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
    const result = await queue.sendAlerts(alerts(12));

    // Assess
    expect(result.failed).to.deep.equal([
      "tx-0",
      "tx-1",
      "tx-2",
      "tx-3",
      "tx-4",
      "tx-5",
      "tx-6",
      "tx-7",
      "tx-8",
      "tx-9",
    ]);
    expect(sqs().commandCalls(SendMessageBatchCommand).length).to.equal(2);
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
