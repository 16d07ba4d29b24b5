/**
 * The outcome contract: what the fraud team learns about a transaction after the fact (a
 * chargeback, a customer dispute, an analyst's review), sent to POST /transactions/outcomes and
 * written onto the transaction item by record-outcome.
 */

/** What the transaction turned out to be. */
export const OUTCOMES = { fraud: "fraud", legitimate: "legitimate" } as const;

export type OutcomeName = (typeof OUTCOMES)[keyof typeof OUTCOMES];

/** Where the outcome came from. */
export const OUTCOME_SOURCES = ["chargeback", "dispute", "analyst", "other"] as const;

export type OutcomeSource = (typeof OUTCOME_SOURCES)[number];

/** Request body of POST /transactions/outcomes, as accepted. */
export interface Outcome {
  readonly transaction_id: string;
  /** Event time of the transaction (its sort key), epoch milliseconds. */
  readonly timestamp: number;
  readonly outcome: OutcomeName;
  readonly source: OutcomeSource;
  /** When the source reported it, epoch milliseconds; informational. */
  readonly reported_at?: number;
}

/** Attribute names record-outcome writes onto the transaction item. */
export const OUTCOME_ATTRIBUTES = {
  outcome: "outcome",
  source: "outcome_source",
  reportedAt: "outcome_reported_at",
  /** When the pipeline learned it: what decides which merchant-risk day counts a fraud. */
  receivedAt: "outcome_received_at",
} as const;

/** What recording an outcome did. */
export const OUTCOME_RESULTS = {
  /** Written for the first time (201). */
  recorded: "recorded",
  /** The same outcome was already on the item: nothing changed (200). */
  duplicate: "duplicate",
  /** A different outcome is already on the item (409). */
  conflict: "conflict",
  /** No transaction with that id and timestamp (404). */
  notFound: "not-found",
} as const;

export type OutcomeResult = (typeof OUTCOME_RESULTS)[keyof typeof OUTCOME_RESULTS];
