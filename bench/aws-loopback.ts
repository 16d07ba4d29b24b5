/**
 * A loopback stand-in for the AWS services the functions call (DynamoDB, SQS, SNS): one HTTP
 * server on 127.0.0.1 that both SDKs reach through an endpoint override (`AWS_ENDPOINT_URL` for
 * SDK v3, the clients' `endpoint` option for aws-sdk v2). It speaks just enough of each protocol
 * for a function's invocation to run to the end:
 *
 * - DynamoDB, AWS JSON 1.0 (`X-Amz-Target: DynamoDB_20120810.<Operation>`): PutItem,
 *   TransactWriteItems (its Puts) and GetItem, BatchGetItem work on an in-memory item store; a
 *   Put's `attribute_not_exists(...)` condition fails when an item with its key (transaction_id
 *   and timestamp, the transactions table's) is stored, with
 *   the error DynamoDB gives (ConditionalCheckFailedException, or TransactionCanceledException with
 *   one reason per item; ALL_OLD returns the stored item). No other condition is evaluated; Query
 *   finds nothing; UpdateItem succeeds without changing the store.
 * - SQS, AWS JSON 1.0 (`X-Amz-Target: AmazonSQS.<Operation>`, what both SDKs use): SendMessage
 *   and SendMessageBatch accept every message, with the body's MD5 the SDKs check.
 * - SNS, the query protocol (form body `Action=Publish`), XML responses: Publish.
 *
 * Every request is logged as `{ service, operation, body }`; `override` replaces an operation's
 * answer (an error, a partial failure).
 */
import { createHash } from "node:crypto";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import type { AttributeValue } from "@aws-sdk/client-dynamodb";

type LoopbackService = "dynamodb" | "sqs" | "sns";

/** An item in DynamoDB's JSON form ({ S: "x" }, { N: "1" }, ... per attribute). */
type ItemJson = Record<string, AttributeValue>;

/** One request the stand-in received: the JSON body, or the form fields of a query request. */
interface LoopbackRequest {
  readonly service: LoopbackService;
  readonly operation: string;
  readonly body: Record<string, unknown>;
}

/** An answer: the operation's result fields, or an AWS error (`code` as AWS names it). */
type LoopbackReply =
  | { readonly result: Record<string, unknown> }
  | {
      readonly error: {
        readonly code: string;
        readonly message: string;
        readonly status?: number;
        /** More fields of the error body (DynamoDB's `Item`, `CancellationReasons`). */
        readonly fields?: Record<string, unknown>;
      };
    };

type Answer = (body: Record<string, unknown>) => LoopbackReply;

interface AwsLoopback {
  /** `http://127.0.0.1:<port>`, for AWS_ENDPOINT_URL or a v2 client's `endpoint`. */
  readonly endpoint: string;
  /**
   * A queue URL on the stand-in. SDK v3's SQS client sends to the QueueUrl's host when it differs
   * from the endpoint AWS_ENDPOINT_URL resolves (and v2's always does), so a queue URL on AWS's host
   * would leave the loopback: give the functions this one.
   */
  queueUrl(name: string): string;
  /** Every request received so far, oldest first. */
  readonly requests: readonly LoopbackRequest[];
  /** Answers `operation` of `service` with `answer` until `reset`. */
  override(service: LoopbackService, operation: string, answer: Answer): void;
  /** Stores a DynamoDB item (AttributeValue JSON) in `table`, replacing one with the same key. */
  putItem(table: string, item: ItemJson): void;
  /** The items stored in `table`. */
  items(table: string): readonly ItemJson[];
  /** Forgets requests, overrides and items. */
  reset(): void;
  close(): Promise<void>;
}

/** The transactions table's key (pipeline/infra): the only table the functions Put items into. */
const KEY_NAMES = ["transaction_id", "timestamp"] as const;

/** The account id in the stand-in's queue URLs. */
const LOOPBACK_ACCOUNT = "123456789012";

/** Largest request body read, bytes: DynamoDB's own request limit is 16 MB. */
const MAX_BODY_BYTES = 16 * 1024 * 1024;

const TARGET_PREFIXES: Readonly<Record<string, LoopbackService>> = {
  DynamoDB_20120810: "dynamodb",
  AmazonSQS: "sqs",
};

/**
 * Environment of a Lambda-like process that sends every SDK v3 call to `endpoint`.
 *
 * @example
 * spawn(node, [script], { env: { ...functionEnv, ...loopbackEnv(aws.endpoint) } });
 */
function loopbackEnv(endpoint: string): Record<string, string> {
  return {
    AWS_ENDPOINT_URL: endpoint,
    AWS_REGION: "us-east-1",
    // Lambda supplies credentials in the environment; the stand-in does not check signatures.
    AWS_ACCESS_KEY_ID: "AKIALOOPBACK",
    AWS_SECRET_ACCESS_KEY: "loopback-secret",
    AWS_SESSION_TOKEN: "loopback-session",
  };
}

const md5 = (text: string) => createHash("md5").update(text, "utf8").digest("hex");

