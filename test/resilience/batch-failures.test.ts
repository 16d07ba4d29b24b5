/**
 * Malformed stream records and SQS bodies at random positions of random batches: exactly those
 * fail (batchItemFailures), each is logged by its id, and every other record is processed. Then,
 * through the local pipeline, the failures end in the DLQs while everything else completes.
 * Property versions of the example cases in test/detect/handler.test.ts and test/notify/handler.test.ts.
 */

import type { DynamoDBRecord } from "aws-lambda";
import { expect } from "chai";
import fc from "fast-check";
import { readOutbox } from "../../local/outbox-topic";
import { makeTransactionCodec } from "../../pipeline/runtime/contract/codec";
import { ITEM_ATTRIBUTES, toItem } from "../../pipeline/runtime/contract/item";
import type { Transaction } from "../../pipeline/runtime/contract/transaction";
import { DEFAULT_RULES_CONFIG } from "../../pipeline/runtime/detect/config";
import { makeDetectHandler } from "../../pipeline/runtime/detect/handler";
import { makeAlertCodec } from "../../pipeline/runtime/notify/alert-codec";
import { makeNotifyHandler } from "../../pipeline/runtime/notify/handler";
import { fraudAlert, memoryLedger, recordingLog, recordingNotifier, sqsEvent } from "../helpers/alerts";
import {
  memoryAlerts,
  memoryHistory,
  memoryLog,
  memoryMerchants,
  memoryMetrics,
  memoryVerdicts,
} from "../helpers/detect";
import { liveTransaction, postJson, removeDir, startTestPipeline, tempDir } from "../helpers/local";
import { insertRecord, modifyRecord, removeRecord, streamEvent, streamRecord } from "../helpers/streams";
import { FIXED_NOW, lambdaContext, validTransaction } from "../helpers/transactions";

const SEED = 7_2025;
/** Twice the default USD limit: high-amount alone flags it. */
const FLAGGED_AMOUNT = 2 * DEFAULT_RULES_CONFIG.rules.highAmount.limits.USD;
/** Marks malformed message bodies, so a test can prove no log line quotes one. */
const MARKER = "PAYLOAD-MARKER";

const GOOD_RECORDS = ["cleared", "flagged", "modify", "remove"] as const;
const BAD_RECORDS = [
  "noNewImage",
  "negativeAmount",
  "amountAsString",
  "lowerCaseCurrency",
  "missingMerchant",
  "latitudeOutOfRange",
  "unknownAttributeType",
  "numberNotANumber",
  "hugeNumber",
] as const;
type RecordKind = (typeof GOOD_RECORDS)[number] | (typeof BAD_RECORDS)[number];

/** The stream record of one kind at position `i`; each position has its own account. */
function recordOf(kind: RecordKind, i: number): DynamoDBRecord {
  const tx = validTransaction({
    transaction_id: `rec-${i}`,
    account_id: `acct-${i}`,
    amount: kind === "flagged" ? FLAGGED_AMOUNT : 12_34,
  });
  const item = toItem(tx, FIXED_NOW);
  const broken = (changes: Record<string, unknown>) =>
    streamRecord("INSERT", { newItem: { ...item, ...changes } });
  const withAttribute = (attribute: Record<string, string>) => {
    const record = insertRecord(tx);
    (record.dynamodb?.NewImage as Record<string, unknown>).amount = attribute;
    return record;
  };
  switch (kind) {
    case "cleared":
    case "flagged":
      return insertRecord(tx);
    case "modify":
      return modifyRecord(tx);
    case "remove":
      return removeRecord(tx);
    case "noNewImage":
      return streamRecord("INSERT", { oldItem: item });
    case "negativeAmount":
      return broken({ amount: -5 });
    case "amountAsString":
      return broken({ amount: "12.34" });
    case "lowerCaseCurrency":
      return broken({ currency: "usd" });
    case "missingMerchant":
      return broken({ merchant_id: undefined });
    case "latitudeOutOfRange":
      return broken({ location: { latitude: 999, longitude: 0 } });
    case "unknownAttributeType":
      return withAttribute({ Q: "1" });
    case "numberNotANumber":
      return withAttribute({ N: "abc" });
    case "hugeNumber":
      return withAttribute({ N: "123456789012345678901234567890" });
  }
}

