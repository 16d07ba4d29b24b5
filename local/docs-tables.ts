/**
 * `npm run docs:tables`: writes the tables of docs/detection.md (features, rules, default-score
 * signals) from their registries, between `<!-- NAME:start -->` and `<!-- NAME:end -->` markers.
 * A test fails when the file differs from what this would write, so the docs never drift from
 * the code.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { DEFAULT_RULES_CONFIG } from "../pipeline/runtime/detect/config";
import { FEATURES } from "../pipeline/runtime/detect/features/registry";
import { RULES } from "../pipeline/runtime/detect/rules/registry";
import { SIGNALS } from "../pipeline/runtime/detect/scoring/signals";

/** The document the tables live in. */
const DETECTION_DOC = path.join(__dirname, "..", "docs", "detection.md");

function row(cells: readonly string[]): string {
  return `| ${cells.map((cell) => cell.replace(/\|/g, "\\|")).join(" | ")} |`;
}

function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  return [row(header), row(header.map(() => "---")), ...rows.map(row)].join("\n");
}

function settingsText(settings: object): string {
  return Object.entries(settings)
    .map(([key, value]) => `${key} ${typeof value === "object" ? JSON.stringify(value) : value}`)
    .join(", ");
}

/** Each table by marker name, derived from the registries. */
function detectionTables(): Record<string, string> {
  const rules = DEFAULT_RULES_CONFIG.rules as unknown as Record<string, object>;
  const signals = DEFAULT_RULES_CONFIG.signals as unknown as Record<string, object>;
  return {
    features: table(
      ["#", "feature", "what it is"],
      FEATURES.map((f, i) => [String(i + 1), `\`${f.name}\``, f.description]),
    ),
    rules: table(
      ["rule", "settings key", "fires when", "defaults", "signal feature"],
      RULES.map((r) => [
        `\`${r.name}\``,
        `rules.${r.key}`,
        r.description,
        settingsText(rules[r.key]),
        `\`${r.feature.name}\``,
      ]),
    ),
    signals: table(
      ["signal", "settings key", "what it measures", "defaults"],
      SIGNALS.map((s) => [s.key, `signals.${s.key}`, s.description, settingsText(signals[s.key])]),
    ),
  };
}

/**
 * `text` with each marked table replaced by the generated one.
 *
 * @example
 * fs.writeFileSync(doc, withTables(fs.readFileSync(doc, "utf8")));
 * @throws Error naming a marker that is missing from the text.
 */
function withTables(text: string): string {
  let out = text;
  for (const [name, generated] of Object.entries(detectionTables())) {
    const start = `<!-- ${name}:start -->`;
    const end = `<!-- ${name}:end -->`;
    const from = out.indexOf(start);
    const to = out.indexOf(end);
    if (from < 0 || to < from) throw new Error(`${DETECTION_DOC} lacks the markers ${start} ... ${end}`);
    out = `${out.slice(0, from + start.length)}\n${generated}\n${out.slice(to)}`;
  }
  return out;
}

if (require.main === module) {
  fs.writeFileSync(DETECTION_DOC, withTables(fs.readFileSync(DETECTION_DOC, "utf8")));
  process.stdout.write(`Wrote the tables of ${path.relative(process.cwd(), DETECTION_DOC)}\n`);
}

export { DETECTION_DOC, detectionTables, withTables };
