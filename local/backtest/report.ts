/**
 * The backtest's two outputs: the JSON object of `--json` (snake_case, one object) and the human
 * report. Both are pure functions of a BacktestResult.
 */
import type { BacktestResult } from "./run";

/** Invalid rows listed in the human report; the JSON lists them all. */
const MAX_LISTED_INVALID = 20;

/** Default thresholds of `--threshold-sweep`: every 10 up to 200, plus the configured threshold. */
function sweepThresholds(configured: number): number[] {
  const steps = Array.from({ length: 20 }, (_, i) => (i + 1) * 10);
  return [...new Set([...steps, configured])].sort((a, b) => a - b);
}

/**
 * The `--json` object. `precision`..`tn` are null without labels; `roc_auc` and
 * `average_precision` appear only with labels, `threshold_sweep` only when asked for.
 *
 * @example
 * process.stdout.write(`${JSON.stringify(jsonReport(result))}\n`);
 */
function jsonReport(result: BacktestResult): Record<string, unknown> {
  const c = result.confusion;
  return {
    rows: result.rows,
    replayed: result.replayed,
    alerts: result.alerts,
    measured: result.measured,
    alert_rate: result.measured === 0 ? null : result.alerts / result.measured,
    threshold: result.threshold,
    scorer: result.scorer,
    label_delay_days: result.labelDelayDays,
    from: result.from === undefined ? null : new Date(result.from).toISOString().slice(0, 10),
    labelled: result.labelled,
    precision: result.precision ?? null,
    recall: result.recall ?? null,
    f1: result.f1 ?? null,
    tp: c?.tp ?? null,
    fp: c?.fp ?? null,
    fn: c?.fn ?? null,
    tn: c?.tn ?? null,
    rules: result.rules,
    invalid_rows: result.invalidRows,
    duplicate_lines: result.duplicateLines,
    ...(c === undefined
      ? {}
      : {
          roc_auc: result.rocAuc ?? null,
          average_precision: result.averagePrecision ?? null,
          precision_at_top_100_accounts_per_day: result.precisionAtTop100PerDay ?? null,
        }),
    ...(result.sweep === undefined ? {} : { threshold_sweep: result.sweep }),
  };
}

function num(value: number | null | undefined, digits = 3): string {
  return value === null || value === undefined ? "n/a" : value.toFixed(digits);
}

function percent(part: number, whole: number): string {
  return whole === 0 ? "n/a" : `${((100 * part) / whole).toFixed(2)}%`;
}

/**
 * The human-readable report.
 *
 * @example
 * process.stdout.write(humanReport(result, "history.csv"));
 */
function humanReport(result: BacktestResult, source: string): string {
  const lines = [
    `Backtest of ${source}`,
    `  rows read      ${result.rows}  (replayed ${result.replayed}, invalid ${result.invalidRows.length}, duplicates ${result.duplicateLines.length})`,
    `  scoring        ${result.scorer === "model" ? "trained model" : "label-free default score"}, labels known ${result.labelDelayDays} days after their transaction`,
    ...(result.from === undefined
      ? []
      : [
          `  measured from  ${new Date(result.from).toISOString().slice(0, 10)} (earlier rows only warm up history and merchant profiles)`,
        ]),
    `  alerts         ${result.alerts}  (alert rate ${percent(result.alerts, result.measured)} of ${result.measured} measured rows, threshold ${result.threshold})`,
  ];
  const c = result.confusion;
  if (c === undefined) {
    lines.push("  labels         none (add is_fraud to rows for precision and recall)");
  } else {
    lines.push(
      `  labelled rows  ${result.labelled}`,
      `  precision ${num(result.precision)}  recall ${num(result.recall)}  F1 ${num(result.f1)}  ROC AUC ${num(result.rocAuc)}  average precision ${num(result.averagePrecision)}`,
      `  precision of the top 100 accounts per day ${num(result.precisionAtTop100PerDay)}`,
      "  confusion matrix      flagged    cleared",
      `    fraud             ${String(c.tp).padStart(9)}  ${String(c.fn).padStart(9)}`,
      `    legitimate        ${String(c.fp).padStart(9)}  ${String(c.tn).padStart(9)}`,
    );
  }
  const rules = Object.entries(result.rules);
  lines.push(`  rules                 hits  precision${rules.length === 0 ? "\n    (no rule fired)" : ""}`);
  for (const [rule, stats] of rules)
    lines.push(
      `    ${rule.padEnd(18)}${String(stats.hits).padStart(6)}  ${num(stats.precision).padStart(9)}`,
    );
  if (result.sweep !== undefined) {
    lines.push("  threshold sweep   flagged  precision  recall     F1");
    for (const p of result.sweep) {
      lines.push(
        `    ${String(p.threshold).padStart(9)}  ${String(p.flagged).padStart(8)}  ${num(p.precision).padStart(9)}  ${num(p.recall).padStart(6)}  ${num(p.f1).padStart(5)}`,
      );
    }
  }
  if (result.invalidRows.length > 0) {
    const listed = result.invalidRows.slice(0, MAX_LISTED_INVALID);
    lines.push(`  invalid rows (${listed.length} of ${result.invalidRows.length} shown; --json lists all):`);
    for (const row of listed) lines.push(`    line ${row.line}: ${row.errors.join("; ")}`);
  }
  return `${lines.join("\n")}\n`;
}

export { humanReport, jsonReport, sweepThresholds };
