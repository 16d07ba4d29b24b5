/**
 * The local API: plays API Gateway in front of the POST functions (process-transaction at
 * /transactions, record-outcome at /transactions/outcomes). Routes, the API key check, the route's
 * request validator with the gateway's 400 shape, the body size limit (enforced while reading),
 * then the route's handler with a real-shaped proxy event; its result is written back as-is.
 *
 * Unknown paths answer 404 and wrong methods 405 (with `Allow`), both JSON, rather than API
 * Gateway's catch-all 403 "Missing Authentication Token": locally a clear answer helps more.
 */
import { randomUUID } from "node:crypto";
import * as http from "node:http";
import type { AddressInfo, Socket } from "node:net";
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from "aws-lambda";
import type { Log } from "../pipeline/runtime/ports";
import { payloadTooLarge } from "../pipeline/runtime/process/responses";
import { apiGatewayEvent } from "./api-gateway-event";
import { makeApiKeyCheck } from "./api-key";
import type { ValidationResult } from "./request-validator";

export type ProxyHandler = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;

/** One POST route: its model's validator, the function behind it and that function's context. */
export interface PostRoute {
  readonly validate: (body: string) => ValidationResult;
  readonly handler: ProxyHandler;
  readonly context: () => Context;
}

export interface ServerOptions {
  readonly host: string;
  /** 0 picks a free port. */
  readonly port: number;
  /** When set, every POST route requires `x-api-key` to equal it. */
  readonly apiKey?: string;
  readonly maxBodyBytes: number;
  /** Whether every stage behind the API runs: `GET /health` answers 200 only then, 503 otherwise. */
  readonly isReady: () => boolean;
  /** POST routes by path, e.g. `/transactions`. */
  readonly routes: Readonly<Record<string, PostRoute>>;
  readonly log: Log;
  /** When set, `GET /stats` answers what it returns. */
  readonly stats?: () => object;
  /** Admin actions by path: `POST` runs one (behind the API key) and answers what it returns. */
  readonly admin?: Readonly<Record<string, () => object>>;
}

export interface LocalServer {
  readonly port: number;
  /** Requests being handled right now. */
  inFlight(): number;
  /**
   * Stops accepting connections and resolves once in-flight requests are answered, or at
   * `deadline` (epoch ms), when the connections still open are closed; resolves with their count.
   */
  close(deadline: number): Promise<number>;
}

function send(res: http.ServerResponse, status: number, body: object, headers: Record<string, string> = {}) {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    "content-type": "application/json",
    "content-length": Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

/** A request target's path and query: what routing and the proxy event need of it. */
interface Target {
  readonly pathname: string;
  readonly searchParams: URLSearchParams;
}

/** A plain path (letters, digits, `/`, `_`, `-`): nothing for URL parsing to normalise. */
const PLAIN_PATH = /^\/[\w/-]*$/;

/**
 * Splits the request target; a plain path skips the URL parser (a few percent of a request's
 * time), anything else (percent-encoding, dot segments, an absolute URL) goes through it.
 */
function parseTarget(raw: string | undefined): Target {
  const target = raw ?? "/";
  const mark = target.indexOf("?");
  const path = mark < 0 ? target : target.slice(0, mark);
  if (!PLAIN_PATH.test(path)) return new URL(target, "http://localhost");
  return { pathname: path, searchParams: new URLSearchParams(mark < 0 ? "" : target.slice(mark + 1)) };
}

/** Reads the body up to `maxBytes`; resolves `undefined` as soon as it grows past the limit. */
function readBody(req: http.IncomingMessage, maxBytes: number): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    if (Number(req.headers["content-length"] ?? 0) > maxBytes) {
      resolve(undefined);
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        req.off("data", onData);
        resolve(undefined);
        return;
      }
      chunks.push(chunk);
    };
    req.on("data", onData);
    let ended = false;
    req.on("end", () => {
      ended = true;
      resolve(chunks.length === 1 ? chunks[0].toString("utf8") : Buffer.concat(chunks).toString("utf8"));
    });
    req.on("error", reject);
    // Every request closes; only a close before "end" means the connection was cut mid-body (an
    // Error built on every close would cost more than the rest of the request's reading).
    req.on("close", () => {
      if (!ended) reject(new Error("the connection closed before the body was complete"));
    });
  });
}

/**
 * Starts listening; rejects with the listen error (e.g. EADDRINUSE) when the port is taken.
 *
 * @example
 * const server = await startServer({ host: "127.0.0.1", port: 0, maxBodyBytes: 16_384, log, isReady, routes: {
 *   "/transactions": { validate, handler, context: () => lambdaContext("lambda-process-transaction-local", 10_000) } } });
 */
