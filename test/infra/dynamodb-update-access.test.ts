/**
 * Each function's UpdateItem grant against what its adapters really send: every attribute a sent
 * UpdateItem names (key, condition, update expression) is in the statement's `dynamodb:Attributes`,
 * every listed name is used by some request, and the `ReturnValues` allowed are exactly those asked.
 */
import {
  DynamoDBClient,
  GetItemCommand,
  TransactWriteItemsCommand,
  type Update,
  UpdateItemCommand,
  type UpdateItemCommandInput,
} from "@aws-sdk/client-dynamodb";
import { marshall } from "@aws-sdk/util-dynamodb";
import { expect } from "chai";
import { makeDynamoVerdictStore } from "../../pipeline/runtime/aws/dynamodb";
import { makeDynamoNotificationLedger } from "../../pipeline/runtime/aws/dynamodb-ledger";
import { makeDynamoMerchantRiskWriter } from "../../pipeline/runtime/aws/dynamodb-merchant-risk";
import { makeDynamoOutcomeStore } from "../../pipeline/runtime/aws/dynamodb-outcomes";
import { toItem } from "../../pipeline/runtime/contract/item";
import { dayOf } from "../../pipeline/runtime/detect/merchant-risk";
import { detectFraudPolicy } from "../../policies/iam/detect-fraud";
import type { PolicyDocument, Statement } from "../../policies/iam/document";
import { notifyTeamPolicy } from "../../policies/iam/notify-team";
import { recordOutcomePolicy } from "../../policies/iam/record-outcome";
import { useClientMock } from "../helpers/aws-mocks";
import { FUNCTION_ARNS as ARNS } from "../helpers/infra-graph";
import { validOutcome } from "../helpers/outcomes";
import { FIXED_NOW, validTransaction } from "../helpers/transactions";

const TABLE = "dynamodb-transactions-dev";
const MERCHANT_TABLE = "dynamodb-merchant-risk-dev";
const TABLE_ARNS: Readonly<Record<string, string>> = {
  [TABLE]: ARNS.tableArn,
  [MERCHANT_TABLE]: ARNS.merchantRiskTableArn,
};

/** The key attributes of each table. */
const KEY_ATTRIBUTES: Readonly<Record<string, readonly string[]>> = {
  [ARNS.tableArn]: ["transaction_id", "timestamp"],
  [ARNS.merchantRiskTableArn]: ["merchant_id"],
};

/** An update as IAM judges it: the table it targets, the attributes it names, what it asks back. */
interface SentUpdate {
  readonly tableArn: string;
  readonly attributes: readonly string[];
  readonly returnValues: string;
}

/** Words of the expression grammar that are not attribute names. */
const EXPRESSION_KEYWORDS = new Set(["SET", "REMOVE", "ADD", "DELETE", "AND", "OR", "NOT", "BETWEEN", "IN"]);

