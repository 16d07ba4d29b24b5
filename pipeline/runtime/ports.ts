/**
 * Ports: what the runtime core needs from the outside world. The AWS SDK v3 adapters
 * (pipeline/runtime/aws/) and the embedded local adapters (local/) implement them.
 */
import type { Outcome, OutcomeResult } from "./contract/outcome";
import type { FraudAlert, Transaction, TransactionKey, Verdict } from "./contract/transaction";
import type { MerchantIncrement } from "./detect/merchant-risk";

/**
 * Outcome of a conditional insert. `idTaken`: the transaction id is already stored with a
 * different timestamp; one id names one transaction.
 */
export const PUT_OUTCOMES = {
  created: "created",
  duplicate: "duplicate",
  conflict: "conflict",
  idTaken: "id-taken",
} as const;

export type PutOutcome = (typeof PUT_OUTCOMES)[keyof typeof PUT_OUTCOMES];

/** Where accepted transactions are stored (process-transaction). */
export interface TransactionStore {
  /**
   * Inserts the transaction unless its id is known. `duplicate`: an item with the same key and
   * the same body exists; `conflict`: same key, different body; `id-taken`: the id is stored with
   * a different timestamp.
   * Throws a `StorageThrottledError` (see errors.ts) when storage throttles or fails transiently.
   */
  putTransaction(tx: Transaction, receivedAt: number): Promise<PutOutcome>;
}

/** Query of an account's history (detect-fraud, through the account index). */
export interface AccountHistory {
  /**
   * The account's transactions with `since <= timestamp <= until`, most recent first,
   * at most `limit` of them. May include the transaction being assessed; callers exclude it.
   */
  recentForAccount(accountId: string, since: number, until: number, limit: number): Promise<unknown[]>;
}

/** Where verdicts are written back for audit (detect-fraud). */
export interface VerdictStore {
  /**
   * Writes the verdict onto the existing item. `first` is true when the item had no verdict
   * before: the one write that may count the transaction in its merchant's risk profile, so a
   * redelivered stream record never counts twice. An item that no longer exists resolves with
   * `first: false` and writes nothing.
   */
  recordVerdict(key: TransactionKey, verdict: Verdict): Promise<{ first: boolean }>;
}

/** Merchant risk profiles, read by detect-fraud for a whole batch. */
export interface MerchantRiskReader {
  /**
   * The stored profile item of each merchant that has one, undecoded (see
   * `decodeMerchantProfile`); merchants without an item are absent from the map.
   */
  profiles(merchantIds: readonly string[]): Promise<ReadonlyMap<string, unknown>>;
}

/** Merchant risk counters (detect-fraud counts transactions; record-outcome counts frauds). */
export interface MerchantRiskWriter {
  /** Adds each increment to its merchant's day bucket atomically; `now` sets the item's expiry. */
  addToBuckets(increments: readonly MerchantIncrement[], now: number): Promise<void>;
}

/** Where outcomes land (record-outcome): on the transaction item, and frauds in the merchant's profile. */
export interface OutcomeStore {
  /**
   * Records the outcome on the transaction item unless it already carries one; a first `fraud`
   * outcome also adds one fraud to the merchant's bucket of the day of `receivedAt`, in the same
   * atomic write. Throws a `StorageThrottledError` when storage throttles or fails transiently.
   */
  recordOutcome(outcome: Outcome, receivedAt: number): Promise<OutcomeResult>;
}

/** An alert the queue accepted the call for but not the message, with the queue's code for why. */
export interface AlertNotSent {
  readonly transactionId: string;
  /** The queue's error code for the entry, e.g. `KMS.AccessDeniedException` or `InternalError`. */
  readonly code: string;
}

/** The fraud-alerts queue (detect-fraud). */
export interface AlertQueue {
  /**
   * Sends one message per alert; resolves with the alerts whose message the queue refused. Rejects,
   * the queue's error as the `cause`, when a send call itself is refused (access denied, KMS key
   * unusable, throttled past the SDK's retries): then no alert of the batch counts as sent.
   */
  sendAlerts(alerts: readonly FraudAlert[]): Promise<{ failed: AlertNotSent[] }>;
}

/** Outcome of claiming the right to notify about a transaction. */
export const CLAIM_OUTCOMES = {
  claimed: "claimed",
  alreadyNotified: "already-notified",
  inProgress: "in-progress",
} as const;

export type ClaimOutcome = (typeof CLAIM_OUTCOMES)[keyof typeof CLAIM_OUTCOMES];

/**
 * Exactly-once notification bookkeeping on the transaction item (notify-team): SQS delivers at
 * least once, so a notifier claims a lease, publishes, then confirms; a failed publish releases.
 */
export interface NotificationLedger {
  claim(key: TransactionKey, now: number, leaseMs: number): Promise<ClaimOutcome>;
  confirm(key: TransactionKey, now: number): Promise<void>;
  release(key: TransactionKey): Promise<void>;
}

/** A message for the fraud team. */
export interface Notification {
  readonly subject: string;
  readonly body: string;
  /** Transaction id, for logs and de-duplication; never the payload. */
  readonly transactionId: string;
}

/** The fraud-notifications topic (notify-team). */
export interface Notifier {
  publish(notification: Notification): Promise<void>;
}

/**
 * Structured logger. Powertools' Logger satisfies it; so does the local runner's.
 * Attributes carry ids and outcomes, never payloads, amounts or locations.
 */
export interface Log {
  info(message: string, attributes?: Record<string, unknown>): void;
  warn(message: string, attributes?: Record<string, unknown>): void;
  error(message: string, attributes?: Record<string, unknown>): void;
}

/** Counts flagged transactions etc. Powertools' Metrics (EMF) in Lambda; no-op or counters locally. */
export interface MetricsSink {
  count(name: string, value: number): void;
  flush(): void;
}

/** Wall clock in epoch milliseconds; injected so tests control time. */
export type Clock = () => number;