const MALFORMED_BODIES = [
  `{not json ${MARKER}`,
  "",
  "null",
  `["${MARKER}"]`,
  `"${MARKER}"`,
  JSON.stringify({ ...fraudAlert(), amount: MARKER }),
  JSON.stringify({ ...fraudAlert(), transaction_id: `tx ${MARKER}` }),
  JSON.stringify({ ...fraudAlert(), rules: [{ rule: "high-amount", score: 1, reason: "" }], note: MARKER }),
  JSON.stringify({ ...fraudAlert(), detected_at: -1, note: MARKER }),
  `${"[".repeat(3000)}"${MARKER}"${"]".repeat(3000)}`,
];

const sorted = (values: Iterable<string>) => [...values].sort();

describe("Resilience: makeDetectHandler with malformed records at random positions", () => {
  it("fails exactly the malformed records, logs each by id, and processes all the others", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.constantFrom<RecordKind>(...GOOD_RECORDS, ...BAD_RECORDS), {
          minLength: 1,
          maxLength: 40,
        }),
        async (kinds) => {
          // Prepare
          const records = kinds.map(recordOf);
          const history = memoryHistory([]);
          const alerts = memoryAlerts();
          const verdicts = memoryVerdicts();
          const log = memoryLog();
          const handler = makeDetectHandler({
            history: history.port,
            alerts: alerts.port,
            verdicts: verdicts.port,
            merchantProfiles: memoryMerchants().reader,
            merchantCounts: memoryMerchants().writer,
            log: log.port,
            metrics: memoryMetrics().port,
            config: DEFAULT_RULES_CONFIG,
            codec: makeTransactionCodec(),
            now: () => FIXED_NOW,
          });
          const where = (wanted: readonly string[]) =>
            records.filter((_, i) => wanted.includes(kinds[i] as string));
          const malformed = where(BAD_RECORDS);
          const ids = (rs: readonly DynamoDBRecord[]) =>
            sorted(rs.map((r) => r.dynamodb?.Keys?.transaction_id?.S ?? ""));

          // Act
          const response = await handler(streamEvent(records), lambdaContext());

          // Assess
          expect(response.batchItemFailures.map((f) => f.itemIdentifier)).to.deep.equal(
            malformed.map((r) => r.dynamodb?.SequenceNumber),
          );
          expect(sorted(verdicts.written.map((w) => w.key.transaction_id))).to.deep.equal(
            ids(where(["cleared", "flagged"])),
          );
          expect(sorted(alerts.calls.flat().map((a) => a.transaction_id))).to.deep.equal(
            ids(where(["flagged"])),
          );
          const logged = log.entries
            .filter((e) => e.level === "error")
            .map((e) => String(e.attributes?.eventId));
          expect(sorted(logged)).to.deep.equal(sorted(malformed.map((r) => r.eventID ?? "")));
        },
      ),
      { seed: SEED, numRuns: 300 },
    );
  });
});

