import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from "aws-lambda";
import { expect } from "chai";
import { makeTransactionCodec } from "../../pipeline/runtime/contract/codec";
import type { FraudAlert } from "../../pipeline/runtime/contract/transaction";
import { parseRulesConfig } from "../../pipeline/runtime/detect/config";
import { makeDetectHandler } from "../../pipeline/runtime/detect/handler";
import { loadArtifact } from "../helpers/artifact";
import { insertRecord, streamEvent, streamRecord } from "../helpers/streams";
import { FIXED_NOW, lambdaContext, validTransaction } from "../helpers/transactions";

type Handler = (event: DynamoDBStreamEvent, context: unknown) => Promise<DynamoDBBatchResponse>;

/**
 * A factory that composes the detector core the way the Lambda factory does, with in-memory ports
 * that expose what they received on `globalThis` (the artifact is a separate module instance).
 */
function detectCoreFactory() {
  const sent: FraudAlert[] = [];
  const verdicts: string[] = [];
  (globalThis as Record<string, unknown>).__detectArtifact = { sent, verdicts };
  return makeDetectHandler({
    history: { recentForAccount: async () => [] },
    verdicts: {
      recordVerdict: async (key, verdict) => {
        verdicts.push(`${key.transaction_id}:${verdict.verdict}`);
        return { first: true };
      },
    },
    alerts: {
      sendAlerts: async (alerts) => {
        sent.push(...alerts);
        return { failed: [] };
      },
    },
    merchantProfiles: { profiles: async () => new Map() },
    merchantCounts: { addToBuckets: async () => undefined },
    config: parseRulesConfig('{"threshold": 40}'),
    codec: makeTransactionCodec(),
    now: () => 1_764_072_000_000,
    log: { info: () => undefined, warn: () => undefined, error: () => undefined },
    metrics: { count: () => undefined, flush: () => undefined },
  });
}

describe("Function: makeDetectHandler (serialized artifact)", () => {
  it("decodes, assesses, alerts and reports failures after Pulumi serialization", async () => {
    // Prepare
    const artifact = await loadArtifact<Handler>(detectCoreFactory);
    const flagged = insertRecord(
      validTransaction({ transaction_id: "big", amount: 1_500_000, timestamp: FIXED_NOW }),
    );
    const broken = streamRecord("INSERT", {
      newItem: { ...validTransaction({ transaction_id: "bad" }), amount: 0 },
    });
    const ordinary = insertRecord(validTransaction({ transaction_id: "ok" }));

    try {
      // Act
      const response = await artifact.handler(streamEvent([flagged, broken, ordinary]), lambdaContext());

      // Assess
      const seen = (globalThis as Record<string, unknown>).__detectArtifact as {
        sent: FraudAlert[];
        verdicts: string[];
      };
      expect(response).to.deep.equal({
        batchItemFailures: [{ itemIdentifier: broken.dynamodb?.SequenceNumber }],
      });
      expect(seen.sent.map((a) => [a.transaction_id, a.rules[0].reason])).to.deep.equal([
        ["big", "amount 15000.00 USD is 1.5x the limit of 10000.00 USD"],
      ]);
      expect(seen.verdicts.sort()).to.deep.equal(["big:flagged", "ok:cleared"]);
    } finally {
      artifact.dispose();
    }
  });
});
