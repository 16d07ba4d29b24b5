/**
 * The transaction contract (docs/api.md): the TypeScript shape and the limits that
 * both the API Gateway JSON Schema model and the io-ts codec are generated from.
 */

import { freeTextPattern } from "./text";

/** Accepted values of `channel`. */
export const CHANNELS = ["card_present", "online", "atm", "transfer"] as const;

export type Channel = (typeof CHANNELS)[number];

export interface GeoLocation {
  readonly latitude: number;
  readonly longitude: number;
}

/** Request body of POST /transactions, as accepted. */
export interface Transaction {
  readonly transaction_id: string;
  readonly account_id: string;
  /** Minor units (cents). */
  readonly amount: number;
  /** ISO 4217, upper case. */
  readonly currency: string;
  /** Event time, epoch milliseconds. */
  readonly timestamp: number;
  readonly merchant_id: string;
  readonly merchant_category?: string;
  readonly channel?: Channel;
  readonly location?: GeoLocation;
  readonly country?: string;
}

/** Primary key of a stored transaction (pk `transaction_id`, sk `timestamp`). */
export interface TransactionKey {
  readonly transaction_id: string;
  readonly timestamp: number;
}

/** The longest free-text field, `merchant_id`, in code points. */
const MERCHANT_ID_MAX_LENGTH = 64;

/** Limits of the contract; plain data, safe to capture in a serialized closure. */
export const LIMITS = {
  idPattern: "^[A-Za-z0-9_-]{1,64}$",
  currencyPattern: "^[A-Z]{3}$",
  countryPattern: "^[A-Z]{2}$",
  amountMin: 1,
  amountMax: 100_000_000_000,
  /**
   * Free text (merchant_id, merchant_category): well-formed Unicode without controls, format
   * characters or line/paragraph separators (see text.ts). A control character (CR, LF) would forge
   * lines in the fraud team's email, a bidi override or zero-width character would make it read
   * differently from what was sent, and a lone surrogate cannot be stored as UTF-8 or sent through SNS.
   * Bounded by the longest free-text field; each field's `maxLength` states its own limit.
   */
  textPattern: freeTextPattern(MERCHANT_ID_MAX_LENGTH),
  merchantIdMaxLength: MERCHANT_ID_MAX_LENGTH,
  merchantCategoryMaxLength: 32,
  /**
   * Bounds of `timestamp` as a contract value (the recency window is checked separately). The upper
   * bound keeps it a safe integer, so the schema and the codec agree on values like 1e20.
   */
  timestampMin: 0,
  timestampMax: Number.MAX_SAFE_INTEGER,
  latitudeMax: 90,
  longitudeMax: 180,
  /** The process function rejects event times further in the future than this. */
  maxFutureSkewMs: 5 * 60 * 1000,
  /** The process function rejects event times older than this. */
  maxAgeMs: 7 * 24 * 60 * 60 * 1000,
  /** Bodies larger than this are refused before parsing. */
  maxBodyBytes: 16 * 1024,
} as const;

/** Verdict written back to the item by detect-fraud. */
export const VERDICTS = { cleared: "cleared", flagged: "flagged" } as const;

export type VerdictName = (typeof VERDICTS)[keyof typeof VERDICTS];

/** One explainable rule result. `score` is graded: how strongly the rule fired. */
export interface RuleHit {
  readonly rule: string;
  readonly score: number;
  readonly reason: string;
}

/**
 * Which scorer produced a score: the label-free default, or a trained model. (No key named
 * `default`: Pulumi's closure serializer takes an object with one for an ES module namespace.)
 */
export const SCORERS = { labelFree: "default", model: "model" } as const;

export type ScorerName = (typeof SCORERS)[keyof typeof SCORERS];

/** The detector's decision about one transaction. */
export interface Assessment {
  readonly score: number;
  readonly flagged: boolean;
  readonly scorer: ScorerName;
  /** Only the rules that fired (score > 0), highest score first. */
  readonly hits: readonly RuleHit[];
  /** The top reasons for the score, largest contribution first, in words an analyst reads. */
  readonly reasons: readonly string[];
}

/** What is written back to the item for audit. */
export interface Verdict {
  readonly verdict: VerdictName;
  readonly score: number;
  readonly rules: readonly string[];
  readonly reasons: readonly string[];
  /** Epoch milliseconds of the decision. */
  readonly decidedAt: number;
}

/** Body of one message on the fraud-alerts queue. */
export interface FraudAlert {
  readonly transaction_id: string;
  readonly account_id: string;
  readonly timestamp: number;
  readonly amount: number;
  readonly currency: string;
  readonly merchant_id: string;
  readonly score: number;
  readonly rules: readonly RuleHit[];
  /** The top reasons for the score (see {@link Assessment.reasons}). */
  readonly reasons: readonly string[];
  /** Epoch milliseconds. */
  readonly detected_at: number;
}