const sameAttribute = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** True when every attribute of `key` is in `item` with the same value. */
function matchesKey(item: ItemJson, key: ItemJson): boolean {
  return Object.entries(key).every(([name, value]) => sameAttribute(item[name], value));
}

/** The in-memory tables: items in insertion order, found by any key's attributes. */
function makeItemStore() {
  const tables = new Map<string, ItemJson[]>();
  const table = (name: string) => {
    let items = tables.get(name);
    if (items === undefined) {
      items = [];
      tables.set(name, items);
    }
    return items;
  };
  const keyOf = (item: ItemJson): ItemJson => Object.fromEntries(KEY_NAMES.map((attr) => [attr, item[attr]]));
  return {
    get: (name: string, key: ItemJson) => table(name).find((item) => matchesKey(item, key)),
    /** The stored item a Put of `item` would replace. */
    existing: (name: string, item: ItemJson) => table(name).find((stored) => matchesKey(stored, keyOf(item))),
    put(name: string, item: ItemJson) {
      const items = table(name);
      const key = keyOf(item);
      const at = items.findIndex((stored) => matchesKey(stored, key));
      if (at >= 0) items[at] = item;
      else items.push(item);
    },
    items: (name: string): readonly ItemJson[] => [...table(name)],
    clear: () => tables.clear(),
  };
}

type ItemStore = ReturnType<typeof makeItemStore>;

interface PutInput {
  readonly TableName: string;
  readonly Item: ItemJson;
  readonly ConditionExpression?: string;
  readonly ReturnValuesOnConditionCheckFailure?: string;
}

/** The stored item a Put's `attribute_not_exists` condition fails on, if any. */
function failedPut(store: ItemStore, put: PutInput): ItemJson | undefined {
  if (!/attribute_not_exists\s*\(/.test(put.ConditionExpression ?? "")) return undefined;
  return store.existing(put.TableName, put.Item);
}

function dynamoAnswers(store: ItemStore): Record<string, Answer> {
  return {
    PutItem(body) {
      const put = body as unknown as PutInput;
      const old = failedPut(store, put);
      if (old !== undefined) {
        return {
          error: {
            code: "ConditionalCheckFailedException",
            message: "The conditional request failed",
            fields: put.ReturnValuesOnConditionCheckFailure === "ALL_OLD" ? { Item: old } : {},
          },
        };
      }
      store.put(put.TableName, put.Item);
      return { result: {} };
    },
    GetItem(body) {
      const item = store.get(String(body.TableName), body.Key as ItemJson);
      return { result: item === undefined ? {} : { Item: item } };
    },
    BatchGetItem(body) {
      const requested = body.RequestItems as Record<string, { Keys: ItemJson[] }>;
      const responses = Object.fromEntries(
        Object.entries(requested).map(([name, { Keys }]) => [
          name,
          Keys.map((key) => store.get(name, key)).filter((item) => item !== undefined),
        ]),
      );
      return { result: { Responses: responses, UnprocessedKeys: {} } };
    },
    TransactWriteItems(body) {
      const actions = body.TransactItems as { Put?: PutInput }[];
      const olds = actions.map((action) =>
        action.Put === undefined ? undefined : failedPut(store, action.Put),
      );
      if (olds.some((old) => old !== undefined)) {
        const reasons = actions.map((action, i) => {
          const old = olds[i];
          if (old === undefined) return { Code: "None" };
          const withItem = action.Put?.ReturnValuesOnConditionCheckFailure === "ALL_OLD";
          return {
            Code: "ConditionalCheckFailed",
            Message: "The conditional request failed",
            ...(withItem && { Item: old }),
          };
        });
        return {
          error: {
            code: "TransactionCanceledException",
            message: `Transaction cancelled, please refer cancellation reasons for specific reasons [${reasons.map((r) => r.Code).join(", ")}]`,
            fields: { CancellationReasons: reasons },
          },
        };
      }
      for (const action of actions)
        if (action.Put !== undefined) store.put(action.Put.TableName, action.Put.Item);
      return { result: {} };
    },
    Query: () => ({ result: { Items: [], Count: 0, ScannedCount: 0 } }),
    UpdateItem: () => ({ result: {} }),
  };
}

let messageCounter = 0;
const messageId = () => `00000000-0000-4000-8000-${(++messageCounter).toString(16).padStart(12, "0")}`;

const SQS_ANSWERS: Record<string, Answer> = {
  SendMessage: (body) => ({
    result: { MessageId: messageId(), MD5OfMessageBody: md5(String(body.MessageBody)) },
  }),
  SendMessageBatch: (body) => ({
    result: {
      Successful: (body.Entries as { Id: string; MessageBody: string }[]).map((entry) => ({
        Id: entry.Id,
        MessageId: messageId(),
        MD5OfMessageBody: md5(entry.MessageBody),
      })),
      Failed: [],
    },
  }),
};

const SNS_ANSWERS: Record<string, Answer> = {
  Publish: () => ({ result: { MessageId: messageId() } }),
};

const escapeXml = (text: string) => text.replace(/[<>&'"]/g, (char) => `&#${char.charCodeAt(0)};`);

const REQUEST_ID = "00000000-0000-4000-8000-000000000000";

/** The query protocol's XML for `reply` to `operation` (result fields rendered as text). */
function queryXml(operation: string, reply: LoopbackReply): { status: number; text: string } {
  if ("error" in reply) {
    const { code, message, status = 400 } = reply.error;
    return {
      status,
      text: `<ErrorResponse><Error><Type>Sender</Type><Code>${escapeXml(code)}</Code><Message>${escapeXml(message)}</Message></Error><RequestId>${REQUEST_ID}</RequestId></ErrorResponse>`,
    };
  }
  const fields = Object.entries(reply.result)
    .map(([name, value]) => `<${name}>${escapeXml(String(value))}</${name}>`)
    .join("");
  return {
    status: 200,
    text: `<${operation}Response xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><${operation}Result>${fields}</${operation}Result><ResponseMetadata><RequestId>${REQUEST_ID}</RequestId></ResponseMetadata></${operation}Response>`,
  };
}

/** AWS JSON 1.0's body for `reply` (an error's type in `__type`, as DynamoDB and SQS send it). */
function jsonBody(reply: LoopbackReply): { status: number; text: string } {
  if ("error" in reply) {
    const { code, message, status = 400, fields = {} } = reply.error;
    return { status, text: JSON.stringify({ __type: code, message, ...fields }) };
  }
  return { status: 200, text: JSON.stringify(reply.result) };
}

function readBody(request: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) request.destroy(new Error(`Request body above ${MAX_BODY_BYTES} bytes`));
      else chunks.push(chunk);
    });
    request.once("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    request.once("error", reject);
  });
}

