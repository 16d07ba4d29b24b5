/**
 * What each UpdateItem the DynamoDB adapters send touches, as IAM sees it: the top-level
 * attributes it names in its key, condition and update expression (`dynamodb:Attributes`) and the
 * `ReturnValues` it asks for (`dynamodb:ReturnValues`, NONE when unset). The adapters take their
 * expression attribute names from the maps below, and policies/iam allows each function's
 * UpdateItem exactly these lists, so a new attribute in a write shows up in both.
 * Plain data, no SDK: the IAM policies import it too.
 */
import { ITEM_ATTRIBUTES } from "../contract/item";
import { OUTCOME_ATTRIBUTES } from "../contract/outcome";
import { MERCHANT_RISK_ATTRIBUTES } from "../detect/merchant-risk";

/** The transaction table's key: every update of a transaction names it (and conditions on it). */
const TRANSACTION_KEY_ATTRIBUTES = ["transaction_id", "timestamp"] as const;

/** Expression names of the verdict write-back (detect-fraud): the verdict attributes it SETs. */
const VERDICT_NAMES = {
  "#verdict": ITEM_ATTRIBUTES.verdict,
  "#score": ITEM_ATTRIBUTES.score,
  "#rules": ITEM_ATTRIBUTES.rules,
  "#reasons": ITEM_ATTRIBUTES.reasons,
  "#verdictAt": ITEM_ATTRIBUTES.verdictAt,
} as const;

/** Expression names of the notification ledger (notify-team): its lease and confirmation. */
const LEDGER_NAMES = {
  "#notified": ITEM_ATTRIBUTES.notifiedAt,
  "#lease": ITEM_ATTRIBUTES.notifyLeaseUntil,
} as const;

/**
 * Expression names of the outcome write (record-outcome): the outcome attributes it SETs
 * (`#reportedAt` only when the client reported one) and the merchant its condition checks.
 */
const OUTCOME_NAMES = {
  "#outcome": OUTCOME_ATTRIBUTES.outcome,
  "#source": OUTCOME_ATTRIBUTES.source,
  "#receivedAt": OUTCOME_ATTRIBUTES.receivedAt,
  "#reportedAt": OUTCOME_ATTRIBUTES.reportedAt,
  "#merchant": "merchant_id",
} as const;

/** `ReturnValues` of an UpdateItem; only these three never return an attribute outside the list. */
type ReturnValue = "NONE" | "UPDATED_OLD" | "UPDATED_NEW";

/** What one kind of UpdateItem may touch and ask back. */
interface UpdateAccess {
  /** Attribute names; one ending in `*` stands for every name with that prefix. */
  readonly attributes: readonly string[];
  readonly returnValues: readonly ReturnValue[];
}

/**
 * Per kind of update, what it touches. The merchant buckets are `tx_<day>` and `fraud_<day>`,
 * named by day, hence prefixes.
 *
 * @example
 * UPDATE_ACCESS.verdict.returnValues; // ["UPDATED_OLD"]
 */
const UPDATE_ACCESS = {
  verdict: {
    attributes: [...TRANSACTION_KEY_ATTRIBUTES, ...Object.values(VERDICT_NAMES)],
    returnValues: ["UPDATED_OLD"],
  },
  notification: {
    attributes: [...TRANSACTION_KEY_ATTRIBUTES, ...Object.values(LEDGER_NAMES)],
    returnValues: ["NONE"],
  },
  outcome: {
    attributes: [...TRANSACTION_KEY_ATTRIBUTES, ...Object.values(OUTCOME_NAMES)],
    returnValues: ["NONE"],
  },
  merchantBuckets: {
    attributes: [
      MERCHANT_RISK_ATTRIBUTES.merchantId,
      MERCHANT_RISK_ATTRIBUTES.expiresAt,
      `${MERCHANT_RISK_ATTRIBUTES.transactionsPrefix}*`,
      `${MERCHANT_RISK_ATTRIBUTES.fraudsPrefix}*`,
    ],
    returnValues: ["NONE"],
  },
} as const satisfies Readonly<Record<string, UpdateAccess>>;

export type { UpdateAccess };
export { LEDGER_NAMES, OUTCOME_NAMES, UPDATE_ACCESS, VERDICT_NAMES };
