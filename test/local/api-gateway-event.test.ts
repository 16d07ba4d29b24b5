import { expect } from "chai";
import { apiGatewayEvent, type ReceivedRequest } from "../../local/api-gateway-event";

function request(receivedAt: number, overrides: Partial<ReceivedRequest> = {}): ReceivedRequest {
  return {
    method: "POST",
    path: "/transactions",
    resource: "/transactions",
    query: new URLSearchParams(),
    headers: { host: "127.0.0.1:3000", "x-api-key": "k" },
    body: "{}",
    sourceIp: "127.0.0.1",
    requestId: "req-1",
    receivedAt,
    ...overrides,
  };
}

describe("Function: apiGatewayEvent", () => {
  it("gives each request the request time of its own second, however requests interleave", () => {
    // Prepare: two instants one second apart, and one later in the first second
    const first = Date.UTC(2026, 0, 2, 3, 4, 5, 100);
    const second = first + 1000;

    // Act
    const times = [first, second, first + 500].map(
      (at) => apiGatewayEvent(request(at)).requestContext.requestTime,
    );

    // Assess
    expect(times).to.deep.equal([
      "02/Jan/2026:03:04:05 +0000",
      "02/Jan/2026:03:04:06 +0000",
      "02/Jan/2026:03:04:05 +0000",
    ]);
  });

  it("maps repeated query parameters to their last and all values, and no query to null", () => {
    // Act
    const withQuery = apiGatewayEvent(request(0, { query: new URLSearchParams("a=1&b=2&a=3") }));
    const without = apiGatewayEvent(request(0));

    // Assess
    expect(withQuery.queryStringParameters).to.deep.equal({ a: "3", b: "2" });
    expect(withQuery.multiValueQueryStringParameters).to.deep.equal({ a: ["1", "3"], b: ["2"] });
    expect(without.queryStringParameters).to.equal(null);
    expect(without.multiValueQueryStringParameters).to.equal(null);
  });
});