/** Which service and operation a request is for, and its body as an object. */
function parseRequest(request: http.IncomingMessage, text: string): LoopbackRequest | string {
  const target = request.headers["x-amz-target"];
  if (typeof target === "string") {
    const [prefix, operation = ""] = target.split(".");
    const service = TARGET_PREFIXES[prefix];
    if (service === undefined) return `Unknown X-Amz-Target service "${prefix}"`;
    try {
      return { service, operation, body: text === "" ? {} : JSON.parse(text) };
    } catch {
      return `Body of ${target} is not JSON`;
    }
  }
  const form = Object.fromEntries(new URLSearchParams(text));
  if (typeof form.Action === "string" && typeof form.TopicArn === "string") {
    return { service: "sns", operation: form.Action, body: form };
  }
  return "Neither an X-Amz-Target header nor an SNS query request (Action and TopicArn)";
}

/**
 * Starts the stand-in on 127.0.0.1 at a free port. Point SDK v3 clients at it with
 * `loopbackEnv(endpoint)`; `close` when done.
 *
 * @example
 * const aws = await startAwsLoopback();
 * Object.assign(process.env, loopbackEnv(aws.endpoint));
 * // ... invoke a handler ...
 * aws.requests.filter((r) => r.operation === "Publish").length; // 1
 * await aws.close();
 */
async function startAwsLoopback(): Promise<AwsLoopback> {
  const store = makeItemStore();
  const defaults: Record<LoopbackService, Record<string, Answer>> = {
    dynamodb: dynamoAnswers(store),
    sqs: SQS_ANSWERS,
    sns: SNS_ANSWERS,
  };
  const overrides = new Map<string, Answer>();
  const requests: LoopbackRequest[] = [];

  const answer = (received: LoopbackRequest): LoopbackReply => {
    const handler =
      overrides.get(`${received.service}:${received.operation}`) ??
      defaults[received.service][received.operation];
    if (handler !== undefined) return handler(received.body);
    return {
      error: {
        code: received.service === "sns" ? "InvalidAction" : "UnknownOperationException",
        message: `The loopback stand-in does not implement ${received.service} ${received.operation}`,
      },
    };
  };

  const server = http.createServer((request, response) => {
    readBody(request).then(
      (text) => {
        const received = parseRequest(request, text);
        if (typeof received === "string") {
          response.writeHead(400, { "content-type": "text/plain" }).end(received);
          return;
        }
        requests.push(received);
        const reply = answer(received);
        const rendered = received.service === "sns" ? queryXml(received.operation, reply) : jsonBody(reply);
        response
          .writeHead(rendered.status, {
            "content-type": received.service === "sns" ? "text/xml" : "application/x-amz-json-1.0",
            "x-amzn-requestid": REQUEST_ID,
          })
          .end(rendered.text);
      },
      () => response.destroy(),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    requests,
    queueUrl: (name) => `http://127.0.0.1:${port}/${LOOPBACK_ACCOUNT}/${name}`,
    override: (service, operation, handler) => overrides.set(`${service}:${operation}`, handler),
    putItem: (table, item) => store.put(table, item),
    items: (table) => store.items(table),
    reset() {
      requests.length = 0;
      overrides.clear();
      store.clear();
    },
    close: () =>
      new Promise((resolve, reject) => {
        server.close((error) => (error === undefined ? resolve() : reject(error)));
        server.closeAllConnections();
      }),
  };
}

export type { AwsLoopback, LoopbackReply, LoopbackRequest, LoopbackService };
export { loopbackEnv, startAwsLoopback };
