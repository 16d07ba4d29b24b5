import { expect } from "chai";
import { makeTransactionCodec } from "../../pipeline/runtime/contract/codec";
import type { ProcessHandler } from "../../pipeline/runtime/process/handler";
import { makeProcessHandler } from "../../pipeline/runtime/process/handler";
import { type LoadedArtifact, loadArtifact } from "../helpers/artifact";
import {
  apiGatewayEvent,
  FIXED_NOW,
  lambdaContext,
  transactionBody,
  validTransaction,
} from "../helpers/transactions";

/**
 * The codec and the handler core as a function factory over plain fakes, so the test shows that
 * the core itself survives closure serialization (the Lambda factory's own artifact test adds the
 * AWS adapters).
 */
function coreFactory() {
  const codec = makeTransactionCodec();
  const quiet = () => undefined;
  return makeProcessHandler({
    store: { putTransaction: async () => "created" as const },
    codec,
    now: () => FIXED_NOW,
    log: { info: quiet, warn: quiet, error: quiet },
  });
}

describe("Function: makeProcessHandler (serialized)", () => {
  let artifact: LoadedArtifact<ProcessHandler>;

  before(async () => {
    artifact = await loadArtifact<ProcessHandler>(coreFactory);
  });

  after(() => artifact.dispose());

  it("accepts a valid transaction inside the artifact", async () => {
    // Prepare
    const tx = validTransaction();

    // Act
    const response = await artifact.handler(apiGatewayEvent(tx), lambdaContext());

    // Assess
    expect(response.statusCode).to.equal(201);
    expect(artifact.handler.length).to.equal(2);
  });

  it("names nested and unknown fields inside the artifact", async () => {
    // Prepare
    const body = transactionBody({ location: { latitude: 91, longitude: 0 }, pan: "4111" });

    // Act
    const response = await artifact.handler(apiGatewayEvent(body), lambdaContext());

    // Assess
    expect(response.statusCode).to.equal(400);
    expect(JSON.parse(response.body).fields.map((f: { field: string }) => f.field)).to.deep.equal([
      "location.latitude",
      "pan",
    ]);
  });
});