describe("Resilience: makeNotifyHandler with malformed bodies at random positions", () => {
  it("fails exactly the malformed messages, logs each by message id without its body, and publishes the others", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.option(fc.constantFrom(...MALFORMED_BODIES), { freq: 3 }), {
          minLength: 1,
          maxLength: 30,
        }),
        async (slots) => {
          // Prepare
          const bodies = slots.map((bad, i) => bad ?? fraudAlert({ transaction_id: `alert-${i}` }));
          const notifier = recordingNotifier();
          const log = recordingLog();
          const handler = makeNotifyHandler({
            notifier,
            ledger: memoryLedger(),
            codec: makeAlertCodec(),
            now: () => FIXED_NOW,
            log,
            metrics: memoryMetrics().port,
            leaseMs: 120_000,
          });
          const malformedIds = slots.flatMap((bad, i) => (bad === null ? [] : [`msg-${i + 1}`]));

          // Act
          const response = await handler(sqsEvent(bodies), lambdaContext());

          // Assess
          expect(sorted(response.batchItemFailures.map((f) => f.itemIdentifier))).to.deep.equal(
            sorted(malformedIds),
          );
          expect(sorted(notifier.published.map((n) => n.transactionId))).to.deep.equal(
            sorted(slots.flatMap((bad, i) => (bad === null ? [`alert-${i}`] : []))),
          );
          const warned = log.entries
            .filter((e) => e.level === "warn")
            .map((e) => String(e.attributes.messageId));
          expect(sorted(warned)).to.deep.equal(sorted(malformedIds));
          expect(JSON.stringify(log.entries).includes(MARKER), "a log line quotes a message body").to.equal(
            false,
          );
        },
      ),
      { seed: SEED, numRuns: 300 },
    );
  });
});

describe("Resilience: malformed records and messages in the local pipeline", () => {
  const ACTIONS = ["cleared", "flagged", "badItem", "badMessage"] as const;

  it("dead-letters exactly the malformed ones while every valid transaction gets its verdict and alert", async function () {
    this.timeout(30_000);
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.constantFrom(...ACTIONS), { minLength: 1, maxLength: 25 }),
        fc.constantFrom(...MALFORMED_BODIES),
        async (actions, badBody) => {
          // Prepare
          const dir = tempDir();
          const local = await startTestPipeline(dir, {
            visibilityTimeoutMs: 20,
            maxReceiveCount: 3,
            streamMaxRetries: 2,
            pollIntervalMs: 2,
          });
          const sent: Transaction[] = [];
          const badItems: string[] = [];
          const badMessages: string[] = [];
          try {
            // Act
            for (const [i, action] of actions.entries()) {
              if (action === "badItem") {
                const id = `bad-item-${i}`;
                badItems.push(id);
                local.table.putIfAbsent({
                  ...liveTransaction({ transaction_id: id, account_id: id }),
                  amount: "lots",
                });
              } else if (action === "badMessage") {
                badMessages.push(`${badBody}${" ".repeat(i)}`);
                local.queue.send(badMessages.at(-1) as string);
              } else {
                const tx = liveTransaction({
                  transaction_id: `good-${i}`,
                  account_id: `acct-${i}`,
                  amount: action === "flagged" ? FLAGGED_AMOUNT : 25_00,
                });
                sent.push(tx);
                expect((await postJson(local.url, "/transactions", tx)).status).to.equal(201);
              }
            }
            await local.idle();

            // Assess
            for (const tx of sent) {
              const item = local.table.get(tx);
              const expected = tx.amount === FLAGGED_AMOUNT ? "flagged" : "cleared";
              expect(item?.[ITEM_ATTRIBUTES.verdict], `${tx.transaction_id} verdict`).to.equal(expected);
            }
            const flaggedIds = sent
              .filter((tx) => tx.amount === FLAGGED_AMOUNT)
              .map((tx) => tx.transaction_id);
            expect(sorted(readOutbox(local.outbox).map((e) => e.transaction_id))).to.deep.equal(
              sorted(flaggedIds),
            );
            const deadMessages = local.queue.deadLetters();
            expect(sorted(deadMessages.map((m) => m.body))).to.deep.equal(sorted(badMessages));
            for (const message of deadMessages) expect(message.receiveCount).to.equal(3);
            const deadRecords = new Set(
              local.feed
                .deadLetters()
                .flatMap((d) => d.records.map((r) => r.dynamodb?.Keys?.transaction_id?.S)),
            );
            for (const id of badItems) expect(deadRecords.has(id), `${id} not in the stream DLQ`).to.be.ok;
          } finally {
            await local.stop();
            removeDir(dir);
          }
        },
      ),
      { seed: SEED, numRuns: 12 },
    );
  });
});
