/**
 * Builds the API Gateway REST (v1) proxy event that the deployed integration hands to
 * process-transaction, from a request the local server received.
 */
import { randomUUID } from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";
import type { APIGatewayProxyEvent } from "aws-lambda";
import { LOCAL_ACCOUNT } from "./lambda-context";

/** Stage name the local API pretends to be deployed at. */
const LOCAL_STAGE = "local";

/** What the server knows about one request. */
export interface ReceivedRequest {
  readonly method: string;
  /** Path without query string, e.g. `/transactions`. */
  readonly path: string;
  /** API Gateway resource template, e.g. `/transactions`. */
  readonly resource: string;
  readonly query: URLSearchParams;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  readonly sourceIp: string;
  readonly requestId: string;
  /** Epoch milliseconds the request arrived. */
  readonly receivedAt: number;
}

function headerMaps(headers: IncomingHttpHeaders): {
  single: Record<string, string>;
  multi: Record<string, string[]>;
} {
  const single: Record<string, string> = {};
  const multi: Record<string, string[]> = {};
  for (const name in headers) {
    const value = headers[name];
    if (value === undefined) continue;
    const values = Array.isArray(value) ? value : [value];
    multi[name] = values;
    single[name] = values[values.length - 1];
  }
  return { single, multi };
}

function queryMaps(query: URLSearchParams): {
  single: Record<string, string> | null;
  multi: Record<string, string[]> | null;
} {
  if (query.size === 0) return { single: null, multi: null };
  const single: Record<string, string> = {};
  const multi: Record<string, string[]> = {};
  for (const key of new Set(query.keys())) {
    multi[key] = query.getAll(key);
    single[key] = multi[key][multi[key].length - 1];
  }
  return { single, multi };
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"] as const;

/** `dd/MMM/yyyy:HH:mm:ss +0000`, the format of `requestContext.requestTime`. */
function formatRequestTime(epochMs: number): string {
  const d = new Date(epochMs);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${pad(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} +0000`;
}

/** The request time of the last second asked for: under load, thousands of requests share one. */
let lastSecond = Number.NaN;
let lastRequestTime = "";

function requestTime(epochMs: number): string {
  const second = Math.floor(epochMs / 1000);
  if (second !== lastSecond) {
    lastRequestTime = formatRequestTime(epochMs);
    lastSecond = second;
  }
  return lastRequestTime;
}

/**
 * The proxy event for one request, shaped like API Gateway's (REST API, Lambda proxy integration).
 *
 * @example
 * const event = apiGatewayEvent({ method: "POST", path: "/transactions", resource: "/transactions",
 *   query: new URLSearchParams(), headers: req.headers, body, sourceIp: "127.0.0.1",
 *   requestId: randomUUID(), receivedAt: Date.now() });
 */
function apiGatewayEvent(request: ReceivedRequest): APIGatewayProxyEvent {
  const headers = headerMaps(request.headers);
  const query = queryMaps(request.query);
  const apiKey = headers.single["x-api-key"] ?? null;
  return {
    resource: request.resource,
    path: request.path,
    httpMethod: request.method,
    headers: headers.single,
    multiValueHeaders: headers.multi,
    queryStringParameters: query.single,
    multiValueQueryStringParameters: query.multi,
    pathParameters: null,
    stageVariables: null,
    requestContext: {
      accountId: LOCAL_ACCOUNT,
      apiId: "local",
      authorizer: undefined,
      domainName: headers.single.host ?? "127.0.0.1",
      domainPrefix: "local",
      extendedRequestId: randomUUID(),
      httpMethod: request.method,
      identity: {
        accessKey: null,
        accountId: null,
        apiKey,
        apiKeyId: apiKey === null ? null : "local-api-key",
        caller: null,
        clientCert: null,
        cognitoAuthenticationProvider: null,
        cognitoAuthenticationType: null,
        cognitoIdentityId: null,
        cognitoIdentityPoolId: null,
        principalOrgId: null,
        sourceIp: request.sourceIp,
        user: null,
        userAgent: headers.single["user-agent"] ?? null,
        userArn: null,
      },
      path: `/${LOCAL_STAGE}${request.path}`,
      protocol: "HTTP/1.1",
      requestId: request.requestId,
      requestTime: requestTime(request.receivedAt),
      requestTimeEpoch: request.receivedAt,
      resourceId: "local",
      resourcePath: request.resource,
      stage: LOCAL_STAGE,
    },
    body: request.body,
    isBase64Encoded: false,
  };
}

export { apiGatewayEvent, LOCAL_STAGE };
