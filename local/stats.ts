/**
 * What `GET /stats` answers: how far accepted transactions got through the pipeline, counted from
 * the table, and how many records sit in each dead-letter queue.
 */
import { ITEM_ATTRIBUTES } from "../pipeline/runtime/contract/item";
import { VERDICTS } from "../pipeline/runtime/contract/transaction";
import { countByQueue, type DeadLetter, type DeadLetterQueue } from "./dead-letters";
import type { MemoryTable } from "./memory-table";

export interface PipelineStats {
  /** Transactions stored (201 answered). */
  readonly accepted: number;
  /** Of those, with a verdict. */
  readonly assessed: number;
  readonly flagged: number;
  /** Flagged and notified. */
  readonly notified: number;
  /** Records in each DLQ, not redriven yet. */
  readonly dead_letters: Record<DeadLetterQueue, number>;
}

/**
 * Counts the table's items by stage and the dead letters by queue.
 *
 * @example
 * pipelineStats(table, deadLetters.letters()); // { accepted: 3, assessed: 3, flagged: 1, notified: 1, dead_letters: { alerts: 0, stream: 0 } }
 */
function pipelineStats(table: MemoryTable, letters: readonly DeadLetter[]): PipelineStats {
  let assessed = 0;
  let flagged = 0;
  let notified = 0;
  const items = table.scan();
  for (const item of items) {
    if (item[ITEM_ATTRIBUTES.verdict] !== undefined) assessed += 1;
    if (item[ITEM_ATTRIBUTES.verdict] === VERDICTS.flagged) flagged += 1;
    if (item[ITEM_ATTRIBUTES.notifiedAt] !== undefined) notified += 1;
  }
  return { accepted: items.length, assessed, flagged, notified, dead_letters: countByQueue(letters) };
}

export { pipelineStats };
