/**
 * Which earlier transactions of an account the rules see. One definition shared by the
 * detect-fraud Lambda (GSI items + earlier records of the same batch) and the local backtest.
 */
import type { Transaction } from "../contract/transaction";
import type { RulesConfig } from "./config";

/** One account-index query covering every record of that account in a batch. */
interface HistoryQuery {
  readonly accountId: string;
  readonly since: number;
  readonly until: number;
  readonly limit: number;
}

/** Identity of a stored transaction; NUL cannot occur in an id, so the key is unambiguous. */
function keyOf(tx: Pick<Transaction, "transaction_id" | "timestamp">): string {
  return `${tx.transaction_id}\u0000${tx.timestamp}`;
}

/**
 * The history of `tx`: candidates of the same account with
 * `tx.timestamp - history.windowMs <= timestamp <= tx.timestamp`, without `tx` itself (same id
 * and timestamp), de-duplicated by (transaction_id, timestamp), oldest first, at most the most
 * recent `history.limit`. Equal timestamps keep their candidate order.
 *
 * @example
 * const history = selectHistory(tx, [...fromIndex, ...earlierInBatch], config);
 */
function selectHistory(
  tx: Transaction,
  candidates: readonly Transaction[],
  config: RulesConfig,
): Transaction[] {
  const since = tx.timestamp - config.history.windowMs;
  const own = keyOf(tx);
  const seen = new Set<string>([own]);
  const selected: Transaction[] = [];
  for (const candidate of candidates) {
    if (candidate.account_id !== tx.account_id) continue;
    if (candidate.timestamp < since || candidate.timestamp > tx.timestamp) continue;
    const key = keyOf(candidate);
    if (seen.has(key)) continue;
    seen.add(key);
    selected.push(candidate);
  }
  selected.sort((a, b) => a.timestamp - b.timestamp);
  return selected.slice(Math.max(0, selected.length - config.history.limit));
}

/**
 * One query per account for a batch: from the earliest record's window start to the latest
 * record's timestamp. The limit is `history.limit` plus the account's records in the batch,
 * because the index may already hold those records and they would take up slots. An account with
 * more than that many stored transactions between its earliest and latest batch record gives the
 * earlier records a shorter history; batches span seconds, so this is rare and only loses context.
 *
 * @example
 * const queries = planHistoryQueries(decodedTransactions, config);
 * // [{ accountId: "acct-1", since: 1764000000000, until: 1764604800000, limit: 52 }]
 */
function planHistoryQueries(batch: readonly Transaction[], config: RulesConfig): HistoryQuery[] {
  const byAccount = new Map<string, { since: number; until: number; count: number }>();
  for (const tx of batch) {
    const since = tx.timestamp - config.history.windowMs;
    const current = byAccount.get(tx.account_id);
    if (current === undefined) {
      byAccount.set(tx.account_id, { since, until: tx.timestamp, count: 1 });
    } else {
      current.since = Math.min(current.since, since);
      current.until = Math.max(current.until, tx.timestamp);
      current.count += 1;
    }
  }
  return [...byAccount].map(([accountId, span]) => ({
    accountId,
    since: span.since,
    until: span.until,
    limit: config.history.limit + span.count,
  }));
}

export type { HistoryQuery };
export { planHistoryQueries, selectHistory };
