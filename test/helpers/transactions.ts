/**
 * Fixture factories for transactions and the API Gateway events that carry them. Every test that
 * needs a transaction, a POST /transactions event or a Lambda context builds it here.
 */
import type { APIGatewayProxyEvent, Context } from "aws-lambda";
import fc from "fast-check";
import { CHANNELS, LIMITS, type Transaction } from "../../pipeline/runtime/contract/transaction";

/** A fixed wall clock for tests: 2025-11-25T12:00:00Z. */
const FIXED_NOW = Date.UTC(2025, 10, 25, 12, 0, 0);

/** Request id of the default Lambda context. */
const REQUEST_ID = "c6af9ac6-7b61-11e6-9a41-93e8deadbeef";

/** API Gateway's request id in the default proxy event. */
const API_REQUEST_ID = "api-request-0001";

/**
 * A valid transaction with only the required fields, one minute before `FIXED_NOW`.
 *
 * @example
 * const tx = validTransaction({ amount: 250_00 });
 */
function validTransaction(overrides: Partial<Transaction> = {}): Transaction {
  return {
    transaction_id: "tx-0001",
    account_id: "acc-0001",
    amount: 12_34,
    currency: "USD",
    timestamp: FIXED_NOW - 60_000,
    merchant_id: "merchant-0001",
    ...overrides,
  };
}

/**
 * A valid transaction with every optional field set.
 *
 * @example
 * const tx = fullTransaction({ channel: "atm" });
 */
function fullTransaction(overrides: Partial<Transaction> = {}): Transaction {
  return validTransaction({
    merchant_category: "5411",
    channel: "online",
    location: { latitude: 40.7128, longitude: -74.006 },
    country: "US",
    ...overrides,
  });
}

/**
 * A request body built from a valid transaction with fields replaced by any value (also invalid
 * ones) and fields removed.
 *
 * @example
 * const body = transactionBody({ amount: "12.34" }, ["currency"]);
 */
function transactionBody(overrides: Record<string, unknown> = {}, omit: readonly string[] = []) {
  const body: Record<string, unknown> = { ...validTransaction(), ...overrides };
  for (const field of omit) delete body[field];
  return body;
}

/**
 * A POST /transactions API Gateway REST proxy event. `body` is sent as is when it is a string (or
 * null), otherwise JSON-encoded.
 *
 * @example
 * const event = apiGatewayEvent(validTransaction(), { isBase64Encoded: false });
 */
function apiGatewayEvent(body: unknown, overrides: Partial<APIGatewayProxyEvent> = {}): APIGatewayProxyEvent {
  const text = typeof body === "string" || body === null ? body : JSON.stringify(body);
  return {
    resource: "/transactions",
    path: "/transactions",
    httpMethod: "POST",
    headers: { "Content-Type": "application/json", "x-api-key": "test-api-key" },
    multiValueHeaders: { "Content-Type": ["application/json"], "x-api-key": ["test-api-key"] },
    queryStringParameters: null,
    multiValueQueryStringParameters: null,
    pathParameters: null,
    stageVariables: null,
    body: text,
    isBase64Encoded: false,
    requestContext: {
      accountId: "123456789012",
      apiId: "abcdef1234",
      authorizer: undefined,
      protocol: "HTTP/1.1",
      httpMethod: "POST",
      identity: {
        accessKey: null,
        accountId: null,
        apiKey: "test-api-key",
        apiKeyId: "key-id-1",
        caller: null,
        clientCert: null,
        cognitoAuthenticationProvider: null,
        cognitoAuthenticationType: null,
        cognitoIdentityId: null,
        cognitoIdentityPoolId: null,
        principalOrgId: null,
        sourceIp: "203.0.113.7",
        user: null,
        userAgent: "test-client/1.0",
        userArn: null,
      },
      path: "/dev/transactions",
      stage: "dev",
      requestId: API_REQUEST_ID,
      requestTimeEpoch: FIXED_NOW,
      resourceId: "res123",
      resourcePath: "/transactions",
    },
    ...overrides,
  };
}

/**
 * A Lambda context for the process-transaction function.
 *
 * @example
 * const context = lambdaContext({ awsRequestId: "req-42" });
 */
function lambdaContext(overrides: Partial<Context> = {}): Context {
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: "lambda-process-transaction-dev",
    functionVersion: "$LATEST",
    invokedFunctionArn: "arn:aws:lambda:us-east-1:123456789012:function:lambda-process-transaction-dev",
    memoryLimitInMB: "512",
    awsRequestId: REQUEST_ID,
    logGroupName: "/aws/lambda/lambda-process-transaction-dev",
    logStreamName: "2025/11/25/[$LATEST]0123456789abcdef",
    getRemainingTimeInMillis: () => 10_000,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
    ...overrides,
  };
}

/**
 * Arbitrary valid transactions. With `now`, timestamps fall inside the recency window around it;
 * without, anywhere in the contract's range. Free text uses the whole printable Unicode range.
 *
 * @example
 * fc.assert(fc.property(transactionArbitrary({ now: FIXED_NOW }), (tx) => ...));
 */
function transactionArbitrary(options: { now?: number } = {}): fc.Arbitrary<Transaction> {
  const id = fc.stringMatching(new RegExp(LIMITS.idPattern));
  const timestamp =
    options.now === undefined
      ? fc.integer({ min: LIMITS.timestampMin, max: LIMITS.timestampMax })
      : fc.integer({ min: options.now - LIMITS.maxAgeMs, max: options.now + LIMITS.maxFutureSkewMs });
  const coordinate = (limit: number) => fc.double({ min: -limit, max: limit, noNaN: true });
  const printable = new RegExp(LIMITS.textPattern, "u");
  const text = (maxLength: number) =>
    fc.string({ unit: "binary", minLength: 1, maxLength }).filter((s) => printable.test(s));
  return fc.record(
    {
      transaction_id: id,
      account_id: id,
      amount: fc.integer({ min: LIMITS.amountMin, max: LIMITS.amountMax }),
      currency: fc.stringMatching(new RegExp(LIMITS.currencyPattern)),
      timestamp,
      merchant_id: text(LIMITS.merchantIdMaxLength),
      merchant_category: text(LIMITS.merchantCategoryMaxLength),
      channel: fc.constantFrom(...CHANNELS),
      location: fc.record({
        latitude: coordinate(LIMITS.latitudeMax),
        longitude: coordinate(LIMITS.longitudeMax),
      }),
      country: fc.stringMatching(new RegExp(LIMITS.countryPattern)),
    },
    { requiredKeys: ["transaction_id", "account_id", "amount", "currency", "timestamp", "merchant_id"] },
  );
}

export {
  API_REQUEST_ID,
  apiGatewayEvent,
  FIXED_NOW,
  fullTransaction,
  lambdaContext,
  REQUEST_ID,
  transactionArbitrary,
  transactionBody,
  validTransaction,
};
