/**
 * aws-sdk-client-mock wiring shared by the adapter and artifact tests. The mock stubs the client
 * class's prototype, so it lives only while the `describe` block that asked for it runs: other
 * test files can mock the same client without stepping on each other.
 */
import type { MetadataBearer } from "@smithy/types";
import { type AwsStub, mockClient } from "aws-sdk-client-mock";

type MockableClient<I extends object, O extends MetadataBearer, C> = Parameters<
  typeof mockClient<I, O, C>
>[0];

/**
 * Mocks every instance of `client` for the tests of the calling `describe` block: created in
 * `before`, reset after each test, restored in `after`. Returns a getter for the stub.
 *
 * @example
 * describe("Function: makeSnsNotifier", () => {
 *   const sns = useClientMock(SNSClient);
 *   it("publishes", async () => { sns().on(PublishCommand).resolves({}); ... });
 * });
 */
function useClientMock<I extends object, O extends MetadataBearer, C>(client: MockableClient<I, O, C>) {
  let stub: AwsStub<I, O, C> | undefined;
  before(() => {
    stub = mockClient(client);
  });
  afterEach(() => {
    stub?.reset();
  });
  after(() => {
    stub?.restore();
    stub = undefined;
  });
  return (): AwsStub<I, O, C> => {
    if (stub === undefined)
      throw new Error("useClientMock: the stub exists only while the calling describe block runs");
    return stub;
  };
}

export { useClientMock };