/** Attribute names written bare in an expression: no `#name`/`:value` token, no function name. */
function bareNames(expression: string | undefined): string[] {
  const withoutTokens = (expression ?? "").replace(/[#:][A-Za-z0-9_]+/g, " ");
  return [...withoutTokens.matchAll(/\b([A-Za-z_][A-Za-z0-9_]*)\b(?!\s*\()/g)]
    .map((match) => match[1] as string)
    .filter((word) => !EXPRESSION_KEYWORDS.has(word));
}

function sentUpdate(input: Update | UpdateItemCommandInput): SentUpdate {
  const tableArn = TABLE_ARNS[input.TableName ?? ""];
  if (tableArn === undefined) throw new Error(`Unexpected table ${input.TableName}`);
  const attributes = new Set([
    ...Object.keys(input.Key ?? {}),
    ...Object.values(input.ExpressionAttributeNames ?? {}),
    ...bareNames(input.UpdateExpression),
    ...bareNames(input.ConditionExpression),
  ]);
  const returnValues = "ReturnValues" in input ? (input.ReturnValues ?? "NONE") : "NONE";
  return { tableArn, attributes: [...attributes].sort(), returnValues };
}

/** The one UpdateItem statement a document has on `resource` (throws when there are more or none). */
function updateStatement(document: PolicyDocument, resource: string): Statement {
  const found = document.Statement.filter(
    (s) =>
      s.Effect === "Allow" &&
      s.Action.includes("dynamodb:UpdateItem") &&
      [s.Resource].flat().includes(resource),
  );
  if (found.length !== 1) throw new Error(`${found.length} UpdateItem statements on ${resource}`);
  return found[0] as Statement;
}

function allowedAttributes(statement: Statement): string[] {
  const condition = statement.Condition ?? {};
  const names =
    condition["ForAllValues:StringEquals"]?.["dynamodb:Attributes"] ??
    condition["ForAllValues:StringLike"]?.["dynamodb:Attributes"];
  return [names ?? []].flat();
}

function allowedReturnValues(statement: Statement): string[] {
  return [statement.Condition?.StringEqualsIfExists?.["dynamodb:ReturnValues"] ?? []].flat();
}

function matches(name: string, allowed: string): boolean {
  return allowed.endsWith("*") ? name.startsWith(allowed.slice(0, -1)) : name === allowed;
}

/**
 * How a grant and the updates sent on its resource differ: names sent but not allowed, names
 * allowed but never sent, ReturnValues sent but not allowed, ReturnValues allowed but never asked.
 */
function drift(statement: Statement, sent: readonly SentUpdate[]) {
  const allowed = allowedAttributes(statement);
  const names = [...new Set(sent.flatMap((update) => update.attributes))];
  const asked = [...new Set(sent.map((update) => update.returnValues))];
  const returnValues = allowedReturnValues(statement);
  return {
    notAllowed: names.filter((name) => !allowed.some((entry) => matches(name, entry))),
    neverSent: allowed.filter((entry) => !names.some((name) => matches(name, entry))),
    returnValuesNotAllowed: asked.filter((value) => !returnValues.includes(value)),
    returnValuesNeverAsked: returnValues.filter((value) => !asked.includes(value)),
  };
}

const NO_DRIFT = { notAllowed: [], neverSent: [], returnValuesNotAllowed: [], returnValuesNeverAsked: [] };

describe("IAM UpdateItem grants against the requests the adapters send", () => {
  const ddb = useClientMock(DynamoDBClient);
  const client = () => new DynamoDBClient({});
  const tx = validTransaction();
  const key = { transaction_id: tx.transaction_id, timestamp: tx.timestamp };
  /** Late enough that the writes remove stale buckets too. */
  const now = FIXED_NOW + 45 * 86_400_000;

  function updatesSent(): SentUpdate[] {
    const single = ddb()
      .commandCalls(UpdateItemCommand)
      .map((call) => sentUpdate(call.args[0].input));
    const transactional = ddb()
      .commandCalls(TransactWriteItemsCommand)
      .flatMap((call) => call.args[0].input.TransactItems ?? [])
      .flatMap((item) => (item.Update === undefined ? [] : [sentUpdate(item.Update)]));
    return [...single, ...transactional];
  }

  function onTable(updates: readonly SentUpdate[], tableArn: string): SentUpdate[] {
    return updates.filter((update) => update.tableArn === tableArn);
  }

  it("detect-fraud: the verdict write-back and the merchant transaction counts", async () => {
    // Prepare
    ddb().on(UpdateItemCommand).resolves({});
    const verdicts = makeDynamoVerdictStore({ client: client(), tableName: TABLE });
    const merchants = makeDynamoMerchantRiskWriter({ client: client(), tableName: MERCHANT_TABLE });
    // Act
    await verdicts.recordVerdict(key, {
      verdict: "flagged",
      score: 80,
      rules: ["velocity"],
      reasons: ["r"],
      decidedAt: now,
    });
    await merchants.addToBuckets(
      [{ merchantId: tx.merchant_id, day: dayOf(now), transactions: 1, frauds: 0 }],
      now,
    );
    // Assess
    const policy = detectFraudPolicy(ARNS);
    const sent = updatesSent();
    expect(drift(updateStatement(policy, ARNS.tableArn), onTable(sent, ARNS.tableArn))).to.deep.equal(
      NO_DRIFT,
    );
    expect(
      drift(updateStatement(policy, ARNS.merchantRiskTableArn), onTable(sent, ARNS.merchantRiskTableArn)),
    ).to.deep.equal(NO_DRIFT);
  });

  it("notify-team: the notification lease claim, confirmation and release", async () => {
    // Prepare
    ddb().on(UpdateItemCommand).resolves({});
    const ledger = makeDynamoNotificationLedger({ client: client(), tableName: TABLE });
    // Act
    await ledger.claim(key, now, 120_000);
    await ledger.confirm(key, now);
    await ledger.release(key);
    // Assess
    const sent = updatesSent();
    expect(sent).to.have.length(3);
    expect(drift(updateStatement(notifyTeamPolicy(ARNS), ARNS.tableArn), sent)).to.deep.equal(NO_DRIFT);
  });

  it("record-outcome: the outcome (with and without reported_at) and the merchant fraud count", async () => {
    // Prepare
    ddb()
      .on(GetItemCommand)
      .resolves({ Item: marshall(toItem(tx, FIXED_NOW)) });
    ddb().on(TransactWriteItemsCommand).resolves({});
    const store = makeDynamoOutcomeStore({
      client: client(),
      tableName: TABLE,
      merchantRiskTableName: MERCHANT_TABLE,
    });
    // Act
    await store.recordOutcome(validOutcome({ reported_at: FIXED_NOW }), now);
    await store.recordOutcome(validOutcome({ outcome: "legitimate" }), now);
    // Assess
    const policy = recordOutcomePolicy(ARNS);
    const sent = updatesSent();
    expect(onTable(sent, ARNS.merchantRiskTableArn)).to.have.length(1);
    expect(drift(updateStatement(policy, ARNS.tableArn), onTable(sent, ARNS.tableArn))).to.deep.equal(
      NO_DRIFT,
    );
    expect(
      drift(updateStatement(policy, ARNS.merchantRiskTableArn), onTable(sent, ARNS.merchantRiskTableArn)),
    ).to.deep.equal(NO_DRIFT);
  });
});

describe("Function: drift (the comparison above)", () => {
  const statement = updateStatement(notifyTeamPolicy(ARNS), ARNS.tableArn);
  const update = (attributes: string[], returnValues = "NONE"): SentUpdate => ({
    tableArn: ARNS.tableArn,
    attributes,
    returnValues,
  });
  const allowed = allowedAttributes(statement);

  it("reports an attribute a request names but the grant does not list", () => {
    expect(drift(statement, [update([...allowed, "verdict"])]).notAllowed).to.deep.equal(["verdict"]);
  });

  it("reports a listed attribute no request uses", () => {
    expect(drift(statement, [update(allowed.slice(1))]).neverSent).to.deep.equal(allowed.slice(0, 1));
  });

  it("reports ReturnValues asked but not allowed, and allowed but never asked", () => {
    expect(drift(statement, [update(allowed, "ALL_OLD")])).to.deep.include({
      returnValuesNotAllowed: ["ALL_OLD"],
      returnValuesNeverAsked: ["NONE"],
    });
  });

  it("reads bare names from expressions but not tokens, keywords or functions", () => {
    expect(bareNames("SET #a = :a REMOVE b_1 ADD c :c")).to.deep.equal(["b_1", "c"]);
    expect(bareNames("attribute_exists(transaction_id) AND #l < :now")).to.deep.equal(["transaction_id"]);
  });
});

describe("IAM UpdateItem grants: the conditions AWS documents for attribute-level access", () => {
  for (const [name, document] of [
    ["detectFraudPolicy", detectFraudPolicy(ARNS)],
    ["notifyTeamPolicy", notifyTeamPolicy(ARNS)],
    ["recordOutcomePolicy", recordOutcomePolicy(ARNS)],
  ] as const) {
    it(`${name}: every UpdateItem lists its attributes and allows only NONE/UPDATED_* return values`, () => {
      const updates = document.Statement.filter((s) => s.Action.includes("dynamodb:UpdateItem"));
      expect(updates.length).to.be.greaterThan(0);
      for (const statement of updates) {
        expect(statement.Action, statement.Sid).to.deep.equal(["dynamodb:UpdateItem"]);
        // AWS: the list must name the key attributes, or DynamoDB cannot use them.
        expect(allowedAttributes(statement), statement.Sid).to.include.members(
          KEY_ATTRIBUTES[String(statement.Resource)] ?? ["a known table"],
        );
        expect(statement.Condition?.StringEqualsIfExists?.["dynamodb:Select"], statement.Sid).to.equal(
          "SPECIFIC_ATTRIBUTES",
        );
        for (const value of allowedReturnValues(statement)) {
          expect(["NONE", "UPDATED_OLD", "UPDATED_NEW"], statement.Sid).to.include(value);
        }
      }
    });
  }
});