async function startServer(options: ServerOptions): Promise<LocalServer> {
  let inFlight = 0;
  const idleWaiters: (() => void)[] = [];
  const methods = new Map<string, string>([["/health", "GET"]]);
  const stats = options.stats;
  if (stats !== undefined) methods.set("/stats", "GET");
  const admin = options.admin ?? {};
  for (const path of Object.keys(admin)) methods.set(path, "POST");
  for (const path of Object.keys(options.routes)) methods.set(path, "POST");
  const served = [...methods].map(([path, method]) => `${method} ${path}`).join(", ");
  const keyAllowed = options.apiKey === undefined ? undefined : makeApiKeyCheck(options.apiKey);

  const post = async (req: http.IncomingMessage, res: http.ServerResponse, url: Target, route: PostRoute) => {
    const requestId = randomUUID();
    const ids = { "x-amzn-requestid": requestId };
    if (keyAllowed !== undefined && !keyAllowed(req.headers["x-api-key"])) {
      // Ids only: the header's value may be a near miss of the real key.
      options.log.warn("Refused a request without the API key", {
        request_id: requestId,
        path: url.pathname,
        source_ip: req.socket.remoteAddress,
        x_api_key: req.headers["x-api-key"] === undefined ? "missing" : "wrong",
      });
      send(res, 403, { message: "Forbidden" }, ids);
      return;
    }
    const body = await readBody(req, options.maxBodyBytes);
    if (body === undefined) {
      const tooLarge = payloadTooLarge(options.maxBodyBytes, requestId);
      send(res, 413, JSON.parse(tooLarge.body), { ...ids, connection: "close" });
      res.on("finish", () => req.destroy());
      return;
    }
    const validation = route.validate(body);
    if (!validation.ok) {
      send(res, 400, { error: "invalid_request", message: validation.message, request_id: requestId }, ids);
      return;
    }
    const event = apiGatewayEvent({
      method: "POST",
      path: url.pathname,
      resource: url.pathname,
      query: url.searchParams,
      headers: req.headers,
      body,
      sourceIp: req.socket.remoteAddress ?? "127.0.0.1",
      requestId,
      receivedAt: Date.now(),
    });
    const result = await route.handler(event, route.context());
    const payload = result.isBase64Encoded ? Buffer.from(result.body, "base64") : result.body;
    // API Gateway answers with a length, never chunked: one write of headers and body together.
    const headers: Record<string, string | number> = {
      "x-amzn-requestid": requestId,
      "content-length": Buffer.byteLength(payload),
    };
    const returned = result.headers ?? {};
    for (const name in returned) headers[name] = String(returned[name]);
    res.writeHead(result.statusCode, headers);
    res.end(payload);
  };

  const route = async (req: http.IncomingMessage, res: http.ServerResponse) => {
    const url = parseTarget(req.url);
    const allowed = methods.get(url.pathname);
    if (allowed === undefined) {
      send(res, 404, { error: "not_found", message: `No route ${url.pathname}; the API serves ${served}` });
    } else if (req.method !== allowed) {
      send(
        res,
        405,
        { error: "method_not_allowed", message: `${url.pathname} accepts ${allowed} only` },
        { allow: allowed },
      );
    } else if (url.pathname === "/health") {
      if (options.isReady()) send(res, 200, { status: "ok" });
      else send(res, 503, { status: "unavailable", message: "the pipeline is starting or stopping" });
    } else if (url.pathname === "/stats" && stats !== undefined) {
      send(res, 200, stats());
    } else if (Object.hasOwn(admin, url.pathname)) {
      if (keyAllowed !== undefined && !keyAllowed(req.headers["x-api-key"]))
        send(res, 403, { message: "Forbidden" });
      else send(res, 200, admin[url.pathname]());
    } else {
      await post(req, res, url, options.routes[url.pathname]);
    }
  };

  let closing = false;
  const server = http.createServer((req, res) => {
    inFlight += 1;
    // While closing, each answer ends its connection rather than keeping it alive for another.
    if (closing) res.setHeader("connection", "close");
    route(req, res)
      .catch((error: unknown) => {
        // A connection closed under the request (by the client, or at the shutdown deadline):
        // nobody is left to answer.
        if (req.socket.destroyed) return;
        options.log.error("Local API request failed", {
          error: error instanceof Error ? error.message : String(error),
        });
        if (!res.headersSent) send(res, 500, { message: "Internal server error" });
        else res.destroy();
      })
      .finally(() => {
        inFlight -= 1;
        if (inFlight === 0) for (const wake of idleWaiters.splice(0)) wake();
      });
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host, () => {
      server.off("error", reject);
      resolve();
    });
  });

  // Every connection, idle or not, so the deadline can close those still open.
  const sockets = new Set<Socket>();
  server.on("connection", (socket: Socket) => {
    sockets.add(socket);
    socket.once("close", () => sockets.delete(socket));
  });

  return {
    port: (server.address() as AddressInfo).port,
    inFlight: () => inFlight,
    async close(deadline) {
      closing = true;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      let forced = 0;
      const timer = setTimeout(
        () => {
          forced = sockets.size;
          for (const socket of sockets) socket.destroy();
        },
        Math.max(0, deadline - Date.now()),
      );
      if (inFlight > 0) await new Promise<void>((resolve) => idleWaiters.push(resolve));
      server.closeIdleConnections();
      await closed;
      clearTimeout(timer);
      return forced;
    },
  };
}

export { startServer };
